"""The report's bench page: run the default bench (reusing finished runs), compute its
statistics once, draw its figures, and hand the page everything it shows.

The default bench is :func:`actlab.bench.spec.default_spec` (MNIST-1D with the MLP and the
1-D CNN, the digits MLP, eight activations, paired seeds).  Its runs go into a SQLite
store: by default ``<report>/bench/runs.db``, so that building the same report again
trains nothing; ``actlab report --db FILE`` names another store (an existing one keeps
its other runs, and the page shows only the default bench's).  A bench that cannot run
does not stop the report: the page shows the error, and the report exits non-zero.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

    from actlab.bench.ranking import RankSummary
    from actlab.bench.records import RunRecord
    from actlab.bench.spec import Spec
    from actlab.bench.statistics import Leaderboard

BENCH = "bench"  # its name in ``--only`` and its directory in the report
DEFAULT_DB = "runs.db"  # inside <report>/bench/ unless --db names another store
FIGURE_DPI = 110
FIGURE_TITLES = {
    "critical_difference": "Critical-difference diagram across the tasks",
    "rank_heatmap": "Mean rank per task",
    "seed_outcomes": "Every seed's test accuracy",
    "learning_curves": "Training loss",
}

# (fraction of the bench step done, what is happening)
BenchStep = Callable[[float, str], None]


@dataclass(frozen=True)
class BenchCell:
    """One (task, model) of the spec and its training, as the page describes it."""

    task: str
    model: str
    budget: str  # e.g. "2000 steps"
    training: str  # optimiser, learning rate, batch size


@dataclass
class BenchSection:
    """What the bench page shows."""

    db: Path
    quick: bool
    activations: tuple[str, ...] = ()
    seeds: tuple[int, ...] = ()
    cells: list[BenchCell] = field(default_factory=list)
    trained: int = 0  # runs trained while building this report
    reused: int = 0  # runs found in the store
    seconds: float = 0.0  # the sweep and the statistics
    boards: list[Leaderboard] = field(default_factory=list)
    summary: RankSummary | None = None
    figures: dict[str, str] = field(default_factory=dict)  # name -> file in bench/
    figure_errors: dict[str, str] = field(default_factory=dict)
    error: str = ""  # one line, when the bench could not run
    traceback: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and not self.figure_errors

    @property
    def failed_runs(self) -> int:
        return sum(len(board.failed) for board in self.boards)

    @property
    def answer(self) -> str:
        """The section's answer in one or two sentences (on the index and the page)."""
        if self.error:
            return f"The bench could not run: {self.error}"
        if self.summary is None:
            return "No bench results."
        return self.summary.sentence()

    def figure_title(self, name: str) -> str:
        return FIGURE_TITLES.get(name, name.replace("_", " "))


def run_bench_section(out: Path, db: Path | None, quick: bool,
                      step: BenchStep | None = None) -> BenchSection:
    """Run (or reuse) the default bench into ``db`` and prepare the page; never raises
    for a bench that fails (the section carries the error instead)."""
    started = time.perf_counter()
    directory = out / BENCH
    section = BenchSection(db=db if db is not None else directory / DEFAULT_DB, quick=quick)
    report = step or (lambda fraction, message: None)
    try:
        from actlab.bench.spec import default_spec

        spec = default_spec(quick)
        _describe(section, spec)
        records = _sweep(spec, section, report)
        report(0.9, "statistics")
        _statistics(section, records)
        report(0.95, "figures")
        directory.mkdir(parents=True, exist_ok=True)
        _draw(section, records, directory)
    except Exception as err:
        text = str(err).strip().splitlines()
        section.error = f"{type(err).__name__}: {text[0]}" if text else type(err).__name__
        section.traceback = traceback.format_exc()
    section.seconds = time.perf_counter() - started
    return section


def _describe(section: BenchSection, spec: Spec) -> None:
    from actlab.bench.labels import model_label, task_label

    section.activations = spec.activations
    section.seeds = spec.seeds
    for cell in spec.cells():
        t = cell.training
        rate = (f"learning rate {t.learning_rate:g}" if not t.lr_grid
                else f"learning rate tuned on {list(t.lr_grid)}")
        section.cells.append(BenchCell(
            task=task_label(cell.task), model=model_label(cell.model),
            budget=f"{t.budget} {t.budget_unit}",
            training=f"{t.optimiser}, {rate}, batch {t.batch_size}, init {t.init}"))


def _sweep(spec: Spec, section: BenchSection, report: BenchStep) -> list[RunRecord]:
    """Train what the store lacks; returns the spec's runs (and only those) from it."""
    from actlab.bench.results import load_runs
    from actlab.bench.sweep import SweepProgress, run_sweep

    section.db.parent.mkdir(parents=True, exist_ok=True)

    def progress(state: SweepProgress) -> None:
        report(0.9 * state.done / max(state.total, 1), f"{state.done}/{state.total} runs")

    report(0.0, "training")
    summary = run_sweep(spec, section.db, quiet=True, progress=progress)
    section.trained = summary.trained + summary.diverged + summary.failed
    section.reused = summary.skipped
    return load_runs(section.db, keys={run.key() for run in spec.runs()})


def _statistics(section: BenchSection, records: list[RunRecord]) -> None:
    from actlab.bench.ranking import rank_summary
    from actlab.bench.statistics import leaderboards

    section.boards = leaderboards(records)
    section.summary = rank_summary(records)


def _draw(section: BenchSection, records: list[RunRecord], directory: Path) -> None:
    from actlab.plot.bench import bench_figures
    from actlab.report.runner import _release

    assert section.summary is not None
    for name, fig in bench_figures(records, section.boards, section.summary).items():
        filename = f"{name}.png"
        try:
            fig.savefig(directory / filename, dpi=FIGURE_DPI)
            section.figures[name] = filename
        except Exception as err:
            section.figure_errors[name] = f"{type(err).__name__}: {err}"
        finally:
            _release(fig)


def write_bench_page(env: jinja2.Environment, out: Path, section: BenchSection,
                     common: dict[str, object]) -> Path:
    """Render ``bench.html`` into ``out``."""
    env.filters["p_value"] = p_value
    env.filters["interval"] = interval
    page = out / f"{BENCH}.html"
    context = {**common, "bench": section}
    page.write_text(env.get_template("bench.html").render(
        root="", section="bench", **context), encoding="utf-8")
    return page


def p_value(p: float) -> str:
    """p-values as the bench shows them: 3 decimals, or scientific below 0.001."""
    return f"{p:.3f}" if p >= 1e-3 else f"{p:.1e}"


def interval(bounds: tuple[float, float] | None) -> str:
    return "—" if bounds is None else f"[{bounds[0]:.4g}, {bounds[1]:.4g}]"
