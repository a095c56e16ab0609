"""The speed paths of ``to_torch()`` keep the tails: sigmoid's and gelu's derivative
computed in forward (σ(x)·σ(-x) from the forward's σ(x); gelu's erfc shared), the
exponential's saved output, and tanh through NumPy's SIMD kernel are held to the
accuracy criterion against the 50-digit reference far out in the tails, where the
shortcuts PyTorch takes (σ(1 - σ), 1 - tanh², ½(1 + erf)) round to 0 or 1."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch

import actlab
from catalogue.helpers import failure_mask, reference_values

# (entry, dtype, inputs): deep in the tails, yet above the dtype's absolute-error floor
# (1e-35 / 1e-287) in the function or the derivative checked
TAIL_CASES = [
    ("sigmoid", torch.float32, [-80.0, -30.0, -9.0, 9.0, 30.0, 80.0]),
    ("sigmoid", torch.float64, [-700.0, -300.0, -40.0, 40.0, 300.0, 700.0]),
    ("gelu", torch.float32, [-12.0, -9.0, -5.0, -1e-3, 5.0, 12.0]),
    ("gelu", torch.float64, [-30.0, -20.0, -9.0, -1e-9, 9.0, 30.0]),
    ("gelu_tanh", torch.float32, [-9.0, -7.0, -5.0, -1e-3, 5.0, 12.0]),
    ("gelu_tanh", torch.float64, [-18.0, -12.0, -5.0, -1e-9, 9.0, 30.0]),
    ("exponential", torch.float32, [-80.0, -30.0, 30.0, 88.0]),
    ("exponential", torch.float64, [-700.0, -300.0, 300.0, 709.0]),
    ("tanh", torch.float32, [-40.0, -9.0, -3e-4, 1e-6, 9.0, 40.0]),
    ("tanh", torch.float64, [-300.0, -20.0, -1e-3, 1e-12, 20.0, 300.0]),
]


def _entry(name: str) -> actlab.Activation:
    """The entry of a case name ("gelu_tanh": gelu with approximate="tanh")."""
    return actlab.get("gelu", approximate="tanh") if name == "gelu_tanh" else actlab.get(name)


def _kappa(x: np.ndarray, f: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """|x f'(x) / f(x)| of the reference f, by central differences (generous: x 10)."""
    h = 1e-7 * np.abs(x)
    slope = (f(x + h) - f(x - h)) / (2 * h)
    with np.errstate(all="ignore"):
        return np.nan_to_num(np.abs(x * slope / f(x)), nan=0.0) * 10


@pytest.mark.parametrize(("name", "dtype", "points"), TAIL_CASES,
                         ids=[f"{n}-{str(d)[6:]}" for n, d, _ in TAIL_CASES])
def test_module_value_and_gradient_meet_the_criterion_in_the_tails(
        name: str, dtype: torch.dtype, points: list[float]) -> None:
    act = _entry(name)
    x = torch.tensor(points, dtype=dtype, requires_grad=True)
    y = act.to_torch()(x)
    y.backward(torch.ones_like(y))
    assert x.grad is not None
    xs = x.detach().double().numpy()
    np_dtype = np.float32 if dtype == torch.float32 else np.float64
    for which, computed in (("f", y.detach()), ("df", x.grad)):
        def ref(v: np.ndarray, which: str = which) -> np.ndarray:
            return reference_values(act.name, act.params, which, v)

        true = ref(xs)
        bad = failure_mask(computed.double().numpy(), true, _kappa(xs, ref), np_dtype)
        assert not bad.any(), (
            f"{name} {which} {dtype}: x={xs[bad]}, got {computed.double().numpy()[bad]}, "
            f"true {true[bad]}")


def test_sigmoid_gradient_far_in_the_tails_is_not_rounded_away() -> None:
    """σ'(30) in float32 and σ'(700) in float64: e^-30 and e^-700 to a few ulps, where
    torch's σ(1 - σ) gives exactly 0."""
    for dtype, at, eps in ((torch.float32, 30.0, 1e-6), (torch.float64, 700.0, 1e-13)):
        x = torch.tensor([at, -at], dtype=dtype, requires_grad=True)
        actlab.get("sigmoid").to_torch()(x).sum().backward()
        assert x.grad is not None
        exact = np.exp(-at) / (1 + np.exp(-at)) ** 2  # float64: e^-700 ≈ 9.9e-305 is normal
        np.testing.assert_allclose(x.grad.double().numpy(), [exact, exact], rtol=eps)
        x_torch = torch.tensor([at], dtype=dtype, requires_grad=True)
        torch.sigmoid(x_torch).sum().backward()
        assert x_torch.grad is not None and float(x_torch.grad[0]) == 0.0  # what it fixes


def test_exponential_module_saves_its_output() -> None:
    """The derivative of e^x is the output itself: the module saves y, not x."""
    seen: list[int] = []

    def pack(t: torch.Tensor) -> torch.Tensor:
        seen.append(t.untyped_storage().data_ptr())
        return t

    x = torch.randn(100, requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        y = actlab.get("exponential").to_torch()(x)
    assert seen == [y.untyped_storage().data_ptr()]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("name", ["sigmoid", "gelu", "gelu_tanh", "exponential", "tanh"])
def test_module_limits_at_infinity_and_nan_are_the_numpy_ones(name: str,
                                                             dtype: torch.dtype) -> None:
    """±inf, NaN and huge finite inputs (whose squares or exponentials overflow), alone
    and mixed into a large ordinary tensor (the fast paths check for them once)."""
    act = _entry(name)
    huge = float(torch.finfo(dtype).max)
    special = [-np.inf, np.inf, np.nan, -1e30, 1e30, 0.0]
    finite = [-huge, huge, -1e30, 1e30, -1e19, 1e19]
    ordinary = list(np.linspace(-50.0, 50.0, 5000))
    for values in (special, special + ordinary, finite + ordinary):
        x = torch.tensor(values, dtype=dtype, requires_grad=True)
        y = act.to_torch()(x)
        y.backward(torch.ones_like(y))
        assert x.grad is not None
        xs = x.detach().numpy()
        np.testing.assert_array_equal(y.detach().numpy()[:6], act(xs)[:6])
        np.testing.assert_array_equal(x.grad.numpy()[:6], act.derivative(xs)[:6])


@pytest.mark.parametrize("low", [torch.float16, torch.bfloat16])
@pytest.mark.parametrize("name", ["sigmoid", "gelu", "exponential"])
def test_half_precision_gradient_is_the_float32_one_rounded_once(
        name: str, low: torch.dtype) -> None:
    """float16/bfloat16 through the saved-derivative function: value and gradient (for
    any cotangent) are float32's, rounded once to the input's dtype."""
    module = actlab.get(name).to_torch()
    rng = np.random.default_rng(5)
    x_low = torch.tensor(rng.normal(0, 3, 2000)).to(low).requires_grad_(True)
    g_low = torch.tensor(rng.normal(0, 1, 2000)).to(low)
    y_low = module(x_low)
    y_low.backward(g_low)
    x32 = x_low.detach().float().requires_grad_(True)
    y32 = module(x32)
    y32.backward(g_low.float())
    assert x_low.grad is not None and x32.grad is not None
    assert y_low.dtype == x_low.grad.dtype == low
    torch.testing.assert_close(y_low, y32.detach().to(low), rtol=0, atol=0)
    torch.testing.assert_close(x_low.grad, x32.grad.to(low), rtol=0, atol=0)
