"""Speed and memory of every catalogue entry (run by hand; see benchmarks/README.md).

    python benchmarks/catalogue.py                      # 10^7 elements, 5 repeats
    python benchmarks/catalogue.py --n 100000           # quick check
    python benchmarks/catalogue.py --only gelu,mish --json out.json
    python benchmarks/catalogue.py --no-torch           # NumPy side only

NumPy side: forward and derivative (vjp for vector entries) time, min over
repeats, as a ratio to same-run baselines on the same array: ``np.copyto``
(memory-bound floor), ``np.exp``, and the sum of one pass of each
transcendental the entry needs (declared below, cross-checked against
``act.properties.cost``).  Targets: a pass needing no transcendental <= 1.5x a
copy; a pass needing some <= 2x their sum.

PyTorch side (float32): forward+backward time and the bytes of tensors saved
for backward (``torch.autograd.graph.saved_tensors_hooks``, each storage
counted once) for ``act.to_torch()``, the native module (when PyTorch has
one), actlab's saved-input autograd function, and a naive composition of
torch ops.  Target: the saved-input function saves <= half of what the naive
composition saves.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import scipy.special as sc

import actlab

COPY_TARGET = 1.5  # passes without transcendentals: at most this many copies
TRANSCENDENTAL_TARGET = 2.0  # other passes: at most this many times their transcendentals
MEMORY_TARGET = 0.5  # saved-input autograd vs the naive composition

# One pass of each transcendental, on the benchmark array.
TRANSCENDENTALS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "exp": np.exp,
    "expm1": np.expm1,
    "log": np.log,
    "log1p": np.log1p,
    "tanh": np.tanh,
    "sqrt": np.sqrt,
    "sin": np.sin,
    "cos": np.cos,
    "arctan": np.arctan,
    "erf": sc.erf,
    "erfc": sc.erfc,
}

# name -> (transcendentals the forward needs, those the derivative needs): the
# minimum a careful formulation pays, not what the entry happens to call.
NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # steps, piecewise linear, rectifiers without exp: comparisons and arithmetic
    **{name: ((), ()) for name in (
        "heaviside", "bipolar_step", "sign", "threshold", "identity", "piecewise_linear",
        "hard_sigmoid", "hard_tanh", "relu6", "relu", "leaky_relu", "prelu", "rrelu",
        "relu_squared", "hard_swish", "hard_mish", "sparse_plus", "sparse_sigmoid",
        "hard_shrink", "soft_shrink", "softsign", "maxout", "reglu", "sparsemax")},
    "elu": (("expm1",), ("exp",)),
    "selu": (("expm1",), ("exp",)),
    "celu": (("expm1",), ("exp",)),
    "sigmoid": (("exp",), ("exp",)),
    "tanh": (("tanh",), ("exp",)),  # sech² from e^(-2|x|): 1 - tanh² loses the tails
    "arctan": (("arctan",), ()),
    "log_sigmoid": (("exp", "log1p"), ("exp",)),
    "softplus": (("exp", "log1p"), ("exp",)),
    "gelu": (("erfc",), ("erfc", "exp")),
    "quick_gelu": (("exp",), ("exp",)),
    "silu": (("exp",), ("exp",)),
    "swish": (("exp",), ("exp",)),
    "mish": (("exp",), ("exp",)),  # tanh(softplus(x)) is rational in e^x
    "squareplus": (("sqrt",), ("sqrt",)),
    "exponential": (("exp",), ("exp",)),
    "log1mexp": (("expm1", "log"), ("expm1",)),
    "tanh_shrink": (("tanh",), ("tanh",)),
    "gaussian": (("exp",), ("exp",)),
    "sin": (("sin",), ("cos",)),
    "bent_identity": (("sqrt",), ("sqrt",)),
    "isru": (("sqrt",), ("sqrt",)),
    "snake": (("sin",), ("sin",)),
    "lisht": (("tanh",), ("tanh", "exp")),
    # vector entries: the vjp recomputes the forward; log_softmax's log is per row only
    "softmax": (("exp",), ("exp",)),
    "softmin": (("exp",), ("exp",)),
    "log_softmax": (("exp",), ("exp",)),
    "glu": (("exp",), ("exp",)),
    "swiglu": (("exp",), ("exp",)),
    "geglu": (("erfc",), ("erfc", "exp")),
}

POSITIVE_DOMAIN = {"log1mexp"}  # defined for x > 0 only
VECTOR_ROW = 16  # vector entries act on rows of this many elements (even: GLU halves them)


def naive_compositions() -> dict[str, Callable[[Any, dict[str, Any]], Any]]:
    """What a user writes without actlab: the fused torch op that ``to_torch`` avoids for
    accuracy (sigmoid, tanh, gelu: a user would call it), else the textbook composition
    of torch ops (a fused op that ``to_torch`` returns is the ``native`` variant)."""
    import torch
    import torch.nn.functional as F

    def where0(cond: Any, a: Any, b: Any) -> Any:
        return torch.where(cond, a, b)

    return {
        "sigmoid": lambda x, p: torch.sigmoid(x),
        "tanh": lambda x, p: torch.tanh(x),
        "softsign": lambda x, p: x / (1 + torch.abs(x)),
        "log_sigmoid": lambda x, p: torch.log(torch.sigmoid(x)),
        "softplus": lambda x, p: torch.log1p(torch.exp(p.get("beta", 1.0) * x))
        / p.get("beta", 1.0),
        "gelu": lambda x, p: F.gelu(x, approximate=p.get("approximate", "none")),
        "quick_gelu": lambda x, p: x * torch.sigmoid(1.702 * x),
        "silu": lambda x, p: x * torch.sigmoid(x),
        "swish": lambda x, p: x * torch.sigmoid(p.get("beta", 1.0) * x),
        "mish": lambda x, p: x * torch.tanh(F.softplus(x)),
        "hard_swish": lambda x, p: x * F.relu6(x + 3) / 6,
        "hard_mish": lambda x, p: 0.5 * x * torch.clamp(x + 2, 0, 2),
        "piecewise_linear": lambda x, p: torch.clamp(x + 0.5, 0, 1),
        "sparse_sigmoid": lambda x, p: 0.5 * torch.clamp(x + 1, 0, 2),
        "squareplus": lambda x, p: (x + torch.sqrt(x * x + p.get("b", 4.0))) / 2,
        "sparse_plus": lambda x, p: where0(x <= -1, torch.zeros_like(x),
                                           where0(x >= 1, x, 0.25 * (x + 1) ** 2)),
        "log1mexp": lambda x, p: torch.log(1 - torch.exp(-x)),
        "tanh_shrink": lambda x, p: x - torch.tanh(x),
        "gaussian": lambda x, p: torch.exp(-x * x),
        "sin": lambda x, p: torch.sin(p.get("omega", 1.0) * x),
        "bent_identity": lambda x, p: (torch.sqrt(x * x + 1) - 1) / 2 + x,
        "isru": lambda x, p: x / torch.sqrt(1 + p.get("alpha", 1.0) * x * x),
        "snake": lambda x, p: x + torch.sin(p.get("a", 1.0) * x) ** 2 / p.get("a", 1.0),
        "lisht": lambda x, p: x * torch.tanh(x),
        "elu": lambda x, p: where0(x > 0, x, p.get("alpha", 1.0) * (torch.exp(x) - 1)),
        "selu": lambda x, p: p["scale"] * where0(x > 0, x, p["alpha"] * (torch.exp(x) - 1)),
        "celu": lambda x, p: torch.clamp(x, min=0) + torch.clamp(
            p.get("alpha", 1.0) * (torch.exp(x / p.get("alpha", 1.0)) - 1), max=0),
        "relu_squared": lambda x, p: torch.relu(x) ** 2,
        "exponential": lambda x, p: torch.exp(x),
        "arctan": lambda x, p: torch.atan(x),
        "softmax": lambda x, p: torch.exp(x - x.amax(-1, keepdim=True))
        / torch.exp(x - x.amax(-1, keepdim=True)).sum(-1, keepdim=True),
        "log_softmax": lambda x, p: (x - x.amax(-1, keepdim=True))
        - torch.log(torch.exp(x - x.amax(-1, keepdim=True)).sum(-1, keepdim=True)),
        "glu": lambda x, p: x.chunk(2, -1)[0] * torch.sigmoid(x.chunk(2, -1)[1]),
        "swiglu": lambda x, p: x.chunk(2, -1)[0] * F.silu(x.chunk(2, -1)[1]),
        "geglu": lambda x, p: x.chunk(2, -1)[0] * F.gelu(x.chunk(2, -1)[1]),
        "reglu": lambda x, p: x.chunk(2, -1)[0] * torch.relu(x.chunk(2, -1)[1]),
    }


# --- measurement ---------------------------------------------------------------------
# Wall time by default; --clock cpu times the NumPy side with this thread's CPU time,
# which a busy shared machine disturbs far less (time spent preempted is not counted;
# page faults are).  The PyTorch side always uses wall time: its work is multi-threaded.
NUMPY_CLOCK: Callable[[], float] = time.perf_counter


def best_time(fn: Callable[[], Any], repeat: int,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Minimum time of ``repeat`` calls on ``clock``, after one warm-up call (seconds)."""
    fn()
    best = math.inf
    for _ in range(repeat):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def benchmark_input(act: actlab.Activation, n: int, dtype: Any, seed: int = 0) -> np.ndarray:
    """n standard-normal values scaled to [-6, 6]-ish, shaped for the entry."""
    x = (np.random.default_rng(seed).standard_normal(n) * 3.0).astype(dtype)
    if act.name in POSITIVE_DOMAIN:
        x = np.abs(x) + dtype(1e-3)
    if not act.elementwise:
        x = x[: n - n % VECTOR_ROW].reshape(-1, VECTOR_ROW)
    return x


@dataclass
class NumpyRow:
    name: str
    dtype: str
    forward_s: float = math.nan
    derivative_s: float = math.nan
    needs_forward: tuple[str, ...] = ()
    needs_derivative: tuple[str, ...] = ()
    forward_vs_copy: float = math.nan
    forward_vs_exp: float = math.nan
    forward_vs_needs: float = math.nan
    derivative_vs_copy: float = math.nan
    derivative_vs_exp: float = math.nan
    derivative_vs_needs: float = math.nan
    forward_verdict: str = ""
    derivative_verdict: str = ""
    cost_check: str = ""  # "" when declared needs agree with act.properties.cost
    error: str = ""


def verdict(needs: tuple[str, ...], vs_copy: float, vs_needs: float) -> str:
    if not needs:
        return "PASS" if vs_copy <= COPY_TARGET else "MISS"
    return "PASS" if vs_needs <= TRANSCENDENTAL_TARGET else "MISS"


def numpy_rows(names: list[str], n: int, repeat: int, dtypes: list[Any]) -> list[NumpyRow]:
    rows = []
    for dtype in dtypes:
        base = benchmark_input(actlab.get("relu"), n, dtype)
        scratch = np.empty_like(base)
        positive = np.abs(base) + dtype(1e-3)  # log and sqrt timed on their domain

        def baseline(fname: str, base: np.ndarray = base, scratch: np.ndarray = scratch,
                     positive: np.ndarray = positive) -> float:
            # re-measured next to every entry, so that load drift on a shared machine
            # moves the entry and its baselines together
            if fname == "copy":
                return best_time(lambda: np.copyto(scratch, base), repeat, NUMPY_CLOCK)
            f = TRANSCENDENTALS[fname]
            arg = positive if fname in ("log", "sqrt") else base
            return best_time(lambda: f(arg), repeat, NUMPY_CLOCK)

        for name in names:
            act = actlab.get(name)
            row = NumpyRow(name, np.dtype(dtype).name)
            needs = NEEDS.get(name)
            if needs is None:
                row.cost_check = f"no declared needs (cost {act.properties.cost})"
                needs = ((), ())
            elif len(needs[0]) != act.properties.cost:
                row.cost_check = f"declared {len(needs[0])}, cost {act.properties.cost}"
            row.needs_forward, row.needs_derivative = needs
            copy_s, exp_s = baseline("copy"), baseline("exp")
            pass_s = {f: baseline(f) for f in {*needs[0], *needs[1]}}
            try:
                x = benchmark_input(act, n, dtype)
                row.forward_s = best_time(lambda a=act, x=x: a(x), repeat, NUMPY_CLOCK)
                if act.elementwise:
                    row.derivative_s = best_time(lambda a=act, x=x: a.derivative(x), repeat,
                                                 NUMPY_CLOCK)
                else:
                    g = np.ones_like(act(x))
                    row.derivative_s = best_time(lambda a=act, x=x, g=g: a.vjp(x, g), repeat,
                                                 NUMPY_CLOCK)
            except Exception as err:  # a broken entry must not stop the run
                row.error = f"{type(err).__name__}: {err}"
                rows.append(row)
                continue
            for prefix, seconds, need in (("forward", row.forward_s, row.needs_forward),
                                          ("derivative", row.derivative_s,
                                           row.needs_derivative)):
                vs_copy = seconds / copy_s
                vs_needs = seconds / sum(pass_s[f] for f in need) if need else math.nan
                setattr(row, f"{prefix}_vs_copy", vs_copy)
                setattr(row, f"{prefix}_vs_exp", seconds / exp_s)
                setattr(row, f"{prefix}_vs_needs", vs_needs)
                if act.elementwise:  # targets are for elementwise entries
                    setattr(row, f"{prefix}_verdict", verdict(need, vs_copy, vs_needs))
            rows.append(row)
            print(f"  numpy {row.dtype} {name}", file=sys.stderr)
    return rows


@dataclass
class TorchRow:
    name: str
    to_torch_kind: str = ""  # module_kind()
    time_ms: dict[str, float] = field(default_factory=dict)  # variant -> fwd+bwd ms
    saved_mb: dict[str, float] = field(default_factory=dict)  # variant -> saved MB
    memory_ratio: float = math.nan  # saved-input / naive
    memory_verdict: str = ""
    error: str = ""


def module_kind(act: actlab.Activation, module: Any) -> str:
    """What ``act.to_torch()`` runs: PyTorch's own module (native), torch's function on
    inputs without NaN (native|NaN), autograd through the formula (autograd: learnable
    parameters), or actlab's autograd function saving f'(x) (saved-f') or x (saved-input)."""
    native = act.torch_native()
    if native is not None and type(module) is type(native):
        return "native"
    if any(p.learnable for p in act.parameters):
        return "autograd"
    if act.torch_native_unless_nan() is not None:
        return "native|NaN"
    return "saved-f'" if act.saves_derivative else "saved-input"


def saved_bytes(fn: Callable[[Any], Any], x: Any) -> int:
    """Bytes of the distinct storages autograd saves while computing fn(x)."""
    from actlab.torch.saved_memory import saved_storages

    return sum(size for _, size in saved_storages(fn, x))


def torch_rows(names: list[str], n: int, repeat: int) -> list[TorchRow]:
    import torch

    from actlab.torch.module import ActivationModule

    torch.manual_seed(0)
    naive = naive_compositions()
    rows = []
    for name in names:
        act = actlab.get(name)
        row = TorchRow(name)
        try:
            module = act.to_torch()
            native = act.torch_native()
            row.to_torch_kind = module_kind(act, module)
            variants: dict[str, Callable[[Any], Any]] = {"to_torch": module}
            if native is not None:
                variants["native"] = native
            if not any(p.learnable for p in act.parameters):
                variants["saved_input"] = ActivationModule(act)
            if name in naive:
                variants["naive"] = lambda x, f=naive[name], p=dict(act.params): f(x, p)
            x0 = torch.from_numpy(benchmark_input(act, n, np.float32))
            for label, fn in variants.items():
                x = x0.clone().requires_grad_(True)
                grad = torch.ones_like(fn(x.detach()))

                def step(fn: Callable[[Any], Any] = fn, x: Any = x, grad: Any = grad) -> None:
                    x.grad = None
                    fn(x).backward(grad)

                row.time_ms[label] = best_time(step, repeat) * 1e3
                row.saved_mb[label] = saved_bytes(fn, x) / 2**20
            if "saved_input" in row.saved_mb and "naive" in row.saved_mb:
                row.memory_ratio = row.saved_mb["saved_input"] / row.saved_mb["naive"]
                row.memory_verdict = "PASS" if row.memory_ratio <= MEMORY_TARGET else "MISS"
        except Exception as err:  # a broken entry must not stop the run
            row.error = f"{type(err).__name__}: {err}"
        rows.append(row)
        print(f"  torch {name}", file=sys.stderr)
    return rows


# --- speed against PyTorch (issue: modules at native speed, NumPy as fast as torch) -----
MODULE_NATIVE_TARGET = 1.2  # to_torch() fwd+bwd <= this x PyTorch's own module
MODULE_NAIVE_TARGET = 2.0  # ... or, where PyTorch has none, this x the naive composition
NUMPY_TORCH_TARGET = 1.0  # act(x), act.derivative(x) <= this x torch (smooth entries)
NUMPY_PIECEWISE_TARGET = 1.2  # piecewise-linear entries <= this x np.maximum / np.clip
# piecewise-linear (or -quadratic) entries: their NumPy baseline is np.maximum / np.clip
PIECEWISE_FAMILIES = {"piecewise_linear", "steps"}
PIECEWISE_RECTIFIERS = {"relu", "leaky_relu", "prelu", "rrelu", "relu_squared"}
# entries bounded on both sides by a clip (their NumPy baseline is np.clip, else np.maximum)
CLIP_SHAPED = {"hard_tanh", "relu6", "hard_sigmoid", "piecewise_linear", "sparse_sigmoid"}


def native_functions() -> dict[str, Callable[[Any, dict[str, Any]], Any]]:
    """PyTorch's own function for an entry, whether or not ``to_torch`` returns it (its
    module is the speed baseline: a user swapping ``nn.GELU()`` for actlab's pays the
    ratio)."""
    import torch
    import torch.nn.functional as F

    return {
        "sigmoid": lambda x, p: torch.sigmoid(x),
        "tanh": lambda x, p: torch.tanh(x),
        "gelu": lambda x, p: F.gelu(x, approximate=p["approximate"]),
        "softplus": lambda x, p: F.softplus(x, p["beta"], 20.0 if p["threshold"] is None
                                            else p["threshold"]),
        "softsign": lambda x, p: F.softsign(x),
        "hard_sigmoid": lambda x, p: F.hardsigmoid(x),
        "tanh_shrink": lambda x, p: F.tanhshrink(x),
        "log_sigmoid": lambda x, p: F.logsigmoid(x),
        "silu": lambda x, p: F.silu(x),
        "mish": lambda x, p: F.mish(x),
        "elu": lambda x, p: F.elu(x, p["alpha"]),
        "selu": lambda x, p: F.selu(x),
        "celu": lambda x, p: F.celu(x, p["alpha"]),
        "relu": lambda x, p: F.relu(x),
        "leaky_relu": lambda x, p: F.leaky_relu(x, p["negative_slope"]),
        "relu6": lambda x, p: F.relu6(x),
        "hard_tanh": lambda x, p: F.hardtanh(x, p["min_val"], p["max_val"]),
        "hard_swish": lambda x, p: F.hardswish(x),
        "hard_shrink": lambda x, p: F.hardshrink(x, p["lambd"]),
        "soft_shrink": lambda x, p: F.softshrink(x, p["lambd"]),
        "threshold": lambda x, p: F.threshold(x, p["t"], p["value"]),
        "prelu": lambda x, p: F.prelu(x, torch.tensor([p["a"]], dtype=x.dtype)),
        # training mode, as to_torch()'s module (a random slope per element)
        "rrelu": lambda x, p: F.rrelu(x, p["lower"], p["upper"], training=True),
        "exponential": lambda x, p: torch.exp(x),
        "arctan": lambda x, p: torch.atan(x),
        "sin": lambda x, p: torch.sin(p["omega"] * x),
        "identity": lambda x, p: x,
        "sign": lambda x, p: torch.sign(x),
        "softmax": lambda x, p: F.softmax(x, dim=p["axis"]),
        "log_softmax": lambda x, p: F.log_softmax(x, dim=p["axis"]),
        "softmin": lambda x, p: F.softmin(x, dim=p["axis"]),
        "glu": lambda x, p: F.glu(x, dim=p["axis"]),
    }


# The speed tables' clock: with one torch thread every kernel runs on the calling thread,
# so its CPU time (time.thread_time) is what the work costs, undisturbed by other jobs
# on a shared machine; with more threads only wall time counts them all.
SPEED_CLOCK: Callable[[], float] = time.perf_counter


def interleaved_best(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Best time (s) of each function, the functions called in turn ``repeat`` times, so
    that load on a shared machine hits all of them alike (after one warm-up round)."""
    for fn in fns.values():
        fn()
    best = dict.fromkeys(fns, math.inf)
    for _ in range(repeat):
        for label, fn in fns.items():
            start = SPEED_CLOCK()
            fn()
            best[label] = min(best[label], SPEED_CLOCK() - start)
    return best


@dataclass
class ModuleRow:
    name: str
    dtype: str
    n: int
    kind: str = ""  # module_kind(): what to_torch() runs
    to_torch_ms: float = math.nan
    native_ms: float = math.nan  # PyTorch's own module, where it has the function
    naive_ms: float = math.nan  # the naive composition of torch ops
    vs_native: float = math.nan
    vs_naive: float = math.nan
    verdict: str = ""
    error: str = ""


def module_rows(names: list[str], sizes: list[int], dtypes: list[str],
                repeat: int) -> list[ModuleRow]:
    """to_torch() forward+backward against the native module and the naive composition,
    timed interleaved (float16: the module computes in float32 inside)."""
    import torch

    natives, naive = native_functions(), naive_compositions()
    rows = []
    for dtype_name in dtypes:
        dtype = getattr(torch, dtype_name)
        for n in sizes:
            for name in names:
                act = actlab.get(name)
                row = ModuleRow(name, dtype_name, n)
                try:
                    module = act.to_torch()
                    if any(True for _ in module.parameters()):
                        module = module.to(dtype)
                    row.kind = module_kind(act, module)
                    p = dict(act.params)
                    variants: dict[str, Callable[[Any], Any]] = {"to_torch": module}
                    if name in natives:
                        variants["native"] = lambda x, f=natives[name], p=p: f(x, p)
                    if name in naive:
                        variants["naive"] = lambda x, f=naive[name], p=p: f(x, p)
                    x0 = torch.from_numpy(benchmark_input(act, n, np.float64)).to(dtype)
                    steps = {}
                    for label, fn in variants.items():
                        x = x0.clone().requires_grad_(True)
                        grad = torch.ones_like(fn(x.detach()))

                        def step(fn: Callable[[Any], Any] = fn, x: Any = x,
                                 grad: Any = grad) -> None:
                            x.grad = None
                            fn(x).backward(grad)

                        steps[label] = step
                    best = interleaved_best(steps, repeat)
                    row.to_torch_ms = best["to_torch"] * 1e3
                    row.native_ms = best.get("native", math.nan) * 1e3
                    row.naive_ms = best.get("naive", math.nan) * 1e3
                    row.vs_native = row.to_torch_ms / row.native_ms
                    row.vs_naive = row.to_torch_ms / row.naive_ms
                    if not math.isnan(row.vs_native):
                        row.verdict = "PASS" if row.vs_native <= MODULE_NATIVE_TARGET else "MISS"
                    elif not math.isnan(row.vs_naive):
                        row.verdict = "PASS" if row.vs_naive <= MODULE_NAIVE_TARGET else "MISS"
                except Exception as err:  # a broken entry must not stop the run
                    row.error = f"{type(err).__name__}: {err}"
                rows.append(row)
                print(f"  module {dtype_name} {n} {name}", file=sys.stderr)
    return rows


@dataclass
class NumpyTorchRow:
    name: str
    dtype: str
    baseline: str = ""  # torch | np.maximum | np.clip
    forward_ms: float = math.nan
    baseline_forward_ms: float = math.nan
    derivative_ms: float = math.nan
    baseline_derivative_ms: float = math.nan
    forward_ratio: float = math.nan
    derivative_ratio: float = math.nan
    verdict: str = ""
    error: str = ""


def numpy_vs_torch_rows(names: list[str], n: int, dtypes: list[Any],
                        repeat: int) -> list[NumpyTorchRow]:
    """act(x) and act.derivative(x) (vjp for vector entries) against torch on the same
    values: its function (native, else the naive composition) forward, and forward +
    autograd backward for the derivative (what torch needs for f'(x)); piecewise-linear
    entries against np.maximum / np.clip with a fresh output."""
    import torch

    natives, naive = native_functions(), naive_compositions()
    rows = []
    for dtype in dtypes:
        for name in names:
            act = actlab.get(name)
            row = NumpyTorchRow(name, np.dtype(dtype).name)
            try:
                x = benchmark_input(act, n, dtype)
                g = np.ones_like(act(x))
                ours: dict[str, Callable[[], Any]] = {"forward": lambda a=act, x=x: a(x)}
                ours["derivative"] = ((lambda a=act, x=x: a.derivative(x)) if act.elementwise
                                      else (lambda a=act, x=x, g=g: a.vjp(x, g)))
                piecewise = act.family in PIECEWISE_FAMILIES or name in PIECEWISE_RECTIFIERS
                fn = natives.get(name) or naive.get(name)
                base: dict[str, Callable[[], Any]] = {}
                if piecewise:
                    clip = name in CLIP_SHAPED
                    row.baseline = "np.clip" if clip else "np.maximum"
                    base["forward"] = ((lambda x=x: np.clip(x, -1.0, 1.0)) if clip
                                       else (lambda x=x: np.maximum(x, 0.0)))
                    base["derivative"] = base["forward"]
                elif fn is not None:
                    row.baseline = "torch"
                    p = dict(act.params)
                    xt = torch.from_numpy(x).requires_grad_(True)
                    yt = fn(xt, p)
                    gt = torch.ones_like(yt)
                    base["forward"] = lambda f=fn, xt=xt, p=p: f(xt.detach(), p)
                    # the derivative at x from torch: its forward, then autograd's backward
                    base["derivative"] = lambda f=fn, xt=xt, p=p, gt=gt: torch.autograd.grad(
                        f(xt, p), xt, gt)
                best = interleaved_best({**{"ours " + k: v for k, v in ours.items()},
                                         **{"base " + k: v for k, v in base.items()}}, repeat)
                row.forward_ms = best["ours forward"] * 1e3
                row.derivative_ms = best["ours derivative"] * 1e3
                if base:
                    row.baseline_forward_ms = best["base forward"] * 1e3
                    row.baseline_derivative_ms = best["base derivative"] * 1e3
                    row.forward_ratio = row.forward_ms / row.baseline_forward_ms
                    row.derivative_ratio = row.derivative_ms / row.baseline_derivative_ms
                    target = NUMPY_PIECEWISE_TARGET if piecewise else NUMPY_TORCH_TARGET
                    if act.elementwise:
                        worst = max(row.forward_ratio, row.derivative_ratio)
                        row.verdict = "PASS" if worst <= target else "MISS"
            except Exception as err:  # a broken entry must not stop the run
                row.error = f"{type(err).__name__}: {err}"
            rows.append(row)
            print(f"  numpy-vs-torch {row.dtype} {name}", file=sys.stderr)
    return rows


def route_table(names: list[str], n: int, dtypes: list[Any], repeat: int) -> str:
    """Per elementwise entry and dtype: act(x) + act.derivative(x) on NumPy's formula and
    on the PyTorch route, interleaved; the faster one is what torch_route.NUMPY_FASTER
    should list.  Prints the table and the set to paste."""
    from actlab.catalogue import torch_route

    head = f"{'name':<17}{'dtype':<9}{'numpy ms':>10}{'torch ms':>10}  faster"
    lines, faster = [head, "-" * len(head)], []
    saved = torch_route.NUMPY_FASTER
    for dtype in dtypes:
        for name in names:
            act = actlab.get(name)
            if not act.elementwise:
                continue
            x = benchmark_input(act, n, dtype)

            def both(a: Any = act, x: Any = x) -> None:
                a(x)
                a.derivative(x)

            def on_numpy(name: str = name, dtype: Any = dtype) -> None:
                torch_route.NUMPY_FASTER = frozenset({(name, np.dtype(dtype).name)})
                both()

            def on_torch() -> None:
                torch_route.NUMPY_FASTER = frozenset()
                both()

            best = interleaved_best({"numpy": on_numpy, "torch": on_torch}, repeat)
            winner = "numpy" if best["numpy"] < best["torch"] else "torch"
            if winner == "numpy":
                faster.append((name, np.dtype(dtype).name))
            lines.append(f"{name:<17}{np.dtype(dtype).name:<9}{best['numpy'] * 1e3:>10.3f}"
                         f"{best['torch'] * 1e3:>10.3f}  {winner}")
            print(f"  route {np.dtype(dtype).name} {name}", file=sys.stderr)
    torch_route.NUMPY_FASTER = saved
    lines.append("")
    lines.append(f"NUMPY_FASTER = frozenset({sorted(faster)!r})")
    return "\n".join(lines)


NUMPY_KERNELS = ("tanh", "arctan", "expm1", "cosh", "log", "exp", "log1p", "sqrt", "sin",
                 "cos")


def numpy_kernel_table(n: int, repeat: int) -> str:
    """NumPy's ufunc into a fresh tensor's memory against PyTorch's kernel, per unary
    function and dtype, interleaved: the speed-ups behind
    torch_numpy_kernels.NUMPY_SPEEDUP (listed where > 1; NumPy runs on one thread)."""
    import torch

    from actlab.catalogue import torch_numpy_kernels

    head = f"{'kernel':<9}{'dtype':<9}{'torch ms':>10}{'numpy ms':>10}{'speedup':>9}  listed"
    lines = [head, "-" * len(head)]
    for dtype in (torch.float32, torch.float64):
        x = torch.from_numpy(np.random.default_rng(0).standard_normal(n) * 3.0).to(dtype)
        positive = x.abs() + 0.01  # log, log1p, sqrt
        for name in NUMPY_KERNELS:
            arg = positive if name in ("log", "log1p", "sqrt") else x
            torch_fn = getattr(torch, "atan" if name == "arctan" else name)
            numpy_fn = getattr(np, name)

            def on_numpy(arg: Any = arg, numpy_fn: Any = numpy_fn) -> None:
                out = torch.empty_like(arg)
                numpy_fn(arg.numpy(), out=out.numpy())

            best = interleaved_best({"torch": lambda a=arg, f=torch_fn: f(a),
                                     "numpy": on_numpy}, repeat)
            speedup = best["torch"] / best["numpy"]
            listed = (name, dtype) in torch_numpy_kernels.NUMPY_SPEEDUP
            lines.append(f"{name:<9}{str(dtype).removeprefix('torch.'):<9}"
                         f"{best['torch'] * 1e3:>10.3f}{best['numpy'] * 1e3:>10.3f}"
                         f"{speedup:>9.2f}  {'yes' if listed else 'no'}")
    return "\n".join(lines)


def module_table(rows: list[ModuleRow]) -> str:
    head = (f"{'name':<17}{'dtype':<9}{'n':>9}  {'to_torch':<12}{'ms':>9}{'native ms':>11}"
            f"{'naive ms':>10}{'/native':>9}{'/naive':>8}  target")
    lines = [head, "-" * len(head)]
    for r in rows:
        if r.error:
            lines.append(f"{r.name:<17}{r.dtype:<9}{r.n:>9}  ERROR {r.error}")
            continue
        lines.append(f"{r.name:<17}{r.dtype:<9}{r.n:>9}  {r.kind:<12}{fmt(r.to_torch_ms, 3):>9}"
                     f"{fmt(r.native_ms, 3):>11}{fmt(r.naive_ms, 3):>10}"
                     f"{fmt(r.vs_native):>9}{fmt(r.vs_naive):>8}  {r.verdict or '·'}")
    return "\n".join(lines)


def numpy_torch_table(rows: list[NumpyTorchRow]) -> str:
    head = (f"{'name':<17}{'dtype':<9}{'baseline':<12}{'fwd ms':>9}{'base ms':>9}{'ratio':>7}"
            f"{'d ms':>9}{'base ms':>9}{'ratio':>7}  target")
    lines = [head, "-" * len(head)]
    for r in rows:
        if r.error:
            lines.append(f"{r.name:<17}{r.dtype:<9}ERROR {r.error}")
            continue
        lines.append(f"{r.name:<17}{r.dtype:<9}{r.baseline or '–':<12}"
                     f"{fmt(r.forward_ms, 3):>9}{fmt(r.baseline_forward_ms, 3):>9}"
                     f"{fmt(r.forward_ratio):>7}{fmt(r.derivative_ms, 3):>9}"
                     f"{fmt(r.baseline_derivative_ms, 3):>9}{fmt(r.derivative_ratio):>7}"
                     f"  {r.verdict or '·'}")
    return "\n".join(lines)


def speed_summary(m_rows: list[ModuleRow], t_rows: list[NumpyTorchRow]) -> str:
    module_misses = [f"{r.name}/{r.dtype}/{r.n}" for r in m_rows if r.verdict == "MISS"]
    numpy_misses = [f"{r.name}/{r.dtype}" for r in t_rows if r.verdict == "MISS"]
    counted = [r for r in m_rows if r.verdict]
    return "\n".join([
        f"module targets: {len(counted) - len(module_misses)} of {len(counted)} met; missed: "
        f"{', '.join(module_misses) or 'none'}",
        f"NumPy-vs-torch targets missed ({len(numpy_misses)}): "
        f"{', '.join(numpy_misses) or 'none'}",
    ])


# --- output ---------------------------------------------------------------------------
def fmt(value: float, digits: int = 2) -> str:
    return "–" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:.{digits}f}"


def numpy_table(rows: list[NumpyRow]) -> str:
    head = (f"{'name':<17}{'dtype':<8}{'fwd ms':>8}{'/copy':>7}{'/exp':>6}{'/need':>7}"
            f"{'':2}{'fwd':<5}{'d ms':>8}{'/copy':>7}{'/exp':>6}{'/need':>7}{'':2}{'d':<5}"
            f"  needs (forward | derivative)")
    lines = [head, "-" * len(head)]
    for r in rows:
        if r.error:
            lines.append(f"{r.name:<17}{r.dtype:<8}ERROR {r.error}")
            continue
        needs = f"{'+'.join(r.needs_forward) or '–'} | {'+'.join(r.needs_derivative) or '–'}"
        check = f"  [{r.cost_check}]" if r.cost_check else ""
        lines.append(
            f"{r.name:<17}{r.dtype:<8}{r.forward_s * 1e3:8.2f}{fmt(r.forward_vs_copy):>7}"
            f"{fmt(r.forward_vs_exp):>6}{fmt(r.forward_vs_needs):>7}{'':2}"
            f"{r.forward_verdict or '·':<5}"
            f"{r.derivative_s * 1e3:8.2f}{fmt(r.derivative_vs_copy):>7}"
            f"{fmt(r.derivative_vs_exp):>6}{fmt(r.derivative_vs_needs):>7}{'':2}"
            f"{r.derivative_verdict or '·':<5}  {needs}{check}"
        )
    return "\n".join(lines)


TORCH_VARIANTS = ("to_torch", "native", "saved_input", "naive")


def torch_table(rows: list[TorchRow]) -> str:
    ms = "".join(f"{v[:9] + ' ms':>13}" for v in TORCH_VARIANTS)
    mb = "".join(f"{v[:9] + ' MB':>13}" for v in TORCH_VARIANTS)
    head = f"{'name':<17}{'to_torch':<12}{ms}{mb}{'mem ratio':>10}  target"
    lines = [head, "-" * len(head)]
    for r in rows:
        if r.error:
            lines.append(f"{r.name:<17}ERROR {r.error}")
            continue
        times = "".join(f"{fmt(r.time_ms.get(v, math.nan)):>13}" for v in TORCH_VARIANTS)
        mems = "".join(f"{fmt(r.saved_mb.get(v, math.nan), 1):>13}" for v in TORCH_VARIANTS)
        lines.append(f"{r.name:<17}{r.to_torch_kind:<12}{times}{mems}"
                     f"{fmt(r.memory_ratio):>10}  {r.memory_verdict or '·'}")
    return "\n".join(lines)


def summary(np_rows: list[NumpyRow], t_rows: list[TorchRow]) -> str:
    misses = [f"{r.name}/{r.dtype}/{part}" for r in np_rows
              for part, v in (("fwd", r.forward_verdict), ("d", r.derivative_verdict))
              if v == "MISS"]
    mem_misses = [r.name for r in t_rows if r.memory_verdict == "MISS"]
    errors = [r.name for r in [*np_rows, *t_rows] if r.error]
    return "\n".join([
        f"NumPy speed targets missed ({len(misses)}): {', '.join(misses) or 'none'}",
        f"PyTorch memory targets missed ({len(mem_misses)}): {', '.join(mem_misses) or 'none'}",
        f"errors: {', '.join(sorted(set(errors))) or 'none'}",
    ])


def without_nan(value: Any) -> Any:
    """NaN -> None, recursively: strict JSON has no NaN."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: without_nan(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_nan(v) for v in value]
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000_000, help="elements per array")
    parser.add_argument("--only", default="", help="comma-separated names (default: all)")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls; the min is kept")
    parser.add_argument("--dtypes", default="float32,float64", help="NumPy dtypes")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch side")
    parser.add_argument("--threads", type=int, default=0,
                        help="torch intra-op threads (default: torch's choice)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="NumPy timings: wall time, or this thread's CPU time (steadier "
                        "on a busy machine)")
    parser.add_argument("--speed", action="store_true",
                        help="only the speed tables against PyTorch: to_torch() modules vs "
                        "the native module and the naive composition (--sizes, "
                        "--module-dtypes), and act(x) vs torch at --n")
    parser.add_argument("--routes", action="store_true",
                        help="which route, NumPy or PyTorch, is faster for act(x) + "
                        "act.derivative(x) per entry and dtype (at --n, --threads)")
    parser.add_argument("--numpy-kernels", action="store_true",
                        help="NumPy's unary kernels against PyTorch's on CPU tensors (at --n, "
                        "--threads): the speed-ups torch_numpy_kernels.NUMPY_SPEEDUP lists")
    parser.add_argument("--modules-only", action="store_true",
                        help="--speed: the module table only (no NumPy-vs-torch table)")
    parser.add_argument("--sizes", default="100000,1000000,10000000",
                        help="--speed: module sizes")
    parser.add_argument("--module-dtypes", default="float32,float64",
                        help="--speed: module dtypes (float16 computes in float32 inside)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if args.n < VECTOR_ROW or args.repeat < 1:
        parser.error(f"--n must be >= {VECTOR_ROW} and --repeat >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    global NUMPY_CLOCK, SPEED_CLOCK
    NUMPY_CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter
    names = actlab.names()
    if args.only:
        wanted = [s.strip() for s in args.only.split(",") if s.strip()]
        names = [actlab.get(w).name for w in wanted]  # unknown name: ActivationNotFound
    dtypes = [np.dtype(d).type for d in args.dtypes.split(",")]

    if args.speed:
        return speed_main(args, names, dtypes)
    if args.numpy_kernels:
        import torch

        if args.threads > 0:
            torch.set_num_threads(args.threads)
        if torch.get_num_threads() == 1 and args.clock == "cpu":
            SPEED_CLOCK = time.thread_time
        print(f"NumPy ufunc into a fresh tensor / torch's kernel, n = {args.n:,}, best of "
              f"{args.repeat} interleaved, numpy {np.__version__}, torch {torch.__version__} "
              f"with {torch.get_num_threads()} thread(s)")
        print(numpy_kernel_table(args.n, args.repeat))
        return 0
    if args.routes:
        import torch

        if args.threads > 0:
            torch.set_num_threads(args.threads)
        if torch.get_num_threads() == 1 and args.clock == "cpu":
            SPEED_CLOCK = time.thread_time
        print(route_table(names, args.n, dtypes, args.repeat))
        return 0

    print(f"actlab catalogue benchmark: n = {args.n:,}, min of {args.repeat} repeats, "
          f"{len(names)} entries, NumPy clock: {args.clock}", flush=True)
    np_rows = numpy_rows(names, args.n, args.repeat, dtypes)
    print(f"\nNumPy (ratios to np.copyto, np.exp and the entry's transcendentals, re-timed next "
          f"to each entry; targets: no transcendental <= {COPY_TARGET}x copy, else <= "
          f"{TRANSCENDENTAL_TARGET}x their sum; '·' = no target, vector entries)")
    print(numpy_table(np_rows))

    t_rows: list[TorchRow] = []
    if not args.no_torch:
        import torch

        if args.threads > 0:
            torch.set_num_threads(args.threads)
        t_rows = torch_rows(names, args.n, args.repeat)
        print(f"\nPyTorch float32 forward+backward ({torch.get_num_threads()} threads) and "
              f"saved-tensor memory; target: saved-input <= {MEMORY_TARGET}x naive")
        print(torch_table(t_rows))

    print()
    print(summary(np_rows, t_rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(without_nan({"n": args.n, "repeat": args.repeat,
                                   "numpy": [asdict(r) for r in np_rows],
                                   "torch": [asdict(r) for r in t_rows]}), f, indent=1)
        print(f"wrote {args.json}")
    return 0


def speed_main(args: argparse.Namespace, names: list[str], dtypes: list[Any]) -> int:
    import torch

    global SPEED_CLOCK
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    if torch.get_num_threads() == 1 and args.clock == "cpu":
        SPEED_CLOCK = time.thread_time
    sizes = [int(v) for v in args.sizes.split(",")]
    module_dtypes = [d.strip() for d in args.module_dtypes.split(",")]
    print(f"actlab speed against PyTorch: {len(names)} entries, best of {args.repeat} "
          f"interleaved repeats, torch {torch.__version__} with {torch.get_num_threads()} "
          f"thread(s), clock: {'thread CPU time' if SPEED_CLOCK is time.thread_time else 'wall'}",
          flush=True)
    m_rows = module_rows(names, sizes, module_dtypes, args.repeat)
    print(f"\nModules, forward + backward (ones cotangent): to_torch() / PyTorch's module "
          f"(target <= {MODULE_NATIVE_TARGET}), else / the naive composition (target <= "
          f"{MODULE_NAIVE_TARGET})")
    print(module_table(m_rows))
    t_rows = [] if args.modules_only else numpy_vs_torch_rows(names, args.n, dtypes,
                                                              args.repeat)
    if t_rows:
        print(f"\nNumPy API at n = {args.n:,}: act(x) and act.derivative(x) / torch's function "
              f"and its forward + autograd backward (target <= {NUMPY_TORCH_TARGET}); "
              f"piecewise-linear entries / np.maximum or np.clip with a fresh output (target <= "
              f"{NUMPY_PIECEWISE_TARGET}); the verdict takes the worse of the two ratios")
        print(numpy_torch_table(t_rows))
    print()
    print(speed_summary(m_rows, t_rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(without_nan({"n": args.n, "repeat": args.repeat, "sizes": sizes,
                                   "modules": [asdict(r) for r in m_rows],
                                   "numpy_vs_torch": [asdict(r) for r in t_rows]}), f,
                      indent=1)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
