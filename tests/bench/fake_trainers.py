"""Fast stand-ins for the bench's training, for engine tests (no torch).

A :class:`FakeTrainer` is a picklable object, so the pool's workers and Ray's
receive it with its settings (a worker forked from a fork server does not see
environment variables set after the server started).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from actlab.bench.config import RunConfig
from actlab.bench.labels import model_label, task_label
from actlab.bench.records import RunRecord


def fake_metric(run: RunConfig) -> float:
    """A made-up test accuracy that depends on the activation and the seed only."""
    return 0.5 + 0.01 * (sum(map(ord, run.activation)) % 40) + 0.001 * run.seed


@dataclass(frozen=True)
class FakeTrainer:
    seconds: float = 0.0  # sleep per run
    fail: str | None = None  # this activation's runs raise ...
    fail_seed: int | None = None  # ... only this seed's, when given
    diverge: str | None = None  # this activation's runs diverge

    def __call__(self, runs: Sequence[RunConfig]) -> list[RunRecord]:
        records = []
        for run in runs:
            time.sleep(self.seconds)
            if run.activation == self.fail and self.fail_seed in (None, run.seed):
                raise FloatingPointError(f"fake failure of {run.activation} seed {run.seed}")
            diverged = run.activation == self.diverge
            records.append(RunRecord(
                key=run.key(), activation=run.activation, task=task_label(run.task),
                model=model_label(run.model), seed=run.seed,
                status="diverged" if diverged else "finished", metric="test_accuracy",
                higher_is_better=True, test_metric=None if diverged else fake_metric(run),
                curve_steps=(0, 10), curve_loss=(2.3, 1.0), wall_seconds=self.seconds,
                environment={"pid": str(os.getpid())}))
        return records


fake_train_group = FakeTrainer()
