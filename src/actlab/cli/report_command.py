"""``actlab report``: run every lab experiment and write the static HTML site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from actlab.errors import UnknownName


class ReportFailed(click.ClickException):
    """Some experiments failed: the site is written, the exit code says it is incomplete."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"actlab: error: {self.message}", err=True, file=file)


def _split(values: tuple[str, ...]) -> list[str]:
    """``--only a,b --only c`` -> ["a", "b", "c"]."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


@click.command("report")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("actlab-report"), show_default=True,
              help="Directory to write the site into.")
@click.option("--only", "only", multiple=True, metavar="NAMES",
              help="Run only these experiments (comma list; may be repeated).")
@click.option("--quick", is_flag=True,
              help="Small configurations (the whole report in under a minute).")
@click.option("--seed", type=int, default=None,
              help="Seed for every experiment (default: each one's own).")
@click.option("--data", "data_dir", metavar="DIR",
              default=None, help="Directory of data files for the experiments that read "
              "them (convergence_race: CIFAR-10's python batches).")
@click.option("--rerun", is_flag=True, help="Ignore cached results and run everything again.")
@click.option("--open", "open_browser", is_flag=True, help="Open the index in the web browser.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary line on success.")
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Bench store to run the default bench into (finished runs are reused) "
                   "[default: OUT/bench/runs.db].")
@click.option("--no-bench", is_flag=True,
              help="Leave the bench out (it is in by default, or with --only bench).")
def report(out: Path, only: tuple[str, ...], quick: bool, seed: int | None,
           data_dir: str | None, rerun: bool,
           open_browser: bool, quiet: bool, db: Path | None, no_bench: bool) -> None:
    """Run the lab experiments and the default bench, and write an HTML report: atlas,
    experiments, claims, bench.

    Results are cached in OUT: running the report again with the same
    configuration only redraws the pages (use --rerun to recompute the
    experiments).  The bench's runs are kept in its store (--db) and reused.
    """
    from actlab.cli.directories import data_directory, ensure_output_directory
    from actlab.report import build_report
    from actlab.report.builder import select, split_only

    names, _ = split_only(_split(only) or None)
    try:  # an unknown name fails before the directory is made
        selected = [] if names == [] else select(names)
    except KeyError as err:  # a name the user typed in --only
        raise UnknownName(err.args[0]) from None
    if data_dir is not None:  # a directory without the files an experiment reads fails
        from actlab.lab.overrides import ConfigOverrides  # now, not after an hour of work

        data_dir = data_directory(data_dir)
        overrides = ConfigOverrides(data_dir=data_dir)
        for experiment in selected:
            overrides.apply(experiment.config(quick=quick))
    ensure_output_directory(out, "report directory")
    outcome = build_report(out, only=_split(only) or None, quick=quick, seed=seed,
                           data_dir=data_dir,
                           rerun=rerun, quiet=quiet, bench=not no_bench, bench_db=db)
    if open_browser:
        import webbrowser

        webbrowser.open(outcome.index.resolve().as_uri())
    if outcome.failures or outcome.bench_failed:
        raise ReportFailed(outcome.summary())
    if not quiet:
        click.echo(f"{outcome.summary()} in {outcome.seconds:.1f} s")


def register(app: click.Group) -> None:
    """Add this module's commands to the app."""
    app.add_command(report)
