"""Throughput of the bench, each figure a ratio against a baseline timed in the same run.

1. Local pool scaling: runs per minute of a digits-MLP sweep with 1 and 2 workers
   (parallel efficiency = rate with 2 / (2 × rate with 1); target >= 90 %).
2. Ray against the local pool on the same cores: the same sweep through Ray Core
   tasks on a local Ray instance with as many CPUs (target: <= 10 % slower).
3. Packing: 10 seeds of a small MLP trained as one packed group against one
   run per task (target >= 5x).
4. The store: 100,000 runs inserted as a sweep inserts them (one transaction per
   group of 10 seeds) and a leaderboard queried from them (target < 2 s).

Run:  python benchmarks/bench_throughput.py [--steps 300] [--seeds 5] [--activations 8]
      [--workers 2] [--store-runs 100000] [--skip-ray] [--only local,ray,packing,store]
      [--store-one-call]   (the store: only the one-call insert, the baseline and the reads)
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from array import array
from collections.abc import Callable
from pathlib import Path

from actlab.bench.records import RunRecord
from actlab.bench.spec import Spec, spec_from_options
from actlab.bench.store import Store
from actlab.bench.sweep import run_sweep

ACTIVATIONS = ["relu", "gelu", "silu", "mish", "elu", "selu", "tanh", "sigmoid", "softplus",
               "leaky_relu", "celu", "hard_tanh"]


def digits_sweep(n_activations: int, seeds: int, steps: int) -> Spec:
    return spec_from_options(ACTIVATIONS[:n_activations], "digits", "mlp", seeds,
                             {"budget": steps})


def timed_sweep(spec: Spec, executor: str, workers: int, workdir: Path) -> float:
    """Wall seconds of one sweep into a fresh store (the pool's start-up included)."""
    db = workdir / f"{executor}-{workers}-{time.monotonic_ns()}.db"
    start = time.perf_counter()
    summary = run_sweep(spec, db, executor=executor, workers=workers, quiet=True)
    seconds = time.perf_counter() - start
    if summary.trained + summary.diverged != len(spec.runs()):
        raise RuntimeError(f"{executor}: {summary}")
    return seconds


def local_and_ray(args: argparse.Namespace, workdir: Path) -> None:
    spec = digits_sweep(args.activations, args.seeds, args.steps)
    runs = len(spec.runs())
    print(f"\n## Sweep: {args.activations} activations × digits MLP × {args.seeds} seeds "
          f"= {runs} runs of {args.steps} steps ({args.activations} groups)")
    times: dict[str, list[float]] = {"local, 1 worker": [],
                                     f"local, {args.workers} workers": []}
    if "local" in args.only:
        # the pool's fork server starts once per process and imports torch: start it before
        # timing, so that neither local variant pays for it (each still pays its workers'
        # forks and their data loading)
        timed_sweep(digits_sweep(1, 1, 1), "local", 1, workdir)
    ray_on = "ray" in args.only and not args.skip_ray
    if ray_on:
        import ray

        ray.init(address="local", num_cpus=args.workers, include_dashboard=False,
                 log_to_driver=False)
        # Ray starts its worker processes lazily: one sweep to warm them up (reported too)
        times["ray, first sweep (workers start)"] = [timed_sweep(spec, "ray", args.workers,
                                                                 workdir)]
        times[f"ray, {args.workers} CPUs"] = []
    for _ in range(args.repeat):  # interleaved, so that a change of load hits every variant
        if "local" in args.only:
            times["local, 1 worker"].append(timed_sweep(spec, "local", 1, workdir))
            times[f"local, {args.workers} workers"].append(
                timed_sweep(spec, "local", args.workers, workdir))
        if ray_on:
            times[f"ray, {args.workers} CPUs"].append(timed_sweep(spec, "ray", args.workers,
                                                                  workdir))
    if ray_on:
        ray.shutdown()
    print("| executor | best wall s | runs/min |")
    print("|---|---|---|")
    for name, seconds in times.items():
        if seconds:
            print(f"| {name} | {min(seconds):.2f} | {60 * runs / min(seconds):.1f} |")
    one, many = times["local, 1 worker"], times[f"local, {args.workers} workers"]
    if one and many:
        efficiency = min(one) / (args.workers * min(many))
        print(f"\nparallel efficiency, {args.workers} local workers: {100 * efficiency:.0f} % "
              "(target >= 90 %)")
    ray_times = times.get(f"ray, {args.workers} CPUs", [])
    if ray_times and many:
        overhead = min(ray_times) / min(many) - 1
        print(f"Ray against the local pool on {args.workers} cores: {100 * overhead:+.0f} % "
              "wall time (target <= +10 %)")


def packing(args: argparse.Namespace) -> None:
    import torch

    from actlab.bench.training import train_group

    torch.set_num_threads(1)
    spec = spec_from_options("relu", "digits", "mlp(depth=2,width=64)", 10,
                             {"budget": args.steps})
    runs = spec.runs()
    train_group(runs[:1])  # load the data and warm torch up, for both variants alike

    def packed() -> None:
        train_group(runs)

    def one_by_one() -> None:
        for run in runs:
            train_group([run])

    print(f"\n## Packing: 10 seeds of mlp(depth=2,width=64) on digits, {args.steps} steps, "
          "one thread")
    results = {name: best_of(fn, args.repeat) for name, fn in
               (("packed (one group)", packed), ("one run per task", one_by_one))}
    print("| variant | best wall s | best CPU s |")
    print("|---|---|---|")
    for name, (wall, cpu) in results.items():
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")
    (pw, pc), (uw, uc) = results["packed (one group)"], results["one run per task"]
    print(f"\npacked speed-up: {uw / pw:.1f}x wall, {uc / pc:.1f}x CPU (target >= 5x)")


def best_of(fn: Callable[[], None], repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def fake_records(n: int, curve_points: int) -> list[RunRecord]:
    """``n`` runs over 10 tasks × 3 models × 8 activations, seeds 0.. (learning curves of
    ``curve_points`` points, as training stores them)."""
    rng = random.Random(0)
    records = []
    cells = [(t, m, a) for t in range(10) for m in range(3) for a in range(8)]
    for i in range(n):
        task, model, activation = cells[i % len(cells)]
        seed = i // len(cells)
        status = "diverged" if rng.random() < 0.02 else "finished"
        records.append(RunRecord(
            key=f"{i:024x}", activation=ACTIVATIONS[activation], task=f"task{task}",
            model=f"mlp(depth={model + 1},width=100)", seed=seed, status=status,  # type: ignore[arg-type]
            metric="test_accuracy", higher_is_better=True,
            test_metric=None if status == "diverged" else rng.random(),
            best_val_metric=rng.random(), learning_rate=0.01,
            curve_steps=tuple(range(0, 10 * curve_points, 10)),
            curve_loss=tuple(rng.random() for _ in range(curve_points)),
            wall_seconds=rng.random(), cpu_seconds=rng.random(),
            environment={"host": "bench", "torch": "2.13.0", "actlab": "0.1.0"}))
    return records


class Stopwatch:
    """Wall and process CPU seconds of a block (CPU time is what load inflates least)."""

    def __enter__(self) -> Stopwatch:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.3f} | {self.cpu:.3f}"


def store(args: argparse.Namespace, workdir: Path) -> None:
    n = args.store_runs
    records = fake_records(n, args.curve_points)
    groups = [records[i:i + 10] for i in range(0, n, 10)]
    print(f"\n## Store: {n} runs (learning curves of {args.curve_points} points)")
    db = workdir / "store.db"
    per_group = None
    if not args.store_one_call:
        with Stopwatch() as per_group, Store(db) as s:
            for group in groups:  # as a sweep inserts: one transaction per group of 10 seeds
                s.insert(group)
    with Stopwatch() as bulk, Store(workdir / "bulk.db") as s:
        s.insert(records)  # e.g. importing runs: one insert call, one transaction
    if per_group is None:
        db = workdir / "bulk.db"

    # baseline in the same run: the same rows in one plain executemany into a table without
    # key, upsert or index, curves as 64-bit arrays (as the store wrote them up to schema 2)
    with Stopwatch() as baseline, sqlite3.connect(workdir / "raw.db") as raw:
        raw.execute("CREATE TABLE runs (key TEXT, activation TEXT, task TEXT, model TEXT, "
                    "seed INT, status TEXT, test_metric REAL, curve_steps BLOB, "
                    "curve_loss BLOB)")
        raw.executemany("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (r.key, r.activation, r.task, r.model, r.seed, r.status, r.test_metric,
             array("q", r.curve_steps).tobytes(), array("d", r.curve_loss).tobytes())
            for r in records])

    cell = ("task3", "mlp(depth=2,width=100)")
    queries: dict[str, Callable[[Store], object]] = {
        "leaderboard, every cell (SQL)": lambda s: s.leaderboard(),
        "leaderboard, one cell (SQL)": lambda s: s.leaderboard(*cell),
        "records of one cell (RunRecord)": lambda s: s.records(*cell),
        "finished_keys (what a resume reads)": lambda s: s.finished_keys(),
    }
    best: dict[str, Stopwatch] = {}
    for _ in range(args.repeat):
        with Store(db) as s:
            for name, query in queries.items():
                with Stopwatch() as watch:
                    assert query(s)
                if name not in best or watch.wall < best[name].wall:
                    best[name] = watch
    with Store(db) as s:
        assert sum(s.status_counts().values()) == n
    print("| operation | wall s | CPU s |")
    print("|---|---|---|")
    if per_group is not None:
        print(f"| insert as a sweep does: {len(groups)} transactions of 10 | {per_group} |")
    print(f"| insert in one call (one transaction) | {bulk} |")
    print(f"| baseline: plain executemany of the same rows, no key/index | {baseline} |")
    for name, watch in best.items():
        print(f"| {name} | {watch} |")
    board = best["leaderboard, every cell (SQL)"]
    print(f"\none-call insert + every-cell leaderboard: {bulk.wall + board.wall:.2f} s wall, "
          f"{bulk.cpu + board.cpu:.2f} s CPU (target < 2 s); insert / baseline "
          f"{bulk.cpu / baseline.cpu:.1f}x CPU; database {db.stat().st_size / 1e6:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300, help="training steps per run")
    parser.add_argument("--seeds", type=int, default=5, help="seeds per activation (sweep)")
    parser.add_argument("--activations", type=int, default=8, help="activations in the sweep")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2, help="best of N")
    parser.add_argument("--store-runs", type=int, default=100_000)
    parser.add_argument("--curve-points", type=int, default=100)
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--store-one-call", action="store_true",
                        help="the store: skip the insert as a sweep does (group by group)")
    parser.add_argument("--only", default="local,ray,packing,store",
                        help="comma-separated sections")
    args = parser.parse_args()
    args.only = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.only & {"local", "ray"}:
            local_and_ray(args, workdir)
        if "packing" in args.only:
            packing(args)
        if "store" in args.only:
            store(args, workdir)


if __name__ == "__main__":
    main()
