"""``build_report``: run the experiments, draw the atlas, write the site.

An experiment that fails does not stop the report: its page shows the error,
the others are written, and the outcome lists the failures so that the CLI can
exit non-zero with a one-line summary.
"""

from __future__ import annotations

import contextlib
import platform
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from actlab.lab.overrides import ConfigOverrides
from actlab.lab.registry import Experiment, experiment, experiments
from actlab.report.atlas import build_entries
from actlab.report.bench_section import BENCH, BenchSection, run_bench_section
from actlab.report.formatting import format_seconds
from actlab.report.runner import ExperimentRun, StepFn, run_all
from actlab.report.site import RunInfo, write_site

GALLERY = "gallery"  # the experiment whose figures (keyed by activation name) join the atlas


@dataclass
class ReportOutcome:
    index: Path
    runs: list[ExperimentRun]
    seconds: float
    bench: BenchSection | None = None  # the bench page, when the bench was part of it

    @property
    def failures(self) -> list[ExperimentRun]:
        """Experiments that failed, or whose checks do not hold (a check failing is a bug)."""
        return [r for r in self.runs if not r.ok or (r.result and r.result.failed_checks)]

    @property
    def bench_failed(self) -> bool:
        return self.bench is not None and not self.bench.ok

    def summary(self) -> str:
        """One line: what failed, or that all went well."""
        bench = " and the bench" if self.bench is not None else ""
        if not self.failures and not self.bench_failed:
            return f"report written to {self.index} ({len(self.runs)} experiments{bench})"
        failed = []
        if self.failures:
            names = ", ".join(
                r.experiment.name + (f" ({len(r.result.failed_checks)} failing check(s))"
                                     if r.ok and r.result else "")
                for r in self.failures)
            failed.append(f"{len(self.failures)} of {len(self.runs)} experiments failed "
                          f"({names})")
        if self.bench_failed:
            failed.append("the bench failed")
        return f"{'; '.join(failed)}; see {self.index}"


def split_only(only: Sequence[str] | None) -> tuple[list[str] | None, bool]:
    """``--only`` names -> (experiment names or None for all, whether the bench is in).

    Without ``--only`` the report is every experiment and the bench; with it, exactly
    the names given, where ``bench`` names the bench."""
    if not only:
        return None, True
    names = [name.strip() for name in only]
    return [name for name in names if name != BENCH], BENCH in names


def select(only: Sequence[str] | None) -> list[Experiment]:
    """The experiments to run, in report order; an unknown name is a KeyError naming it."""
    if not only:
        return experiments()
    wanted = []
    for name in only:
        exp = experiment(name.strip())
        if exp not in wanted:
            wanted.append(exp)
    order = {e.name: i for i, e in enumerate(experiments())}
    return sorted(wanted, key=lambda e: order.get(e.name, len(order)))


def build_report(
    out: Path | str = "actlab-report",
    *,
    only: Sequence[str] | None = None,
    quick: bool = False,
    seed: int | None = None,
    data_dir: Path | str | None = None,
    rerun: bool = False,
    quiet: bool = False,
    activations: Sequence[str] | None = None,
    bench: bool = False,
    bench_db: Path | str | None = None,
) -> ReportOutcome:
    """Run (or reuse) the experiments and write the site into ``out``.

    ``activations`` limits the atlas to those catalogue names (default: all).  With
    ``bench`` the default bench is run too (finished runs in ``bench_db``, by default
    ``<out>/bench/runs.db``, are reused) and the site gains its page; ``only`` may name
    ``"bench"`` (see :func:`split_only`).  ``data_dir`` goes to every experiment that reads
    data files (the CIFAR-10 race of convergence_race); the others ignore it.
    """
    started = time.perf_counter()
    out = Path(out)
    names, bench_named = split_only(only)
    with_bench = bench and bench_named
    # before anything is written: a bad name changes nothing; "--only bench" is no experiment
    selected = [] if names == [] else select(names)
    out.mkdir(parents=True, exist_ok=True)
    with _progress(selected, quiet, with_bench) as step:
        overrides = ConfigOverrides(seed=seed, data_dir=str(data_dir) if data_dir else None)
        runs = run_all(selected, out / "experiments", quick=quick, overrides=overrides,
                       rerun=rerun, step=step)
        section = None
        if with_bench:
            at = len(selected)
            section = run_bench_section(out, Path(bench_db) if bench_db else None, quick,
                                        lambda fraction, message: step(at, fraction, message))
            step(at, 1.0, "FAILED" if not section.ok else "done")
        pages_step = len(selected) + int(with_bench)
        step(pages_step, 0.0, "drawing the atlas")
        atlas = build_entries(out / "atlas" / "img", "img/", activations)
        _attach_gallery(runs, atlas)
        step(pages_step, 0.7, "writing pages")
        info = RunInfo(
            generated=datetime.now().strftime("%Y-%m-%d %H:%M"),
            seconds=time.perf_counter() - started,
            quick=quick,
            seed=seed,
            versions=versions(),
            computed_seconds=sum(r.record.seconds for r in runs if r.result is not None),
            cached_runs=sum(1 for r in runs if r.record.cached),
        )
        pages = write_site(out, runs, atlas, info, section)
        step(pages_step, 1.0, "done")
    return ReportOutcome(pages[0], runs, time.perf_counter() - started, section)


def _attach_gallery(runs: list[ExperimentRun], atlas: list) -> None:
    """Link each activation's gallery panel (a figure keyed by its name) from its atlas page."""
    for r in runs:
        if r.experiment.name == GALLERY and r.result is not None:
            for entry in atlas:
                if entry.name in r.record.figures:
                    entry.gallery.append(f"../experiments/{GALLERY}/{r.record.figures[entry.name]}")


def versions() -> dict[str, str]:
    found = {"actlab": _version("actlab"), "python": platform.python_version()}
    for package in ("numpy", "torch", "matplotlib", "scikit-learn"):
        found[package] = _version(package)
    return found


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _plain_progress(names: list[str], console: Any) -> StepFn:
    """Progress for a non-terminal: '[2/8] gates: done (12.3 s, ETA 1 min 10 s)'."""
    started = time.perf_counter()
    step_started = {"index": -1, "at": started}

    def step(index: int, fraction: float, message: str) -> None:
        if index != step_started["index"]:
            step_started.update(index=index, at=time.perf_counter())
        if fraction >= 1.0:
            now = time.perf_counter()
            done = index + 1
            left = len(names) - done
            eta = f", ETA {format_seconds((now - started) / done * left)}" if left else ""
            console.print(f"[{done}/{len(names)}] {names[index]}: {message} "
                          f"({format_seconds(now - step_started['at'])}{eta})",
                          highlight=False, markup=False)

    return step


@contextlib.contextmanager
def _progress(selected: list[Experiment], quiet: bool,
              bench: bool = False) -> Iterator[StepFn]:
    """A rich progress bar with ETA over the experiments (plus one step for the bench,
    and one for the pages)."""
    total = len(selected) + int(bench) + 1
    if quiet:
        yield lambda index, fraction, message: None
        return
    from rich.console import Console
    from rich.progress import Progress

    from actlab.report.progress import EtaEstimate, bar_columns, shorten

    names = [e.name for e in selected] + [BENCH] * bench + ["pages"]
    console = Console(stderr=True)
    if not console.is_terminal:  # a log file or CI: one plain line per finished step
        yield _plain_progress(names, console)
        return
    # every experiment counts as one unit of expected cost, the bench as three (it trains
    # 24 groups of seeds), the pages as a fifth of one
    estimate = EtaEstimate(weights=[1.0] * len(selected) + [3.0] * bench + [0.2])
    with Progress(*bar_columns(), console=console, transient=False) as bar:
        task = bar.add_task("report", total=total, eta=estimate)

        def step(index: int, fraction: float, message: str) -> None:
            name = names[min(index, len(names) - 1)]
            estimate.start_step(index, bar.get_time())
            bar.update(task, completed=index + fraction,
                       description=shorten(f"{name}: {message}"))

        yield step
        bar.update(task, completed=total, description="report done")
