"""How long the bench's training takes: one seed group per default-bench cell, and packing.

Two tables, both from :func:`actlab.bench.training.train_group` with one torch thread:

* **Default bench budgets.**  For each cell of ``default_spec(quick)`` (MNIST-1D MLP,
  MNIST-1D CNN, digits MLP), one group (all its seeds) per activation is trained and
  timed after a warm-up group, on wall and process CPU time.  The estimate for the
  whole default bench is the sum of the groups' CPU seconds divided by the number of
  cores (a process pool keeps every core busy; on a busy machine wall time is
  inflated by other jobs, CPU time much less).
* **Packing.**  10 seeds of a small MLP trained as one packed group against the same
  10 runs trained one at a time (each its own ``train_group`` call), in the same run:
  the ratio of the two times (CPU and wall).  Packed and one-at-a-time give the same
  records (tests/bench/test_training.py), so the ratio is pure speed.

    python benchmarks/bench_training.py                    # full default bench, 8 activations
    python benchmarks/bench_training.py --quick            # the quick report's bench
    python benchmarks/bench_training.py --activations relu,gelu --no-budgets
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

from actlab.bench.config import ModelConfig, RunConfig, TaskConfig, TrainingConfig
from actlab.bench.spec import default_spec
from actlab.bench.training import train_group


def timed(work: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def budgets(quick: bool, activations: Sequence[str] | None, cores: int) -> dict[str, Any]:
    spec = default_spec(quick)
    groups: dict[str, list[RunConfig]] = {}
    for run in spec.runs():
        if activations is None or run.activation in activations:
            groups.setdefault(run.group_key(), []).append(run)
    # warm-up: torch's first calls and the data sets' first loads are not the groups' cost
    for group in {(g[0].task, g[0].model): g for g in groups.values()}.values():
        warm = [dataclasses.replace(r, training=dataclasses.replace(r.training, budget=5))
                for r in group[:1]]
        train_group(warm)
    rows = []
    for group in groups.values():
        first = group[0]
        wall, cpu = timed(lambda group=group: train_group(group))
        rows.append({"task": first.task.name, "model": first.model.kind,
                     "width": first.model.width, "steps": first.training.budget,
                     "activation": first.activation, "seeds": len(group),
                     "wall": wall, "cpu": cpu})
    print(f"\nDefault bench ({'quick' if quick else 'full'}): one group = all seeds of one "
          "activation")
    print(f"{'cell':<26}{'activation':<12}{'seeds':>6}{'wall s':>9}{'CPU s':>8}")
    for row in rows:
        cell = f"{row['task']} {row['model']} ({row['steps']} steps)"
        print(f"{cell:<26}{row['activation']:<12}{row['seeds']:>6}{row['wall']:>9.2f}"
              f"{row['cpu']:>8.2f}")
    total_cpu = sum(r["cpu"] for r in rows)
    total_wall = sum(r["wall"] for r in rows)
    print(f"all {len(rows)} groups: CPU {total_cpu:.1f} s, wall {total_wall:.1f} s; on {cores} "
          f"cores about {total_cpu / cores:.1f} s (CPU / cores, plus one warm-up per worker)")
    return {"rows": rows, "total_cpu": total_cpu, "total_wall": total_wall}


def packing(seeds: int, steps: int) -> list[dict[str, Any]]:
    cases = [("digits", ModelConfig("mlp", depth=2, width=32)),
             ("moons", ModelConfig("mlp", depth=2, width=16)),
             ("digits", ModelConfig("mlp", depth=2, width=100))]
    print(f"\nPacking: {seeds} seeds, {steps} Adam steps, batch 100; "
          "one packed group against one run at a time")
    print(f"{'task':<8}{'model':<26}{'packed CPU':>11}{'one-by-one':>11}{'ratio CPU':>10}"
          f"{'ratio wall':>11}")
    results = []
    for task_name, model in cases:
        task = TaskConfig(task_name)
        runs = [RunConfig("relu", task, model, TrainingConfig(budget=steps), s)
                for s in range(seeds)]
        train_group(runs[:1])  # warm-up (data loaded, torch initialised)
        packed_wall, packed_cpu = timed(lambda runs=runs: train_group(runs))
        alone_wall, alone_cpu = timed(lambda runs=runs: [train_group([r]) for r in runs])
        row = {"task": task_name, "model": f"mlp(depth={model.depth},width={model.width})",
               "packed_cpu": packed_cpu, "alone_cpu": alone_cpu,
               "ratio_cpu": alone_cpu / packed_cpu, "ratio_wall": alone_wall / packed_wall}
        results.append(row)
        print(f"{task_name:<8}{row['model']:<26}{packed_cpu:>10.2f}s{alone_cpu:>10.2f}s"
              f"{row['ratio_cpu']:>9.1f}×{row['ratio_wall']:>10.1f}×")
    return results


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the quick report's bench")
    parser.add_argument("--activations", default=None,
                        help="comma-separated subset of the default bench's activations")
    parser.add_argument("--cores", type=int, default=2, help="cores for the estimate")
    parser.add_argument("--no-budgets", action="store_true", help="skip the default bench")
    parser.add_argument("--no-packing", action="store_true", help="skip the packing table")
    parser.add_argument("--packing-steps", type=int, default=300)
    parser.add_argument("--json", default=None, help="write the figures to this file")
    args = parser.parse_args()
    torch.set_num_threads(1)
    out: dict[str, Any] = {"threads": 1}
    if not args.no_budgets:
        chosen = args.activations.split(",") if args.activations else None
        out["budgets"] = budgets(args.quick, chosen, args.cores)
    if not args.no_packing:
        out["packing"] = packing(10, args.packing_steps)
    if args.json:
        with open(args.json, "w") as stream:
            json.dump(out, stream, indent=1)


if __name__ == "__main__":
    main()
