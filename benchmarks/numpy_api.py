"""The NumPy API's speed: ``act(x)`` and ``act.derivative(x)`` against the bare kernels
they compete with, timed interleaved in one run (run by hand; see benchmarks/README.md).

    python benchmarks/numpy_api.py                       # piecewise-linear entries, 10^6
    python benchmarks/numpy_api.py --only relu,hard_tanh --repeat 31
    python benchmarks/numpy_api.py --all --n 1000        # every entry: the dispatch cost

Per entry and dtype, on the same array (normal(0, 3²) values), one call of each in
turn, ``--repeat`` rounds in a new random order each, the best kept (thread CPU time with
one torch thread):

* ``act(x)`` and ``act.derivative(x)``;
* ``np.maximum(x, 0.0)`` and ``np.clip(x, -1.0, 1.0)``, each writing a fresh output;
* torch's own function on ``torch.from_numpy(x)`` (no copy), and its forward +
  autograd backward for the derivative (what torch needs for f'(x)), where torch has
  the function (else its naive composition).

Targets (as in benchmarks/catalogue.py): a piecewise-linear entry at most 1.2 x
``np.clip`` when it is bounded on both sides, else 1.2 x ``np.maximum``; a smooth
entry at most 1.0 x torch.  The verdict takes the worse of forward and derivative.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

# one thread everywhere, before NumPy and torch load their thread pools
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

import actlab
import catalogue as shared  # benchmarks/catalogue.py: timing helpers, baselines


@dataclass
class Row:
    name: str
    dtype: str
    baseline: str  # np.maximum | np.clip | torch
    forward_ms: float = math.nan
    derivative_ms: float = math.nan
    vjp_ms: float = math.nan  # act.vjp(x, ones), with --vjp
    maximum_ms: float = math.nan  # np.maximum(x, 0.0), fresh output
    clip_ms: float = math.nan  # np.clip(x, -1.0, 1.0), fresh output
    torch_forward_ms: float = math.nan
    torch_derivative_ms: float = math.nan  # forward + autograd backward
    forward_ratio: float = math.nan  # against ``baseline``
    derivative_ratio: float = math.nan
    target: float = math.nan
    verdict: str = ""


def is_piecewise(act: actlab.Activation) -> bool:
    return (act.family.value in shared.PIECEWISE_FAMILIES
            or act.name in shared.PIECEWISE_RECTIFIERS)


def default_names() -> list[str]:
    """The elementwise piecewise-linear entries (their target is a bare NumPy kernel)."""
    return [n for n in actlab.names()
            if actlab.entry(n).elementwise and is_piecewise(actlab.get(n))]


def torch_calls(act: actlab.Activation, x: np.ndarray) -> dict[str, Callable[[], Any]]:
    """torch's forward, and forward + autograd backward, on a tensor viewing ``x``."""
    import torch

    fn = shared.native_functions().get(act.name) or shared.naive_compositions().get(act.name)
    if fn is None:
        return {}
    p = dict(act.params)
    xt = torch.from_numpy(x).requires_grad_(True)
    ones = torch.ones_like(fn(xt.detach(), p))
    return {
        "torch forward": lambda: fn(xt.detach(), p),
        "torch derivative": lambda: torch.autograd.grad(fn(xt, p), xt, ones),
    }


def shuffled_best(calls: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Best time (s) of each call, interleaved as ``interleaved_best`` but in a new
    random order each round: a call's time depends on the one before it (after torch's
    backward, a fresh output's memory has left the cache: up to 2x slower, whatever the
    call computes), and no call should always follow the same one."""
    rng = random.Random(0)
    labels = list(calls)
    best = dict.fromkeys(labels, math.inf)
    for _ in range(repeat):
        rng.shuffle(labels)
        for label, seconds in shared.interleaved_best({k: calls[k] for k in labels}, 1).items():
            best[label] = min(best[label], seconds)
    return best


def measure(name: str, dtype: Any, n: int, repeat: int, vjp: bool = False) -> Row:
    act = actlab.get(name)
    x = shared.benchmark_input(act, n, dtype)
    piecewise = is_piecewise(act)
    baseline = ("np.clip" if name in shared.CLIP_SHAPED else "np.maximum") if piecewise \
        else "torch"
    calls: dict[str, Callable[[], Any]] = {
        "forward": lambda: act(x),
        "derivative": lambda: act.derivative(x),
        "np.maximum": lambda: np.maximum(x, 0.0),
        "np.clip": lambda: np.clip(x, -1.0, 1.0),
        **torch_calls(act, x),
    }
    if vjp:
        ones = np.ones_like(x)
        calls["vjp"] = lambda: act.vjp(x, ones)
    best = {k: v * 1e3 for k, v in shuffled_best(calls, repeat).items()}
    row = Row(name, np.dtype(dtype).name, baseline, forward_ms=best["forward"],
              derivative_ms=best["derivative"], vjp_ms=best.get("vjp", math.nan),
              maximum_ms=best["np.maximum"], clip_ms=best["np.clip"],
              torch_forward_ms=best.get("torch forward", math.nan),
              torch_derivative_ms=best.get("torch derivative", math.nan))
    if piecewise:
        base_forward = base_derivative = best[baseline]
        row.target = shared.NUMPY_PIECEWISE_TARGET
    else:
        base_forward, base_derivative = row.torch_forward_ms, row.torch_derivative_ms
        row.target = shared.NUMPY_TORCH_TARGET
    row.forward_ratio = row.forward_ms / base_forward
    row.derivative_ratio = row.derivative_ms / base_derivative
    if not math.isnan(row.forward_ratio):
        worst = max(row.forward_ratio, row.derivative_ratio)
        row.verdict = "PASS" if worst <= row.target else "MISS"
    return row


def table(rows: list[Row], n: int) -> str:
    digits = 3 if n >= 100_000 else 4  # small arrays take microseconds

    def fmt(value: float, d: int = 2) -> str:
        return shared.fmt(value, digits if d == 3 else d)

    vjp = any(not math.isnan(r.vjp_ms) for r in rows)
    vjp_head = f"{'vjp ms':>8}" if vjp else ""
    head = (f"{'name':<17}{'dtype':<9}{'fwd ms':>8}{'d ms':>8}{vjp_head}{'max ms':>8}{'clip ms':>8}"
            f"{'torch f':>8}{'torch d':>8}  {'baseline':<11}{'fwd x':>6}{'d x':>6}  target")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r.name:<17}{r.dtype:<9}{fmt(r.forward_ms, 3):>8}{fmt(r.derivative_ms, 3):>8}"
            f"{f'{fmt(r.vjp_ms, 3):>8}' if vjp else ''}"
            f"{fmt(r.maximum_ms, 3):>8}{fmt(r.clip_ms, 3):>8}{fmt(r.torch_forward_ms, 3):>8}"
            f"{fmt(r.torch_derivative_ms, 3):>8}  {r.baseline:<11}{fmt(r.forward_ratio):>6}"
            f"{fmt(r.derivative_ratio):>6}  {r.verdict or '·'} (<= {r.target:g})")
    misses = [f"{r.name}/{r.dtype}" for r in rows if r.verdict == "MISS"]
    lines.append("")
    lines.append(f"targets missed ({len(misses)} of {len(rows)}): {', '.join(misses) or 'none'}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="elements per array")
    parser.add_argument("--only", default="", help="comma-separated names")
    parser.add_argument("--all", action="store_true", help="every elementwise entry")
    parser.add_argument("--dtypes", default="float32,float64")
    parser.add_argument("--repeat", type=int, default=15, help="interleaved rounds; best kept")
    parser.add_argument("--vjp", action="store_true", help="also time act.vjp(x, ones)")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args(argv)
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    import torch

    args = parse_args(argv)
    torch.set_num_threads(1)
    shared.SPEED_CLOCK = time.thread_time  # one thread: its CPU time is the work's cost
    if args.only:
        names = [actlab.get(s.strip()).name for s in args.only.split(",") if s.strip()]
    elif args.all:
        names = [n for n in actlab.names() if actlab.entry(n).elementwise]
    else:
        names = default_names()
    dtypes = [np.dtype(d.strip()).type for d in args.dtypes.split(",")]
    print(f"actlab NumPy API at n = {args.n:,}: best of {args.repeat} interleaved rounds, "
          f"thread CPU time, torch {torch.__version__} with 1 thread, numpy {np.__version__}",
          flush=True)
    rows = []
    for dtype in dtypes:
        for name in names:
            rows.append(measure(name, dtype, args.n, args.repeat, args.vjp))
            print(f"  {np.dtype(dtype).name} {name}", file=sys.stderr)
    print(table(rows, args.n))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(shared.without_nan({"n": args.n, "repeat": args.repeat,
                                          "rows": [asdict(r) for r in rows]}), f, indent=1)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
