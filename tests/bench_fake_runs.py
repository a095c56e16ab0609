"""Hand-made bench runs for the statistics, figure, CLI and report tests (no training)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from actlab.bench.records import RunRecord

DIVERGED = "diverged"
FAILED = "failed"
Outcome = float | str  # a test metric, or DIVERGED / FAILED


def runs(table: Mapping[str, Sequence[Outcome]], task: str = "digits", model: str = "mlp",
         metric: str = "test_accuracy", steps: int = 10) -> list[RunRecord]:
    """One run per (activation, seed): ``table[activation][seed]`` is its outcome.

    Each run gets a short learning curve ending near ``1 - metric`` (for the figures)."""
    higher = metric == "test_accuracy"
    made = []
    for activation, outcomes in table.items():
        for seed, outcome in enumerate(outcomes):
            status = outcome if isinstance(outcome, str) else "finished"
            value = None if isinstance(outcome, str) else float(outcome)
            end = steps if status == "finished" else steps // 2
            final = (1 - value if higher else value) if value is not None else 1.0
            curve = tuple(2.0 * (final / 2.0) ** (i / max(end - 1, 1)) for i in range(end))
            made.append(RunRecord(
                key=f"{task}-{model}-{activation}-{seed}", activation=activation, task=task,
                model=model, seed=seed, status=status,  # type: ignore[arg-type]
                metric=metric, higher_is_better=higher, test_metric=value,
                best_val_metric=value, learning_rate=0.01,
                curve_steps=tuple(range(0, 10 * end, 10)),
                curve_loss=curve if status != "diverged" else (*curve[:-1], float("nan")),
                wall_seconds=1.0, cpu_seconds=1.0,
                error="Traceback ...\nRuntimeError: boom" if status == "failed" else None))
    return made


def spec_runs(spec: object, accuracy: Callable[[str, str, int], Outcome]) -> list[RunRecord]:
    """A record for every run of a bench spec, keyed as a sweep would key it, with the
    outcome ``accuracy(activation, task label, seed)``: a pre-filled store for the report
    tests (the report's sweep then finds every run done and trains nothing)."""
    from actlab.bench.labels import model_label, task_label

    made = []
    for run in spec.runs():  # type: ignore[attr-defined]
        task, model = task_label(run.task), model_label(run.model)
        outcome = accuracy(run.activation, task, run.seed)
        (record,) = runs({run.activation: [outcome]}, task=task, model=model)
        made.append(replace(record, key=run.key(), seed=run.seed))
    return made
