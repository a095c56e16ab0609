"""What the accuracy contract costs where actlab misses a speed target.

    python benchmarks/price_of_accuracy.py                  # 10^6 elements, best of 9
    python benchmarks/price_of_accuracy.py --n 100000 --repeat 15

Speed targets: a module's forward + backward at most 1.2x PyTorch's own module; a NumPy
function at most 1.0x torch's kernel (1.2x np.clip for piecewise-linear ones).  A few
miss, where PyTorch's kernel is faster because it is less accurate or skips a case.
One torch thread, thread CPU time, every variant timed interleaved in a new random
order each round:

* **Speed, modules**: PyTorch's module, actlab's module and a *floor*: the cheapest
  design we know that meets the contract on PyTorch's kernels without compiled code
  (listed in the table; for float16, the conversions + the cheaper float32 work).  It
  is not a proof that nothing faster exists; floor / native above 1.2 says that no
  design we know could meet both the target and the contract.
* **Speed, NumPy API**: the same for ``act(x)`` or ``act.derivative(x)``.
* **Accuracy**: at a few inputs, PyTorch's value or gradient and actlab's, against the
  true value (mpmath, 50 digits), as relative errors.  The contract allows 1e-5
  (float32), 1e-13 (float64), times 1 + the condition number.
* **float16**: every finite input, a random cotangent: how many values and gradients
  are not the float64 truth rounded once (the contract: computed in float32, rounded
  once).
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# one thread everywhere, before NumPy and torch load their thread pools
os.environ.setdefault("OMP_NUM_THREADS", "1")

import mpmath  # a test dependency: pip install -e '.[test]'
import numpy as np
import torch
import torch.nn.functional as F

import actlab
import catalogue as shared  # benchmarks/catalogue.py: timing helpers, baselines
from numpy_api import shuffled_best  # interleaved, a new random order each round

Step = Callable[[torch.Tensor], Any]


def forward_backward(fn: Callable[[torch.Tensor], torch.Tensor]) -> Step:
    """One training step of an activation: forward, then backward with a ones cotangent."""
    def step(x: torch.Tensor) -> None:
        x = x.detach().requires_grad_(True)
        y = fn(x)
        y.backward(torch.ones_like(y))
    return step


def kernels(*fns: Callable[[torch.Tensor], Any]) -> Step:
    """Bare kernels one after another (no autograd): a floor's work."""
    def step(x: torch.Tensor) -> None:
        for fn in fns:
            fn(x)
    return step


def then(first: Step, *extra: Callable[[torch.Tensor], Any]) -> Step:
    """A step followed by extra kernels on the same input."""
    def step(x: torch.Tensor) -> None:
        first(x)
        for fn in extra:
            fn(x)
    return step


def conversions(x: torch.Tensor) -> None:
    """The four conversions of a float16 step computed in float32: x and the cotangent up
    (the second ``x.float()`` stands for the cotangent's), y and the gradient down."""
    x32 = x.float()
    x.float()
    x32.to(x.dtype)
    x32.to(x.dtype)


@dataclass
class SpeedCase:
    name: str
    dtype: torch.dtype
    native: Callable[[torch.Tensor], torch.Tensor]  # what PyTorch's module computes
    work: Step  # the cheapest contract-meeting work we know, on PyTorch's kernels
    work_is: str  # what ``work`` runs, for the table


def speed_cases() -> list[SpeedCase]:
    # σ' = σ(x)·σ(-x): σ(-x) is the exp pass PyTorch's module does not make (its backward
    # takes σ(1 - σ) from the output, which rounds to 0 in the upper tail)
    sigmoid_work = then(forward_backward(torch.sigmoid), torch.sigmoid)
    sigmoid_is = "PyTorch's module + one more sigmoid"
    # gelu = x·Φ(x), gelu' = Φ(x) + x·φ(x): Φ accurate in the lower tail needs erfc
    # (PyTorch's kernels use erf, and 1 + erf cancels), φ an exp
    gelu_work = kernels(torch.erfc, torch.exp)
    gelu_is = "erfc + exp alone"
    cases = []
    for dtype in (torch.float32, torch.float64):
        cases.append(SpeedCase("sigmoid", dtype, torch.sigmoid, sigmoid_work, sigmoid_is))
        cases.append(SpeedCase("gelu", dtype, F.gelu, gelu_work, gelu_is))
    # float16 is computed in float32: the floor is the conversions + the cheaper of actlab's
    # float32 module and the work above (for tanh, arctan and exp, PyTorch's float32 module,
    # not accurate for tanh and arctan: a generous floor)
    cases.append(SpeedCase("sigmoid", torch.float16, torch.sigmoid, sigmoid_work, sigmoid_is))
    cases.append(SpeedCase("gelu", torch.float16, F.gelu, gelu_work, gelu_is))
    for name, native in (("tanh", torch.tanh), ("arctan", torch.atan), ("exponential", torch.exp)):
        cases.append(SpeedCase(name, torch.float16, native, forward_backward(native),
                               "PyTorch's module"))
    return cases


@dataclass
class SpeedRow:
    name: str
    dtype: str
    baseline_ms: float  # PyTorch's module, or the NumPy API's baseline
    actlab_ms: float
    floor_ms: float
    floor_is: str


def speed_row(case: SpeedCase, n: int, repeat: int) -> SpeedRow:
    act = actlab.get(case.name)
    module = act.to_torch()
    x = torch.from_numpy(shared.benchmark_input(act, n, np.float64)).to(case.dtype)
    steps: dict[str, Step] = {"native": forward_backward(case.native),
                              "actlab": forward_backward(module)}
    if case.dtype == torch.float16:
        x32 = x.float()
        actlab32, work32 = forward_backward(module), case.work
        steps |= {"conversions": conversions,
                  "actlab32": lambda _x: actlab32(x32), "work32": lambda _x: work32(x32)}
    else:
        steps["floor"] = case.work
    best = {k: v * 1e3 for k, v in
            shuffled_best({k: functools.partial(f, x) for k, f in steps.items()}, repeat).items()}
    if case.dtype == torch.float16:
        cheaper = "actlab's module" if best["actlab32"] <= best["work32"] else case.work_is
        floor_ms = best["conversions"] + min(best["actlab32"], best["work32"])
        floor_is = f"4 conversions ({best['conversions']:.2f} ms) + in float32: {cheaper}"
    else:
        floor_ms, floor_is = best["floor"], case.work_is
    return SpeedRow(case.name, str(case.dtype).removeprefix("torch."), best["native"],
                    best["actlab"], floor_ms, floor_is)


def speed_rows(n: int, repeat: int) -> list[SpeedRow]:
    rows = []
    for case in speed_cases():
        rows.append(speed_row(case, n, repeat))
        print(f"  timed {case.name} {case.dtype}", file=sys.stderr)
    return rows


def speed_table(rows: list[SpeedRow], versus: str = "native") -> str:
    lines = [f"{'name':<12} {'dtype':<8} {versus + ' ms':>9} {'actlab ms':>9} {'floor ms':>8} "
             f"{'actlab/' + versus:>13} {'floor/' + versus:>12}  floor runs",
             "-" * 110]
    for r in rows:
        lines.append(f"{r.name:<12} {r.dtype:<8} {r.baseline_ms:9.3f} {r.actlab_ms:9.3f} "
                     f"{r.floor_ms:8.3f} {r.actlab_ms / r.baseline_ms:13.2f} "
                     f"{r.floor_ms / r.baseline_ms:12.2f}  {r.floor_is}")
    return "\n".join(lines)


# --- the NumPy API ------------------------------------------------------------------------
@dataclass
class NumpyCase:
    name: str  # the entry
    which: str  # "f" or "f'"
    baseline: Callable[[np.ndarray, torch.Tensor], Any]  # (array, tensor viewing it)
    floor: Callable[[np.ndarray, torch.Tensor], Any]
    floor_is: str


def numpy_cases() -> list[NumpyCase]:
    aten = torch.ops.aten

    def indicator(a: np.ndarray, t: torch.Tensor) -> None:
        aten.hardtanh_backward(torch.ones((), dtype=t.dtype).expand_as(t), t, -1.0, 1.0)
        np.maximum.reduce(a, axis=None)

    return [
        NumpyCase("sigmoid", "f", lambda a, t: torch.sigmoid(t), lambda a, t: torch.sigmoid(t),
                  "torch.sigmoid itself: the kernel actlab calls"),
        NumpyCase("silu", "f", lambda a, t: F.silu(t), lambda a, t: (t.sum(), F.silu(t)),
                  "F.silu + one sum (F.silu(-inf) is NaN: is there any -inf?)"),
        NumpyCase("gelu", "f", lambda a, t: F.gelu(t), lambda a, t: torch.erfc(t),
                  "erfc alone (Φ in the lower tail)"),
        NumpyCase("hard_tanh", "f'", lambda a, t: np.clip(a, -1.0, 1.0), indicator,
                  "one indicator pass + one reduction (NaN)"),
    ]


def numpy_rows(n: int, repeat: int, dtype: Any = np.float32) -> list[SpeedRow]:
    rows = []
    for case in numpy_cases():
        act = actlab.get(case.name)
        a = shared.benchmark_input(act, n, dtype)
        t = torch.from_numpy(a)
        steps: dict[str, Callable[[], Any]] = {
            "baseline": functools.partial(case.baseline, a, t),
            "actlab": functools.partial(act if case.which == "f" else act.derivative, a),
            "floor": functools.partial(case.floor, a, t)}
        best = shuffled_best(steps, repeat)
        rows.append(SpeedRow(f"{case.name} {case.which}", np.dtype(dtype).name,
                             best["baseline"] * 1e3, best["actlab"] * 1e3, best["floor"] * 1e3,
                             case.floor_is))
        print(f"  timed {case.name} {case.which}", file=sys.stderr)
    return rows


# --- accuracy ---------------------------------------------------------------------------


def _sigmoid(x: Any) -> Any:
    return 1 / (1 + mpmath.exp(-x))


def _ndtr(x: Any) -> Any:
    return mpmath.erfc(-x / mpmath.sqrt(2)) / 2


def _npdf(x: Any) -> Any:
    return mpmath.exp(-x * x / 2) / mpmath.sqrt(2 * mpmath.pi)


# the true value and derivative, independent of both implementations
TRUTH: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "sigmoid": (_sigmoid, lambda x: _sigmoid(x) * _sigmoid(-x)),
    "gelu": (lambda x: x * _ndtr(x), lambda x: _ndtr(x) + x * _npdf(x)),
    "tanh": (mpmath.tanh, lambda x: mpmath.sech(x) ** 2),
    "arctan": (mpmath.atan, lambda x: 1 / (1 + x * x)),
    "exponential": (mpmath.exp, mpmath.exp),
}

NATIVE: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": torch.sigmoid, "gelu": F.gelu, "tanh": torch.tanh, "arctan": torch.atan,
    "exponential": torch.exp}

# (entry, dtype, which: 0 value / 1 derivative, inputs): where PyTorch's kernel gives up
ACCURACY_CASES: list[tuple[str, torch.dtype, int, tuple[float, ...]]] = [
    ("sigmoid", torch.float32, 1, (5.0, 8.0, 12.0, 17.0)),
    ("sigmoid", torch.float64, 1, (10.0, 20.0, 30.0, 37.0)),
    ("gelu", torch.float32, 0, (-3.0, -5.0, -8.0)),
    ("gelu", torch.float32, 1, (-5.0, -8.0)),
    ("gelu", torch.float64, 0, (-5.0, -9.0, -12.0)),
    ("gelu", torch.float64, 1, (-7.0, -10.0)),
    ("sigmoid", torch.float16, 1, (6.0, 9.0, 12.0)),
    ("tanh", torch.float16, 1, (4.0, 5.0, 7.0)),
    ("gelu", torch.float16, 0, (-4.0, -5.0)),
    ("arctan", torch.float16, 1, (300.0, 1000.0)),
]


def value_and_grad(fn: Callable[[torch.Tensor], torch.Tensor], x: float,
                   dtype: torch.dtype) -> tuple[float, float]:
    t = torch.tensor([x], dtype=dtype, requires_grad=True)
    y = fn(t)
    y.backward(torch.ones_like(y))
    assert t.grad is not None
    return float(y.detach()[0]), float(t.grad[0])


def relative_error(got: float, true: Any) -> str:
    error = abs(mpmath.mpf(got) - true) / abs(true)
    return f"{float(error):.1e}"


def accuracy_table() -> str:
    lines = [f"{'name':<12} {'dtype':<8} {'of':<6} {'x':>7} {'true':>11} {'PyTorch':>11} "
             f"{'actlab':>11} {'PyTorch err':>11} {'actlab err':>10}", "-" * 96]
    for name, dtype, which, inputs in ACCURACY_CASES:
        module = actlab.get(name).to_torch()
        for x in inputs:
            exact_x = mpmath.mpf(float(torch.tensor(x, dtype=dtype)))  # x as the dtype holds it
            true = TRUTH[name][which](exact_x)
            theirs = value_and_grad(NATIVE[name], x, dtype)[which]
            ours = value_and_grad(module, x, dtype)[which]
            lines.append(f"{name:<12} {str(dtype).removeprefix('torch.'):<8} "
                         f"{'f' if which == 0 else 'df/dx':<6} {x:7g} {float(true):11.3e} "
                         f"{theirs:11.3e} {ours:11.3e} {relative_error(theirs, true):>11} "
                         f"{relative_error(ours, true):>10}")
    return "\n".join(lines)


# the true value and derivative in float64 (far more precise than float16), from formulas
# independent of both implementations
F64 = Callable[[np.ndarray], np.ndarray]


def _float64_truth() -> dict[str, tuple[F64, F64]]:
    erfc = np.vectorize(math.erfc)

    def ndtr(x: np.ndarray) -> np.ndarray:
        return erfc(-x / math.sqrt(2)) / 2

    def sigmoid_prime(x: np.ndarray) -> np.ndarray:
        e = np.exp(-np.abs(x))
        return e / (1 + e) ** 2

    return {
        "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), sigmoid_prime),
        "gelu": (lambda x: x * ndtr(x),
                 lambda x: ndtr(x) + x * np.exp(-x * x / 2) / math.sqrt(2 * math.pi)),
        "tanh": (np.tanh, lambda x: 1 / np.cosh(x) ** 2),
        "arctan": (np.arctan, lambda x: 1 / (1 + x * x)),
        "exponential": (np.exp, np.exp)}


def _wrong(got: torch.Tensor, true: torch.Tensor) -> int:
    return int((~((got == true) | (got.isnan() & true.isnan()))).sum())


def float16_table() -> str:
    """Every finite float16 input x, a random float16 cotangent g: how many values are not
    f(x), and how many gradients not g·f'(x), rounded once to float16 (the float32-inside
    rule), for PyTorch's half kernels and for actlab's module."""
    every = torch.arange(-32768, 32768, dtype=torch.int32).to(torch.int16).view(torch.float16)
    x = every[torch.isfinite(every)]
    g = torch.randn(x.numel(), generator=torch.Generator().manual_seed(0)).half()
    x64, g64 = x.double().numpy(), g.double().numpy()
    lines = [f"{'name':<12} {'inputs':>7} {'PyTorch f':>9} {'df':>6} {'actlab f':>9} {'df':>6}",
             "-" * 54]
    for name, (f, df) in _float64_truth().items():
        with np.errstate(over="ignore", invalid="ignore"):
            true_y = torch.from_numpy(f(x64)).half()
            true_grad = torch.from_numpy(g64 * df(x64)).half()
        counts = []
        for fn in (NATIVE[name], actlab.get(name).to_torch()):
            t = x.clone().requires_grad_(True)
            y = fn(t)
            y.backward(g)
            assert t.grad is not None
            counts += [_wrong(y.detach(), true_y), _wrong(t.grad, true_grad)]
        lines.append(f"{name:<12} {x.numel():7d} {counts[0]:9d} {counts[1]:6d} {counts[2]:9d} "
                     f"{counts[3]:6d}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="elements per tensor")
    parser.add_argument("--repeat", type=int, default=9, help="interleaved rounds; best kept")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    torch.set_num_threads(1)
    shared.SPEED_CLOCK = time.thread_time  # one thread: its CPU time is the work's cost
    mpmath.mp.dps = 50
    print(f"What the accuracy contract costs: n = {args.n:,}, best of {args.repeat} "
          f"interleaved, torch {torch.__version__}, 1 thread, thread CPU time", flush=True)
    print("\nSpeed: forward + backward (ones cotangent), ms")
    print(speed_table(speed_rows(args.n, args.repeat)))
    print(f"\nThe NumPy API ({args.n:,} float32 elements): act(x) or act.derivative(x) against "
          "torch's function on the same memory, or np.clip for the indicator, ms")
    print(speed_table(numpy_rows(args.n, args.repeat), versus="base"))
    print("\nAccuracy: relative error against mpmath (50 digits)")
    print(accuracy_table())
    print("\nfloat16, every finite input, a normal(0, 1) cotangent g: how many values are not f(x),"
          " and gradients not g·f'(x), computed in float64 and rounded once")
    print(float16_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
