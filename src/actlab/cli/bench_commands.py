"""``actlab bench``: run a sweep into a SQLite store, see where it stands, export it.

``bench run spec.toml`` or ``bench run --activations relu,gelu --task mnist1d
--model mlp --seeds 10``; ``bench status``; ``bench export --format csv``.
The store defaults to ``actlab.db`` in the working directory.  Heavy imports
(torch, ray) happen in the workers, never when the CLI starts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from actlab.cli import bench_result_commands
from actlab.errors import UserError

if TYPE_CHECKING:
    from actlab.bench.spec import Spec

DEFAULT_DB = "actlab.db"


def register(app: click.Group) -> None:
    """Add the ``bench`` group to the app."""
    app.add_command(bench)


@click.group()
def bench() -> None:
    """The bench: fair multi-seed comparisons of activations, stored in SQLite."""


bench_result_commands.register(bench)  # show, compare, plot


def _db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", type=click.Path(path_type=Path),  # Store names a mistake
                        default=Path(DEFAULT_DB), show_default=True,
                        help="The SQLite store of the runs.")(command)


def _spec_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """SPEC file, or the grid given by options (one or the other)."""
    options = [
        click.argument("spec_file", metavar="[SPEC]", required=False,
                       type=click.Path(path_type=Path)),
        click.option("--activations", help="Comma-separated, e.g. "
                     "'relu,gelu,leaky_relu(negative_slope=0.2)'."),
        click.option("--task", "tasks", multiple=True,
                     help="Task, repeatable or comma-separated: digits, mnist1d, moons, sin, "
                     "csv:FILE, ..."),
        click.option("--model", "models", multiple=True,
                     help="Model, repeatable: mlp, 'mlp(depth=3,width=64)', cnn1d, cnn2d, "
                     "package.module:function (default: mlp)."),
        click.option("--seeds", type=int, default=None, help="Number of seeds (default 5)."),
        click.option("--budget", type=int, default=None, help="Training steps (or epochs)."),
        click.option("--epochs", is_flag=True, help="--budget counts epochs, not steps."),
        click.option("--lr", type=float, default=None, help="Fixed learning rate."),
        click.option("--lr-grid", default=None,
                     help="Comma-separated rates: tune the rate per activation on a "
                     "validation split."),
        click.option("--optimiser", type=click.Choice(["sgd", "momentum", "adam", "rmsprop"]),
                     default=None),
        click.option("--batch-size", type=int, default=None),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _spec(spec_file: Path | None, activations: str | None, tasks: tuple[str, ...],
          models: tuple[str, ...], seeds: int | None, budget: int | None, epochs: bool,
          lr: float | None, lr_grid: str | None, optimiser: str | None,
          batch_size: int | None, required: bool = True) -> Spec | None:
    """The spec from a file or from options; None when neither is given and not required."""
    from actlab.bench.spec import load_spec, spec_from_options

    grid_options = {"--activations": activations, "--task": tasks, "--model": models,
                    "--seeds": seeds, "--budget": budget, "--epochs": epochs, "--lr": lr,
                    "--lr-grid": lr_grid, "--optimiser": optimiser,
                    "--batch-size": batch_size}
    given = [name for name, value in grid_options.items() if value not in (None, (), False)]
    if spec_file is not None:
        if given:
            raise UserError(f"give a spec file or {given[0]}, not both (the file holds the grid)")
        return load_spec(spec_file)
    if not given:
        if required:
            raise UserError("nothing to run: give a spec file, or --activations and --task")
        return None
    if not activations:
        raise UserError("--activations is missing (e.g. --activations relu,gelu)")
    if not tasks:
        raise UserError("--task is missing (e.g. --task mnist1d)")
    training: dict[str, Any] = {}
    if budget is not None:
        training["budget"] = budget
    if epochs:
        training["budget_unit"] = "epochs"
    if lr is not None:
        training["learning_rate"] = lr
    if lr_grid is not None:
        try:
            training["lr_grid"] = [float(r) for r in lr_grid.split(",") if r.strip()]
        except ValueError:
            raise UserError(f"--lr-grid: expected comma-separated numbers, got {lr_grid!r}"
                            ) from None
    if optimiser is not None:
        training["optimiser"] = optimiser
    if batch_size is not None:
        training["batch_size"] = batch_size
    return spec_from_options(activations, tasks, models or ("mlp",),
                             seeds if seeds is not None else 5, training)


@bench.command("run")
@_spec_options
@_db_option
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local",
              show_default=True, help="Local processes, or Ray Core tasks.")
@click.option("--address", default=None,
              help="Ray cluster: auto or HOST:PORT (default: start a local Ray).")
@click.option("--workers", type=int, default=None,
              help="Parallel workers (default: one per core).")
@click.option("--retry-failed", is_flag=True, help="Run the failed runs again.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def run_command(spec_file: Path | None, activations: str | None, tasks: tuple[str, ...],
                models: tuple[str, ...], seeds: int | None, budget: int | None, epochs: bool,
                lr: float | None, lr_grid: str | None, optimiser: str | None,
                batch_size: int | None, db: Path, executor: str, address: str | None,
                workers: int | None, retry_failed: bool, quiet: bool) -> None:
    """Train every run of the grid not yet in the store (SPEC: a TOML spec file).

    Finished runs are skipped, so the same command resumes a killed sweep and an
    extended grid trains only what is new.
    """
    from actlab.bench.sweep import run_sweep

    spec = _spec(spec_file, activations, tasks, models, seeds, budget, epochs, lr, lr_grid,
                 optimiser, batch_size)
    assert spec is not None  # required=True
    summary = run_sweep(spec, db, executor=executor, workers=workers, address=address,
                        retry_failed=retry_failed, quiet=quiet)
    click.echo(f"{summary.trained} trained, {summary.diverged} diverged, {summary.failed} "
               f"failed, {summary.skipped} already in {db} ({summary.seconds:.1f} s)")
    if summary.failed:
        click.echo(f"{summary.failed} run(s) failed: `actlab bench status --db {db}` lists "
                   "them; `--retry-failed` runs them again", err=True)


@bench.command("status")
@_spec_options
@_db_option
def status_command(spec_file: Path | None, activations: str | None, tasks: tuple[str, ...],
                   models: tuple[str, ...], seeds: int | None, budget: int | None,
                   epochs: bool, lr: float | None, lr_grid: str | None, optimiser: str | None,
                   batch_size: int | None, db: Path) -> None:
    """Finished / diverged / failed runs in the store (with a spec: of that grid, and how
    many are still to do), and the failed runs with their last error line."""
    from rich.console import Console
    from rich.table import Table

    from actlab.bench.store import Store
    from actlab.bench.worker import last_line

    spec = _spec(spec_file, activations, tasks, models, seeds, budget, epochs, lr, lr_grid,
                 optimiser, batch_size, required=False)
    with Store(db, create=False) as store:
        failed = store.records(status="failed")
        if spec is None:
            counts = store.status_counts()
        else:
            wanted = {run.key() for run in spec.runs()}
            counts = {status: len(store.keys(status) & wanted)
                      for status in ("finished", "diverged", "failed")}
            counts["to do"] = len(wanted - store.keys())
            failed = [r for r in failed if r.key in wanted]
    console = Console()
    table = Table(title=f"bench runs in {db}" + ("" if spec is None else " (this grid)"))
    for status in counts:
        table.add_column(status, justify="right")
    table.add_row(*(str(n) for n in counts.values()))
    console.print(table)
    if failed:
        errors = Table(title="failed runs")
        for column in ("activation", "task", "model", "seed", "error"):
            errors.add_column(column, overflow="fold")
        for r in failed:
            errors.add_row(r.activation, r.task, r.model, str(r.seed), last_line(r.error))
        console.print(errors)


@bench.command("export")
@_db_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "markdown"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
def export_command(db: Path, fmt: str, output: Path | None) -> None:
    """Every stored run: one row per run (CSV, Markdown) or one object per run (JSON)."""
    from actlab.bench.export import export
    from actlab.bench.store import Store

    with Store(db, create=False) as store:
        text = export(store.records(), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
