"""``actlab lab``: list the experiments and run one (JSON + PNG figures + verdicts)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import click

from actlab.errors import UnknownName, UserError
from actlab.lab.overrides import ConfigOverrides, parse_settings

DEFAULT_OUT = "actlab-lab"


class CheckFailed(click.ClickException):
    """A check (a fact that holds by construction) failed: the results are written, but
    something in our code is wrong."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"actlab: error: {self.message}", err=True, file=file)


def register(app: click.Group) -> None:
    """Add the ``lab`` group to the app."""
    app.add_command(lab)


@click.group()
def lab() -> None:
    """The lab: experiments that show why activations matter."""


@lab.command("list")
def list_experiments() -> None:
    """List the experiments: name, title and summary."""
    from rich.console import Console
    from rich.table import Table

    from actlab.lab.registry import experiments

    table = Table(title="actlab lab experiments", show_lines=False)
    table.add_column("name", style="bold cyan", no_wrap=True)
    table.add_column("title")
    table.add_column("summary")
    for exp in experiments():
        table.add_row(exp.name, exp.title, exp.summary)
    Console().print(table)


@lab.command("run")
@click.argument("name")
@click.option("--seed", type=int, default=None, help="Random seed (default: the experiment's).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path(DEFAULT_OUT), show_default=True,
              help="Directory; the run goes to OUT/NAME/.")
@click.option("--quick", is_flag=True, help="The small configuration (seconds, for a try-out).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--data", "data_dir", metavar="DIR",
              default=None, help="Directory of data files the experiment can use "
              "(convergence_race: CIFAR-10's python batches).")
@click.option("--set", "settings", multiple=True, metavar="FIELD=VALUE",
              help="Change one field of the experiment's configuration (repeatable; lists "
              "comma-separated), e.g. --set steps=2200000.")
def run_experiment(name: str, seed: int | None, out: Path, quick: bool, quiet: bool,
                   data_dir: str | None, settings: tuple[str, ...]) -> None:
    """Run experiment NAME; write OUT/NAME/result.json and one PNG per figure."""
    from rich.console import Console

    from actlab.cli.directories import data_directory, ensure_output_directory
    from actlab.lab.registry import experiment

    try:
        exp = experiment(name)
    except KeyError as err:  # an unknown name the user typed: one line, exit 2
        raise UnknownName(err.args[0]) from None
    if data_dir is not None:
        data_dir = data_directory(data_dir)
    overrides = ConfigOverrides(seed=seed, data_dir=data_dir)
    missing = overrides.missing_in(exp.load().Config)
    if "seed" in missing:
        raise UserError(f"--seed: experiment {name!r} takes no seed")
    if "data_dir" in missing:
        raise UserError(f"--data: experiment {name!r} reads no data files")
    config = exp.config(quick=quick, **overrides.given())
    if settings:
        values = parse_settings(config, settings)
        if values.get("data_dir"):  # --set data_dir=DIR is --data DIR
            values["data_dir"] = data_directory(values["data_dir"])
        config = dataclasses.replace(config, **values)
    ensure_output_directory(out)
    console = Console(stderr=True, quiet=quiet)
    result, written = _run_and_save(exp, config, out, console, quiet)
    _print_summary(result, written)
    if result.failed_checks:  # a bug in our code: say so loudly and exit non-zero
        raise CheckFailed(f"{len(result.failed_checks)} check(s) of {name} FAIL (a bug, not a "
                          f"finding): " + "; ".join(c.statement for c in result.failed_checks))


def _run_and_save(exp: Any, config: Any, out: Path, console: Any,
                  quiet: bool) -> tuple[Any, dict[str, Path]]:
    """Run the experiment, then save JSON and PNGs, behind rich progress bars (one for the
    run, one for the figures; none when quiet) that fit 80 columns."""
    from actlab.lab.outputs import save_run

    if quiet:
        result = exp.run(config)
        return result, save_run(exp, result, out)
    from rich.progress import Progress

    from actlab.report.progress import bar_columns, shorten

    # no ETA inside one experiment: its steps are of unknown, uneven cost, so the bar shows
    # the elapsed time (HonestRemainingColumn shows "ETA –" without an estimate)
    columns = bar_columns()
    with Progress(*columns, console=console, transient=False) as bar:
        def tracker(task: Any, name: str) -> Any:
            def progress(fraction: float, message: str) -> None:
                bar.update(task, completed=min(max(fraction, 0.0), 1.0),
                           description=shorten(f"{name}: {message}"))
            return progress

        running = bar.add_task(shorten(f"{exp.name}: starting"), total=1.0)
        result = exp.run(config, progress=tracker(running, exp.name))
        bar.update(running, completed=1.0, description=shorten(f"{exp.name}: done"))
        drawing = bar.add_task("figures: drawing", total=1.0)
        written = save_run(exp, result, out, progress=tracker(drawing, "figures"))
        bar.update(drawing, completed=1.0, description="figures: done")
    return result, written


_VERDICT_STYLE = {"reproduced": "green", "partly": "yellow", "not reproduced": "red",
                  "holds": "green", "fails": "bold white on red"}


def _print_summary(result: Any, written: dict[str, Path]) -> None:
    """Claims (with seeds and intervals) and checks apart, metrics compactly, and where the
    files went."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    claims = [c for c in result.claims if c.kind == "claim"]
    checks = [c for c in result.claims if c.kind == "check"]
    if claims:
        table = Table(title=f"{result.experiment}: claims", show_lines=False)
        for col in ("verdict", "statement", "published", "measured", "seeds", "95% interval"):
            table.add_column(col, overflow="fold")
        for c in claims:
            style = _VERDICT_STYLE.get(c.verdict, "")
            interval = "—" if c.interval is None else _short(list(c.interval))
            table.add_row(f"[{style}]{c.verdict}[/{style}]", escape(c.statement),
                          escape(_short(c.published)), escape(_short(c.measured)),
                          str(c.seeds), escape(interval))
        console.print(table)
    if checks:
        table = Table(title=f"{result.experiment}: checks (facts that hold by construction)",
                      show_lines=False)
        for col in ("outcome", "check", "expected", "measured"):
            table.add_column(col, overflow="fold")
        for c in checks:
            style = _VERDICT_STYLE.get(c.verdict, "")
            table.add_row(f"[{style}]{c.verdict}[/{style}]", escape(c.statement),
                          escape(_short(c.published)), escape(_short(c.measured)))
        console.print(table)
    if result.failed_checks:
        console.print(f"[bold white on red] {len(result.failed_checks)} CHECK(S) FAIL [/] "
                      "a check holds by construction: this is a bug in our code")
    if result.metrics:
        metrics = "  ".join(f"{k}={escape(_short(v))}" for k, v in result.metrics.items())
        console.print(f"[bold]metrics[/bold] {metrics}", soft_wrap=False)
    console.print(f"{result.seconds:.2f} s; wrote {written['result']} and "
                  f"{len(written) - 1} figure(s) in {written['result'].parent}", markup=False)


def _short(value: Any) -> str:
    """A compact rendering of a number, list or text for one table cell."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        items = [_short(v) for v in value[:6]]
        more = ", …" if len(value) > 6 else ""
        return "[" + ", ".join(items) + more + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_short(v)}" for k, v in list(value.items())[:6]) + "}"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"
