"""``to_torch()`` modules over actlab's autograd function save their input and nothing
else for backward (one tensor, as PyTorch's own activations save at most one), and
the fused derivatives (sigmoid, tanh, softplus, gelu) give the accurate tails that
PyTorch's own autograd loses, in every precision."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import actlab
from actlab.torch.module import ActivationModule
from actlab.torch.saved_memory import saved_storages

SAVED_INPUT = [n for n in actlab.names()
               if isinstance(actlab.get(n).to_torch(), ActivationModule)
               and not any(p.learnable for p in actlab.entry(n).parameters)]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("name", SAVED_INPUT)
def test_the_autograd_function_saves_only_its_input(name: str, dtype: torch.dtype) -> None:
    """Or, for entries that compute their derivative in forward, that derivative alone:
    one tensor the size of the input either way."""
    x = torch.randn(64, 16, dtype=dtype, requires_grad=True)
    saved = saved_storages(actlab.get(name).to_torch(), x)
    if actlab.get(name).torch_native_unless_nan() is not None:  # PyTorch's own function
        assert saved == []  # sign: torch.sign's derivative is zeros, it saves nothing
        with_nan = x.detach().clone()
        with_nan[0, 0] = float("nan")
        saved = saved_storages(actlab.get(name).to_torch(), with_nan.requires_grad_(True))
        assert saved == [(with_nan.untyped_storage().data_ptr(),
                          with_nan.untyped_storage().nbytes())]
    elif actlab.entry(name).saves_derivative:
        assert [size for _, size in saved] == [x.untyped_storage().nbytes()]
    else:
        assert saved == [(x.untyped_storage().data_ptr(), x.untyped_storage().nbytes())]


@pytest.mark.parametrize("name", [n for n in SAVED_INPUT if actlab.entry(n).saves_derivative])
def test_a_saved_derivative_is_computed_only_when_a_gradient_is_needed(name: str) -> None:
    """Without a gradient to compute (inference, no_grad) nothing is saved, and with one
    the second derivative is refused with a clear error (the saved f'(x) is a constant
    to autograd, so it would be silently wrong)."""
    module = actlab.get(name).to_torch()
    assert saved_storages(module, torch.randn(64)) == []
    with torch.no_grad():
        assert saved_storages(module, torch.randn(64, requires_grad=True)) == []
    x = torch.randn(8, dtype=torch.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"to_torch\(second_order=True\)"):
        torch.autograd.grad(module(x).sum(), x, create_graph=True)
    (first,) = torch.autograd.grad(module(x).sum(), x)  # first order as usual
    assert torch.isfinite(first).all()


@pytest.mark.parametrize("name", ["gelu", "exponential", "sigmoid", "tanh", "softplus"])
def test_second_derivatives_with_second_order_modules(name: str) -> None:
    """``to_torch(second_order=True)`` (and every entry that saves its input) has a
    second derivative, checked numerically."""
    module = actlab.get(name).to_torch(second_order=True)
    x = torch.linspace(-3, 3, 7, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradgradcheck(module, (x,))


@pytest.mark.parametrize(("name", "torch_fn"), [("sigmoid", torch.sigmoid),
                                               ("tanh", torch.tanh)])
def test_third_derivatives_of_second_order_modules_at_and_near_zero(
        name: str, torch_fn: Any) -> None:
    """Derivatives of the backward itself are right, x = 0 included (a form through |x|
    once made every odd-order derivative 0 there: the third of tanh at 0 is -2, not 0)."""
    def third(fn: Any) -> torch.Tensor:
        x = torch.tensor([-1.0, 0.0, 0.5, 2.0], dtype=torch.float64, requires_grad=True)
        d = fn(x).sum()
        for _ in range(3):
            (d,) = torch.autograd.grad(d.sum(), x, create_graph=True)
        return d.detach()

    ours = third(actlab.get(name).to_torch(second_order=True))
    # torch's own chain (1 - tanh², σ(1 - σ)) is accurate this close to 0
    torch.testing.assert_close(ours, third(torch_fn), rtol=1e-12, atol=1e-14)


def test_half_precision_saves_one_float32_copy_of_the_input() -> None:
    """float16 is computed in float32 inside: the one saved tensor is that conversion."""
    x = torch.randn(1000, dtype=torch.float16, requires_grad=True)
    saved = saved_storages(actlab.get("gelu").to_torch(), x)
    assert [size for _, size in saved] == [1000 * 4]


TAILS = np.array([-60.0, -30.0, -18.0, -9.0, -3.0, -0.5, 0.0, 0.5, 3.0, 9.0, 18.0, 30.0, 60.0])


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32,
                                   torch.float64])
@pytest.mark.parametrize(("name", "params"), [("sigmoid", {}), ("tanh", {}),
                                              ("softplus", {}), ("softplus", {"beta": 3.0}),
                                              ("gelu", {}), ("gelu", {"approximate": "tanh"}),
                                              ("log_sigmoid", {})])
def test_module_gradient_is_the_numpy_derivative_in_the_tails(
    name: str, params: dict[str, Any], dtype: torch.dtype
) -> None:
    """The module's gradient equals the NumPy derivative (itself checked against the
    50-digit reference) where PyTorch's own modules round it to 0 or 1."""
    act = actlab.get(name, **params)
    x = torch.tensor(TAILS, dtype=dtype, requires_grad=True)
    act.to_torch()(x).backward(torch.ones_like(x))
    assert x.grad is not None and x.grad.dtype == dtype
    inside = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    expected = act.derivative(x.detach().to(inside).numpy())
    expected = torch.from_numpy(np.asarray(expected)).to(dtype)
    # below 1e-35 (float64: 1e-287) results are judged by absolute error (subnormals)
    double = dtype == torch.float64
    torch.testing.assert_close(x.grad, expected, rtol=1e-13 if double else 4e-6,
                               atol=1e-287 if double else 1e-35)


@pytest.mark.parametrize("beta", [-0.7, 0.0, 1.3, 8.0])
def test_swish_beta_gradient_matches_finite_differences(beta: float) -> None:
    """swish's learnable beta: x and beta gradients from the analytic partials (one
    autograd function) agree with central differences of the forward in float64."""
    module = actlab.get("swish", beta=beta).to_torch().double()
    x = torch.linspace(-6.0, 6.0, 25, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: module(t), (x,))
    module(x).sum().backward()
    assert module.beta.grad is not None
    stored = module.beta.item()  # the parameter as stored (float32, then .double())
    h = 1e-6
    values = x.detach().numpy()
    plus = actlab.get("swish", beta=stored + h)(values).sum()
    minus = actlab.get("swish", beta=stored - h)(values).sum()
    # central differences of a sum of ~25 values of order 1: rounding error ~1e-8
    np.testing.assert_allclose(module.beta.grad.item(), (plus - minus) / (2 * h), rtol=1e-7,
                               atol=2e-8)


def test_swish_saves_only_its_input_and_beta() -> None:
    module = actlab.get("swish", beta=1.5).to_torch()
    x = torch.randn(256, requires_grad=True)
    saved = saved_storages(module, x)
    sizes = sorted(size for _, size in saved)
    assert sizes == [4, 256 * 4]  # the float32 beta and x itself
