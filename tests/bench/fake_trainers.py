"""Fast stand-ins for the bench's training, for engine tests (no torch).

They are module-level functions so that spawned pool workers and Ray workers can
import them.  Environment variables (inherited by workers) steer them:
``FAKE_TRAIN_SECONDS`` sleeps per run, ``FAKE_FAIL`` names an activation whose
runs raise, ``FAKE_FAIL_SEED`` limits that to one seed, ``FAKE_DIVERGE`` names an
activation whose runs diverge.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from actlab.bench.config import RunConfig
from actlab.bench.labels import model_label, task_label
from actlab.bench.records import RunRecord


def fake_metric(run: RunConfig) -> float:
    """A made-up test accuracy that depends on the activation and the seed only."""
    return 0.5 + 0.01 * (sum(map(ord, run.activation)) % 40) + 0.001 * run.seed


def fake_train_group(runs: Sequence[RunConfig]) -> list[RunRecord]:
    seconds = float(os.environ.get("FAKE_TRAIN_SECONDS", "0"))
    fail = os.environ.get("FAKE_FAIL")
    fail_seed = os.environ.get("FAKE_FAIL_SEED")
    records = []
    for run in runs:
        time.sleep(seconds)
        if run.activation == fail and (fail_seed is None or int(fail_seed) == run.seed):
            raise FloatingPointError(f"fake failure of {run.activation} seed {run.seed}")
        diverged = run.activation == os.environ.get("FAKE_DIVERGE")
        records.append(RunRecord(
            key=run.key(), activation=run.activation, task=task_label(run.task),
            model=model_label(run.model), seed=run.seed,
            status="diverged" if diverged else "finished", metric="test_accuracy",
            higher_is_better=True, test_metric=None if diverged else fake_metric(run),
            curve_steps=(0, 10), curve_loss=(2.3, 1.0), wall_seconds=seconds,
            environment={"pid": str(os.getpid())}))
    return records


def fake_train_group_failing_on_tanh(runs: Sequence[RunConfig]) -> list[RunRecord]:
    """As :func:`fake_train_group`, but every tanh run raises (for executors whose workers
    do not see this process's environment, such as Ray's)."""
    if any(run.activation == "tanh" for run in runs):
        raise FloatingPointError("fake failure of tanh")
    return fake_train_group(runs)
