"""PyTorch as the oracle (tinygrad's test_ops style): one helper compares our NumPy
forward and derivative with torch's forward and autograd gradient, on ordinary,
scalar, empty and extreme inputs, in float16, bfloat16, float32 and float64.

Where the two disagree beyond a tolerance relative to the magnitude, the 50-digit
reference judges: ours must be at least as close to it as torch is (torch's
sigmoid' and tanh' are computed from the output and lose all relative accuracy in
the tails; docs/design.md, "known defects").

Also: ``act.to_torch()`` gives the NumPy forward and derivative for every entry,
and ``torch.autograd.gradcheck`` passes for every entry in float64.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import actlab

from .helpers import TOL, case_id, check, elementwise_names, reference_values
from .reference import REFERENCES

TorchFn = Callable[[torch.Tensor], torch.Tensor]
Builder = Callable[[Mapping[str, Any]], TorchFn | None]


def _defaults_only(name: str, fn: TorchFn) -> Builder:
    """torch's function has no parameters: only our default parameters map to it."""
    defaults = {p.name: p.default for p in actlab.entry(name).parameters}
    return lambda p: fn if dict(p) == defaults else None


def _softplus(p: Mapping[str, Any]) -> TorchFn:
    # torch always thresholds; with ours exact (threshold=None) the judge settles x > 20
    t = 20.0 if p["threshold"] is None else p["threshold"]
    return lambda x: F.softplus(x, beta=p["beta"], threshold=t)


def _heaviside(p: Mapping[str, Any]) -> TorchFn:
    return lambda x: torch.heaviside(x - p["t"], torch.tensor(p["at_threshold"], dtype=x.dtype))


# our name -> (parameters -> torch function, or None when torch cannot express them)
TORCH: dict[str, Builder] = {
    "relu": lambda p: F.relu,
    "leaky_relu": lambda p: lambda x: F.leaky_relu(x, p["negative_slope"]),
    "elu": lambda p: lambda x: F.elu(x, p["alpha"]),
    "selu": _defaults_only("selu", F.selu),
    "celu": lambda p: lambda x: F.celu(x, p["alpha"]),
    "prelu": lambda p: lambda x: F.prelu(x, torch.tensor([p["a"]], dtype=x.dtype)),
    "rrelu": lambda p: lambda x: F.rrelu(x, p["lower"], p["upper"], training=False),
    "relu6": lambda p: F.relu6,
    "hard_tanh": lambda p: lambda x: F.hardtanh(x, p["min_val"], p["max_val"]),
    "hard_sigmoid": lambda p: F.hardsigmoid,
    "hard_swish": lambda p: F.hardswish,
    "hard_shrink": lambda p: lambda x: F.hardshrink(x, p["lambd"]),
    "soft_shrink": lambda p: lambda x: F.softshrink(x, p["lambd"]),
    "tanh_shrink": lambda p: F.tanhshrink,
    "threshold": lambda p: lambda x: F.threshold(x, p["t"], p["value"]),
    "sigmoid": lambda p: torch.sigmoid,
    "tanh": lambda p: torch.tanh,
    "softsign": lambda p: F.softsign,
    "log_sigmoid": lambda p: F.logsigmoid,
    "softplus": _softplus,
    "gelu": lambda p: lambda x: F.gelu(x, approximate=p["approximate"]),
    "silu": lambda p: F.silu,
    "mish": lambda p: F.mish,
    "heaviside": _heaviside,
    "sign": lambda p: torch.sign,
    "exponential": lambda p: torch.exp,
    "arctan": lambda p: torch.atan,
    "identity": lambda p: lambda x: x,
    "sin": lambda p: lambda x: torch.sin(p["omega"] * x),
    # compositions the entries name as their torch equivalent
    "piecewise_linear": lambda p: lambda x: F.hardtanh(x + 0.5, 0.0, 1.0),
    "relu_squared": lambda p: lambda x: torch.square(F.relu(x)),
    "gaussian": lambda p: lambda x: torch.exp(-x * x),
    "log1mexp": lambda p: lambda x: torch.log(-torch.expm1(-x)),
    "bipolar_step": lambda p: lambda x: torch.where(x >= 0, 1.0, -1.0).to(x.dtype),
    "softmax": lambda p: lambda x: F.softmax(x, dim=p["axis"]),
    "log_softmax": lambda p: lambda x: F.log_softmax(x, dim=p["axis"]),
    "softmin": lambda p: lambda x: F.softmin(x, dim=p["axis"]),
    "glu": lambda p: lambda x: F.glu(x, dim=p["axis"]),
}
# aten::heaviside has no derivative; torch.where of constants has no graph
NO_TORCH_GRADIENT = {"heaviside", "bipolar_step"}

TORCH_DTYPES = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
}
# comparison tolerance relative to the magnitude (≈ 4 units in the last place)
RTOL = {"float16": 4e-3, "bfloat16": 3e-2, "float32": 1e-5, "float64": 1e-12}
ATOL = {"float16": 1e-7, "bfloat16": 1e-37, "float32": 1e-37, "float64": 1e-300}
MAX = {"float16": 65504.0, "bfloat16": 3.38e38, "float32": 3.4e38, "float64": 1.7e308}


def cases_for(name: str) -> list[dict[str, Any]]:
    if name in REFERENCES:
        return [dict(c) for c in REFERENCES[name].cases]
    return [{}]


PARITY_CASES = [
    (name, case)
    for name in TORCH
    for case in cases_for(name)
    if name in actlab.names() and TORCH[name](actlab.get(name, **case).params) is not None
]


def kinks_of(act: actlab.Activation) -> tuple[float, ...]:
    if act.name in REFERENCES:
        return tuple(REFERENCES[act.name].kinks(act.params))
    return tuple(k.at for k in act.doc.kinks)


def elementwise_inputs(act: actlab.Activation, dtype: str, seed: int = 0) -> dict[str, np.ndarray]:
    """Ordinary (away from kinks), scalar, empty and extreme inputs, as float64 arrays
    holding values exactly representable in ``dtype``."""
    rng = np.random.default_rng(seed)
    ordinary = rng.normal(0.0, 3.0, size=96)
    mags = np.array([1e4, 3e4, 1e5, 1e10, 1e20, 1e38, 1e100, 1e200, 1e308])
    extreme = np.concatenate([mags, -mags])
    extreme = extreme[np.abs(extreme) <= MAX[dtype]]
    out = {"ordinary": ordinary, "scalar": np.array(0.7), "empty": np.zeros((2, 0)),
           "extreme": extreme}
    for key, x in out.items():
        x = torch.as_tensor(x).to(TORCH_DTYPES[dtype]).double().numpy()  # representable
        if key == "ordinary":
            for k in kinks_of(act):
                x = x[np.abs(x - k) > 1e-2]
        out[key] = x
    return out


def torch_forward_backward(fn: TorchFn, x: np.ndarray, dtype: str, grad_out: np.ndarray,
                           with_grad: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """torch's value and autograd vector-Jacobian product at x, as float64 arrays."""
    xt = torch.tensor(x, dtype=TORCH_DTYPES[dtype], requires_grad=with_grad)
    y = fn(xt)
    grad = None
    if with_grad and y.numel():
        (g,) = torch.autograd.grad(y, xt, torch.tensor(grad_out, dtype=y.dtype))
        grad = g.double().numpy()
    elif with_grad:
        grad = np.zeros(x.shape)
    return y.detach().double().numpy(), grad


def disagreement(ours: np.ndarray, theirs: np.ndarray, dtype: str,
                 scale: float = 0.0) -> np.ndarray:
    """Where two results differ by more than the tolerance relative to their magnitude
    (or to ``scale``: vector-valued entries sum over an axis, so their rounding errors
    are relative to the largest element, not to each element)."""
    with np.errstate(invalid="ignore"):
        same = (np.isnan(ours) & np.isnan(theirs)) | (ours == theirs) | (
            np.abs(ours - theirs)
            <= ATOL[dtype] + RTOL[dtype] * np.maximum(np.maximum(np.abs(ours), np.abs(theirs)),
                                                      scale)
        )
    return ~same


def scale_of(values: np.ndarray) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size else 0.0


def judge(label: str, act: actlab.Activation, which: str, x: np.ndarray, ours: np.ndarray,
          theirs: np.ndarray, dtype: str) -> None:
    """Where ours and torch's disagree, ours must be at least as close to the reference."""
    bad = disagreement(ours, theirs, dtype)
    if not bad.any():
        return
    assert act.name in REFERENCES, (
        f"{label}: torch and ours disagree at x={x[bad][:5]}: ours {ours[bad][:5]}, "
        f"torch {theirs[bad][:5]} (no reference to judge)"
    )
    xs = x[bad]
    ref = reference_values(act.name, act.params, which, xs)
    ulp = np.finfo(np.float16 if dtype in ("float16", "bfloat16") else dtype).eps

    def error(values: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            e = np.abs(values - ref)
        e[(values == ref) | (np.isnan(values) & np.isnan(ref))] = 0.0
        return np.where(np.isnan(e), np.inf, e)

    ours_err, torch_err = error(ours[bad]), error(theirs[bad])
    worse = ours_err > torch_err + ulp * np.abs(np.where(np.isfinite(ref), ref, 0.0))
    assert not worse.any(), (
        f"{label}: ours further from the 50-digit reference than torch at x={xs[worse][:5]}: "
        f"ours {ours[bad][worse][:5]}, torch {theirs[bad][worse][:5]}, "
        f"reference {ref[worse][:5]}"
    )


def numpy_dtype(dtype: str) -> Any:
    return {"float16": np.float16, "float32": np.float32, "float64": np.float64}[dtype]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize(("name", "case"), PARITY_CASES,
                         ids=[case_id(n, c) for n, c in PARITY_CASES])
def test_numpy_matches_torch(name: str, case: dict[str, Any], dtype: str) -> None:
    act = actlab.get(name, **case)
    fn = TORCH[name](act.params)
    assert fn is not None
    if not act.elementwise:
        x = np.random.default_rng(0).normal(0, 3, size=(5, 6))
        x = np.concatenate([x, [[1e4, -1e4, 0.5, 3e4, -3e4, 1.0]]])
        x = torch.as_tensor(x).to(TORCH_DTYPES[dtype]).double().numpy()
        g = np.random.default_rng(1).normal(size=act.output_shape(x.shape))
        ours_y = act(x.astype(numpy_dtype(dtype))).astype(np.float64)
        ours_g = act.vjp(x.astype(numpy_dtype(dtype)), g.astype(numpy_dtype(dtype)))
        theirs_y, theirs_g = torch_forward_backward(fn, x, dtype, g)
        assert not disagreement(ours_y, theirs_y, dtype, scale_of(theirs_y)).any(), (
            ours_y, theirs_y)
        assert not disagreement(ours_g.astype(np.float64), theirs_g, dtype,
                                scale_of(theirs_g)).any(), (ours_g, theirs_g)
        return
    for kind, x in elementwise_inputs(act, dtype).items():
        label = f"{case_id(name, case)} {kind} {dtype}"
        ours_y = np.asarray(act(x.astype(numpy_dtype(dtype)))).astype(np.float64)
        ours_d = np.asarray(act.derivative(x.astype(numpy_dtype(dtype)))).astype(np.float64)
        with_grad = name not in NO_TORCH_GRADIENT
        theirs_y, theirs_d = torch_forward_backward(fn, x, dtype, np.ones(x.shape), with_grad)
        assert ours_y.shape == theirs_y.shape == x.shape
        judge(label + " forward", act, "f", x, ours_y, theirs_y, dtype)
        if theirs_d is not None:
            judge(label + " derivative", act, "df", x, ours_d, theirs_d, dtype)


# --- act.to_torch(): the same numbers as the NumPy reference --------------------------------

ALL_CASES = [(n, c) for n in actlab.names() for c in cases_for(n)]


def module_for(act: actlab.Activation, dtype: str) -> torch.nn.Module:
    """act.to_torch() in evaluation mode (rrelu: the mean slope), converted to the input's
    dtype when it has parameters (as a user calls .double() or .half() on a model)."""
    module = act.to_torch().eval()
    if dtype == "float64" or any(True for _ in module.parameters()):
        module = module.to(TORCH_DTYPES[dtype])
    return module


def as_module_rounds_it(act: actlab.Activation) -> actlab.Activation:
    """The NumPy entry with its learnable parameters rounded to float32, as nn.Parameter
    stores them (torch's convention: a module is created in float32, then converted)."""
    rounded = {p.name: float(np.float32(act.params[p.name]))
               for p in act.parameters if p.learnable}
    return actlab.get(act.name, **{**act.params, **rounded}) if rounded else act


def is_native(act: actlab.Activation) -> bool:
    from actlab.torch.module import ActivationModule

    return not isinstance(act.to_torch(), ActivationModule)


def module_forward_backward(act: actlab.Activation, x: np.ndarray, dtype: str,
                            grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return torch_forward_backward(module_for(act, dtype), x, dtype, grad_out)


def to_torch_inputs(act: actlab.Activation, dtype: str) -> np.ndarray:
    """Ordinary and extreme inputs plus the tails where σ' and tanh' go wrong when
    computed from the output."""
    parts = elementwise_inputs(act, dtype)
    tails = np.array([-50.0, -30.0, -20.0, -12.0, 12.0, 20.0, 30.0, 50.0])
    return np.concatenate([parts["ordinary"], parts["extreme"], tails]).astype(np.float64)


def agree_or_accurate(label: str, act: actlab.Activation, which: str, x: np.ndarray,
                      numpy_values: np.ndarray, torch_values: np.ndarray, dtype: str) -> None:
    """to_torch() equals NumPy (to the dtype's tolerance), or -- where the two round an
    ill-conditioned value differently -- meets the same 50-digit criterion NumPy meets."""
    bad = disagreement(numpy_values, torch_values, dtype)
    if not bad.any():
        return
    assert act.name in REFERENCES, (
        f"{label}: to_torch() differs from NumPy at x={x[bad][:5]}: "
        f"{torch_values[bad][:5]} vs {numpy_values[bad][:5]}"
    )
    xs = x[bad]
    true = reference_values(act.name, act.params, which, xs)
    kappa = np.zeros_like(true)
    if which == "f":
        d = reference_values(act.name, act.params, "df", xs)
        with np.errstate(all="ignore"):
            kappa = np.nan_to_num(np.abs(xs * d / true), nan=0.0, posinf=np.inf)
    problem = check(label, xs, torch_values[bad], true, kappa, np.dtype(dtype),
                    refine_kappa=None if which == "f" else _kappa_df(act, xs))
    assert problem is None, problem


def _kappa_df(act: actlab.Activation, xs: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    def refine(index: np.ndarray) -> np.ndarray:
        x = xs[index]
        d = reference_values(act.name, act.params, "df", x)
        h = 1e-7 * np.maximum(np.abs(x), 1e-300)
        d2 = (reference_values(act.name, act.params, "df", x + h)
              - reference_values(act.name, act.params, "df", x - h)) / (2 * h)
        with np.errstate(all="ignore"):
            return np.nan_to_num(np.abs(x * d2 / d), nan=0.0) * 10  # a rough κ, generous

    return refine


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("name", "case"), ALL_CASES, ids=[case_id(n, c) for n, c in ALL_CASES])
def test_to_torch_matches_numpy(name: str, case: dict[str, Any], dtype: str) -> None:
    act = actlab.get(name, **case)
    np_dtype = numpy_dtype(dtype)
    if not act.elementwise:
        x = np.random.default_rng(0).normal(0, 3, size=(5, 6)).astype(np_dtype)
        g = np.random.default_rng(1).normal(size=act.output_shape(x.shape)).astype(np_dtype)
        y, grad = module_forward_backward(act, x.astype(np.float64), dtype, g)
        assert not disagreement(act(x).astype(np.float64), y, dtype, scale_of(y)).any()
        assert not disagreement(act.vjp(x, g).astype(np.float64), grad, dtype,
                                scale_of(grad)).any()
        return
    x = to_torch_inputs(act, dtype).astype(np_dtype).astype(np.float64)
    y, grad = module_forward_backward(act, x, dtype, np.ones(x.shape))
    act = as_module_rounds_it(act)
    label = f"{case_id(name, case)} to_torch {dtype}"
    agree_or_accurate(label + " forward", act, "f", x,
                      np.asarray(act(x.astype(np_dtype))).astype(np.float64), y, dtype)
    agree_or_accurate(label + " derivative", act, "df", x,
                      np.asarray(act.derivative(x.astype(np_dtype))).astype(np.float64),
                      grad, dtype)


@pytest.mark.parametrize("name", actlab.names())
def test_to_torch_low_precision_matches_float32(name: str) -> None:
    """float16/bfloat16 modules compute in float32 inside and round once."""
    act = actlab.get(name)
    shape = (4, 6) if not act.elementwise else (48,)
    x32 = np.random.default_rng(3).normal(0, 3, size=shape)
    if name in REFERENCES and REFERENCES[name].domain is not None:
        x32 = np.abs(x32) + 0.1
    for low in ("float16", "bfloat16"):
        x = torch.as_tensor(x32).to(TORCH_DTYPES[low])
        ours_low = module_for(act, low)(x)
        assert ours_low.dtype == TORCH_DTYPES[low]
        ours_32 = module_for(act, "float32")(x.float()).to(TORCH_DTYPES[low])
        if is_native(act):  # torch's own kernel, in its own low-precision arithmetic
            a, b = ours_low.detach().double().numpy(), ours_32.detach().double().numpy()
            assert not disagreement(a, b, low, scale_of(b)).any(), (a, b)
        else:
            torch.testing.assert_close(ours_low, ours_32, rtol=0, atol=0, equal_nan=True)


@pytest.mark.parametrize(("name", "case"), PARITY_CASES,
                         ids=[case_id(n, c) for n, c in PARITY_CASES])
def test_to_torch_bfloat16_matches_torch(name: str, case: dict[str, Any]) -> None:
    act = actlab.get(name, **case)
    fn = TORCH[name](act.params)
    assert fn is not None
    if not act.elementwise:
        x = torch.as_tensor(np.random.default_rng(0).normal(0, 3, size=(4, 6))).double().numpy()
        g = np.random.default_rng(1).normal(size=act.output_shape(x.shape))
        ours = module_forward_backward(act, x, "bfloat16", g)
        theirs = torch_forward_backward(fn, x, "bfloat16", g)
        for a, b in zip(ours, theirs, strict=True):
            assert not disagreement(a, b, "bfloat16", scale_of(b)).any(), (a, b)
        return
    for kind, x in elementwise_inputs(act, "bfloat16").items():
        label = f"{case_id(name, case)} {kind} bfloat16"
        with_grad = name not in NO_TORCH_GRADIENT
        ours_y, ours_d = module_forward_backward(act, x, "bfloat16", np.ones(x.shape))
        theirs_y, theirs_d = torch_forward_backward(fn, x, "bfloat16", np.ones(x.shape),
                                                    with_grad)
        judge(label + " forward", act, "f", x, ours_y, theirs_y, "bfloat16")
        if theirs_d is not None:
            judge(label + " derivative", act, "df", x, ours_d, theirs_d, "bfloat16")


KINK_CASES = [(n, k.at) for n in TORCH if n in actlab.names() and n not in NO_TORCH_GRADIENT
              for k in actlab.entry(n).doc.kinks if np.isfinite(k.value)]


@pytest.mark.parametrize(("name", "at"), KINK_CASES, ids=[f"{n}@{a}" for n, a in KINK_CASES])
def test_kink_conventions_agree_with_torch(name: str, at: float) -> None:
    """docs/design.md: value and derivative at a kink agree with PyTorch where it has it."""
    act = actlab.get(name)
    fn = TORCH[name](act.params)
    assert fn is not None
    y, d = torch_forward_backward(fn, np.array([at]), "float64", np.ones(1))
    assert float(act(at)) == y[0]
    assert float(act.derivative(at)) == d[0]


def gradcheck_input(act: actlab.Activation) -> torch.Tensor:
    rng = np.random.default_rng(7)
    if not act.elementwise:
        return torch.tensor(rng.normal(0, 1.5, size=(2, 8)), dtype=torch.float64,
                            requires_grad=True)
    x = rng.uniform(-4.0, 4.0, size=64)
    if act.name in REFERENCES and REFERENCES[act.name].domain is not None:
        x = np.abs(x) + 0.05
    for k in kinks_of(act):
        x = x[np.abs(x - k) >= 1e-3]
    return torch.tensor(x[:12], dtype=torch.float64, requires_grad=True)


@pytest.mark.parametrize(("name", "case"), ALL_CASES, ids=[case_id(n, c) for n, c in ALL_CASES])
def test_gradcheck_float64(name: str, case: dict[str, Any]) -> None:
    act = actlab.get(name, **case)
    module = module_for(act, "float64")
    x = gradcheck_input(act)
    assert torch.autograd.gradcheck(module, (x,), eps=1e-6, atol=1e-6, rtol=1e-4)


def test_every_torch_equivalent_is_covered() -> None:
    """Entries naming a torch equivalent in their docs are in the parity table (or lack one)."""
    uncovered = []
    for name in elementwise_names():
        eqs = [e for e in actlab.entry(name).doc.equivalents
               if e.library == "torch" and e.api.startswith("torch.")]
        if eqs and name not in TORCH:
            uncovered.append((name, eqs[0].api))
    assert not uncovered, f"torch equivalents not compared in test_torch_parity: {uncovered}"


def test_rrelu_module_draws_slopes_in_training_and_uses_the_mean_otherwise() -> None:
    act = actlab.get("rrelu", lower=0.1, upper=0.3)
    module = act.to_torch()
    torch.manual_seed(0)
    x = -torch.ones(10_000)
    slopes = -module.train()(x)
    assert 0.1 <= float(slopes.min()) and float(slopes.max()) <= 0.3
    assert float(slopes.std()) > 0.03  # uniform on [0.1, 0.3]: std ≈ 0.058
    np.testing.assert_allclose(module.eval()(x).numpy(), act(x.numpy()), rtol=1e-6)


def test_tolerances_are_as_strict_as_the_accuracy_criterion() -> None:
    assert RTOL["float64"] <= 100 * TOL[np.dtype(np.float64)]
    assert RTOL["float32"] <= 10 * TOL[np.dtype(np.float32)]
