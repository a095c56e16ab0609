"""Run a spec into a store: skip what is done, train the rest, commit each group as it arrives.

The parent process is the only writer.  Workers return records; each group is
committed in one transaction the moment it comes back, so killing the sweep at
any moment (SIGKILL included) loses no finished run and duplicates none, and
the same command resumes where it stopped.  An extended spec (more
activations, seeds, tasks) reuses every finished run, because runs are keyed by
their canonical configuration.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from actlab.bench.config import RunConfig
from actlab.bench.executors import check_executor, run_groups
from actlab.bench.labels import model_label, task_label
from actlab.bench.spec import Spec
from actlab.bench.store import Store
from actlab.bench.worker import Trainer
from actlab.errors import UserError

LEADERS_SHOWN = 3


@dataclass(frozen=True)
class SweepSummary:
    """What one sweep did."""

    trained: int  # runs trained to the end of their budget in this sweep
    skipped: int  # runs already in the store (finished or diverged, or failed unless retried)
    diverged: int  # runs of this sweep whose loss became NaN or infinite
    failed: int  # runs of this sweep that raised (their tracebacks are in the store)
    seconds: float

    @property
    def total(self) -> int:
        return self.trained + self.skipped + self.diverged + self.failed


@dataclass(frozen=True)
class SweepProgress:
    """Where a sweep stands, after each group it commits."""

    done: int  # runs of the spec now in the store (skipped ones included)
    total: int  # runs in the spec
    failed: int  # failed in this sweep so far
    leaders: str  # e.g. "mnist1d mlp(depth=2,width=100): gelu 0.912 · silu 0.91 · relu 0.9"


ProgressCallback = Callable[[SweepProgress], None]


def plan(spec: Spec, store: Store, retry_failed: bool = False) -> list[list[RunConfig]]:
    """The runs still to train, as seed groups (runs differing only in seed)."""
    skip = store.finished_keys() if retry_failed else store.keys()
    groups: dict[str, list[RunConfig]] = {}
    for run in spec.runs():
        if run.key() not in skip:
            groups.setdefault(run.group_key(), []).append(run)
    return list(groups.values())


def check_groups(groups: list[list[RunConfig]]) -> None:
    """Catch a mistake that needs the data (a malformed file, a CNN on inputs of the wrong
    shape) before anything trains: one UserError instead of a store full of failed runs.

    Embedded tasks with the MLP fit by construction, so their data is not loaded here.
    """
    from actlab.bench.tasks import FILE_TASKS
    from actlab.bench.training import check_run

    checked = set()
    for group in groups:
        run = group[0]
        cell = (run.task, run.model, run.training.validation_fraction)
        if cell in checked or (run.model.kind == "mlp" and run.task.name not in FILE_TASKS):
            continue
        checked.add(cell)
        try:
            check_run(run)
        except UserError as err:
            raise UserError(f"{task_label(run.task)} × {model_label(run.model)}: {err}") from None


def run_sweep(spec: Spec, db: Path | str, *, executor: str = "local", workers: int | None = None,
              address: str | None = None, retry_failed: bool = False, quiet: bool = False,
              progress: ProgressCallback | None = None,
              trainer: Trainer | None = None) -> SweepSummary:
    """Train every run of ``spec`` not yet in the store ``db``.

    ``progress`` is called after each committed group; without it a rich bar with
    ETA and the live leaders is drawn on stderr unless ``quiet``.  ``trainer``
    replaces the bench's training (tests inject a fast fake).
    """
    start = time.perf_counter()
    check_executor(executor, workers, address)
    with Store(db) as store:
        groups = plan(spec, store, retry_failed)
        if trainer is None:  # a fake trainer (tests) needs no data
            check_groups(groups)
        total = len(spec.runs())
        todo = sum(len(g) for g in groups)
        counts = {"finished": 0, "diverged": 0, "failed": 0}
        bar = None
        if progress is None and not quiet:
            from actlab.bench.progress import SweepBar

            bar = SweepBar(total=total, done=total - todo)
            progress = bar.update
        try:
            for group, records in run_groups(groups, executor, workers, address, trainer):
                store.insert(records, group)
                for record in records:
                    counts[record.status] += 1
                if progress is not None:
                    done = total - todo + sum(counts.values())
                    cell = records[0]  # labels as the trainer wrote them
                    progress(SweepProgress(done=done, total=total, failed=counts["failed"],
                                           leaders=leaders(store, cell.task, cell.model)))
        finally:
            if bar is not None:
                bar.close()
    return SweepSummary(trained=counts["finished"], skipped=total - todo,
                        diverged=counts["diverged"], failed=counts["failed"],
                        seconds=time.perf_counter() - start)


def leaders(store: Store, task: str, model: str, shown: int = LEADERS_SHOWN) -> str:
    """The best activations so far of a (task, model) cell, by mean test metric."""
    rows = [r for r in store.leaderboard(task, model) if r.mean is not None][:shown]
    if not rows:
        return f"{task} {model}: no finished run yet"
    best = " · ".join(f"{r.activation} {r.mean:.4g}" for r in rows)
    return f"{task} {model}: {best}"
