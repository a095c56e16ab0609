"""``actlab bench show / compare / plot``: the statistics of a bench database.

Registered on the ``bench`` group by :func:`register`.  Heavy imports (scipy,
statsmodels, matplotlib) happen inside the commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console

    from actlab.bench.ranking import RankSummary
    from actlab.bench.records import RunRecord
    from actlab.bench.statistics import Leaderboard, PairwiseComparison

DB_OPTION = click.option(
    "--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=Path("actlab.db"),
    show_default=True, help="The bench database (SQLite) to read.")
ALPHA_OPTION = click.option(
    "--alpha", type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True), default=0.05,
    show_default=True, help="Family-wise significance level (Holm; Friedman and Nemenyi).")


def console() -> Console:
    """Standard output for tables: at least 120 columns when it is not a terminal (a pipe
    or a file), so that a leaderboard is not squeezed into 80."""
    from rich.console import Console

    out = Console(highlight=False)
    if not out.is_terminal:
        out = Console(highlight=False, width=max(out.width, 120))
    return out


def number(value: float | None, digits: int = 4) -> str:
    return "—" if value is None else f"{value:.{digits}g}"


def interval_text(interval: tuple[float, float] | None, digits: int = 4) -> str:
    if interval is None:
        return "—"
    return f"[{interval[0]:.{digits}g}, {interval[1]:.{digits}g}]"


def p_text(p: float) -> str:
    return f"{p:.3f}" if p >= 1e-3 else f"{p:.1e}"


@click.command("show")
@DB_OPTION
@click.option("--task", default=None, help="Only this task (as `bench status` names it).")
@click.option("--model", default=None, help="Only this model (as `bench status` names it).")
@ALPHA_OPTION
@click.option("--blocks", type=click.Choice(["runs", "tasks"]), default="runs",
              show_default=True,
              help="Across tasks, rank within each (task, model, seed) run, or within each "
                   "(task, model) by median (needs many tasks).")
def show(db: Path, task: str | None, model: str | None, alpha: float, blocks: str) -> None:
    """Leaderboards per task and model (mean, median, 95 % interval, mean rank), the
    leaders (best only when significant), and the ranking across tasks."""
    from actlab.bench.ranking import rank_summary
    from actlab.bench.results import load_runs
    from actlab.bench.statistics import leaderboards

    records = load_runs(db, task=task, model=model)
    out = console()
    boards = leaderboards(records, alpha)
    for board in boards:
        print_leaderboard(out, board)
    if len(boards) > 1:
        print_rank_summary(out, rank_summary(records, "tasks" if blocks == "tasks" else "runs",
                                             alpha=alpha))


def print_leaderboard(console: Console, board: Leaderboard) -> None:
    from rich.table import Table

    better = "higher" if board.higher_is_better else "lower"
    table = Table(title=f"{board.task} / {board.model} — {board.metric} ({better} is better)",
                  title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("activation", no_wrap=True)
    for column in ("mean rank", "mean", "95 % interval", "median", "finished", "diverged",
                   "failed"):
        table.add_column(column, justify="right", no_wrap=True)
    for i, row in enumerate(board.rows, start=1):
        leader = row.activation in board.leaders.members
        table.add_row(str(i), f"[bold]{row.activation}[/]" if leader else row.activation,
                      f"{row.mean_rank:.2f}" if row.runs else "—", number(row.mean),
                      interval_text(row.interval),
                      number(row.median), str(row.finished), str(row.diverged),
                      str(row.failed))
    console.print(table)
    if board.diverged:
        console.print("Means and medians are over finished runs; diverged runs rank below "
                      "every finished run in the ranks and tests.")
    console.print(board.leaders.sentence())
    for record in board.failed:
        last = (record.error or "").strip().splitlines()[-1:] or ["(no error recorded)"]
        console.print(f"failed (left out): {record.activation} seed {record.seed}: {last[0]}",
                      markup=False)
    console.print()


def print_rank_summary(console: Console, summary: RankSummary) -> None:
    from rich.table import Table

    table = Table(title="Across tasks: mean rank (1 = best)", title_justify="left")
    table.add_column("activation", no_wrap=True)
    table.add_column("mean rank", justify="right", no_wrap=True)
    for name, rank in zip(summary.activations, summary.mean_ranks, strict=True):
        bold = name in summary.leaders and len(summary.activations) > 1
        table.add_row(f"[bold]{name}[/]" if bold else name, f"{rank:.2f}")
    console.print(table)
    if summary.excluded:
        console.print(f"Left out (not run on every task): {', '.join(summary.excluded)}")
    if summary.dropped_blocks:
        console.print(f"{summary.dropped_blocks} block(s) left out: a run failed or is missing.")
    console.print(summary.sentence())
    if summary.significant:
        console.print("Groups that do not differ significantly:")
        for line in summary.group_lines():
            console.print(f"  {line}")


@click.command("compare")
@click.argument("first")
@click.argument("second")
@DB_OPTION
@ALPHA_OPTION
def compare(first: str, second: str, db: Path, alpha: float) -> None:
    """Compare two activations seed by seed on every task and model both were run on."""
    from actlab.bench.results import load_runs, match_activation
    from actlab.bench.statistics import leaderboards
    from actlab.errors import UserError

    records = load_runs(db)
    known = sorted({r.activation for r in records})
    first, second = match_activation(first, known), match_activation(second, known)
    if first == second:
        raise UserError(f"compare needs two different activations, got {first} twice")
    boards = [b for b in leaderboards(records, alpha)
              if all(name in b.activations and b.row(name).runs for name in (first, second))]
    if not boards:
        raise UserError(f"{first} and {second} were never run on the same task and model")
    print_comparisons(console(), [(b, b.comparison(first, second))
                                                  for b in boards])


def print_comparisons(console: Console,
                      rows: Sequence[tuple[Leaderboard, PairwiseComparison]]) -> None:
    from rich.table import Table

    first, second = rows[0][1].first, rows[0][1].second
    table = Table(title=f"{first} against {second}, seed by seed", title_justify="left")
    for column in ("task / model", "seeds", "W/L/T", "mean diff.", "95 % interval", "r",
                   "p", "Holm p", "verdict"):
        table.add_column(column, justify="left" if column in ("task / model", "verdict")
                         else "right", no_wrap=column != "task / model", overflow="fold")
    for board, c in rows:
        verdict = f"{c.winner} better" if c.winner else "not significant"
        table.add_row(f"{board.task} / {board.model}", str(c.pairs),
                      f"{c.wins} / {c.losses} / {c.ties}", number(c.mean_difference, 3),
                      interval_text(c.difference_interval, 3), f"{c.rank_biserial:+.2f}",
                      p_text(c.p_value), p_text(c.p_holm), verdict)
    console.print(table)
    console.print(
        f"W/L/T: seeds {first} won, lost, tied.  p: Wilcoxon signed-rank test on the seeds "
        f"both ran (a diverged run is worse than any finished one); Holm p: adjusted over "
        f"every pair of activations of the task, alpha = {rows[0][1].alpha:g}.  Mean diff.: "
        f"{first} − {second} in the metric's units over seeds where both finished, with its "
        f"95 % interval; r: matched-pairs rank-biserial correlation (> 0 favours {first}).")


@click.command("plot")
@DB_OPTION
@click.option("-o", "--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("figures"), show_default=True,
              help="Directory to write the PNG figures into.")
@ALPHA_OPTION
def plot(db: Path, out: Path, alpha: float) -> None:
    """Figures: per-seed outcomes, learning curves, critical-difference diagram, and a heat
    map of mean ranks (PNG files in OUT)."""
    from actlab.bench.results import load_runs
    from actlab.cli.directories import ensure_output_directory

    records = load_runs(db)
    ensure_output_directory(out, "figure directory")
    for path in write_figures(records, out, alpha):
        click.echo(str(path))


def write_figures(records: Sequence[RunRecord], out: Path, alpha: float = 0.05,
                  dpi: int = 110) -> list[Path]:
    """Draw the bench figures of ``records`` into ``out``; returns the files written."""
    from actlab.bench.ranking import rank_summary
    from actlab.bench.statistics import leaderboards
    from actlab.plot.bench import bench_figures

    drawn = bench_figures(records, leaderboards(records, alpha), rank_summary(records,
                                                                             alpha=alpha))
    written = []
    for name, fig in drawn.items():
        path = out / f"{name}.png"
        fig.savefig(path, dpi=dpi)
        written.append(path)
    return written


def register(group: click.Group) -> None:
    """Add show, compare and plot to the ``bench`` group."""
    for command in (show, compare, plot):
        group.add_command(command)
