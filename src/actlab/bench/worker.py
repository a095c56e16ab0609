"""What a worker runs for one seed group: train it, and turn an exception into records.

The sweep never loses a run to an exception: a group whose training raises is
retried one run at a time (so one bad seed does not fail its siblings), and a
run that still raises is recorded as ``failed`` with its traceback.  Workers
only return records; the sweep's parent process alone writes the store.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from collections.abc import Callable, Sequence

from actlab.bench.config import RunConfig
from actlab.bench.labels import model_label, task_label, task_metric
from actlab.bench.records import RunRecord

Trainer = Callable[[Sequence[RunConfig]], list[RunRecord]]


def default_trainer(runs: Sequence[RunConfig]) -> list[RunRecord]:
    """The bench's own training (imported here: torch loads in the worker, not the CLI)."""
    import torch

    from actlab.bench.training import train_group

    torch.set_num_threads(1)  # one worker per core: more threads only fight each other
    return train_group(runs)


def run_group(runs: Sequence[RunConfig], trainer: Trainer | None = None) -> list[RunRecord]:
    """One record per run, in order, whatever the trainer does."""
    train = trainer or default_trainer
    try:
        return _checked(train(runs), runs)
    except Exception:
        if len(runs) == 1:
            return [failed_record(runs[0], traceback.format_exc())]
    records = []
    for run in runs:  # one at a time, so that one bad seed fails alone
        try:
            records.extend(_checked(train([run]), [run]))
        except Exception:
            records.append(failed_record(run, traceback.format_exc()))
    return records


def _checked(records: list[RunRecord], runs: Sequence[RunConfig]) -> list[RunRecord]:
    """A trainer must return one record per run, with the run's key, in order."""
    got = [r.key for r in records]
    wanted = [r.key() for r in runs]
    if got != wanted:
        raise RuntimeError(f"the trainer returned records for keys {got}, expected {wanted}")
    return records


def failed_record(run: RunConfig, error: str) -> RunRecord:
    """The record of a run that raised: its configuration, ``failed`` and the traceback."""
    metric, higher = task_metric(run.task)
    return RunRecord(key=run.key(), activation=run.activation, task=task_label(run.task),
                     model=model_label(run.model), seed=run.seed, status="failed",
                     metric=metric, higher_is_better=higher, error=error,
                     environment={"host": platform.node(), "python": sys.version.split()[0],
                                  "pid": str(os.getpid())})


def last_line(error: str | None) -> str:
    """The last non-empty line of a traceback: what went wrong, in one line."""
    lines = [line.strip() for line in (error or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""
