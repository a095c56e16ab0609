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


def saved_storages(module: torch.nn.Module, x: torch.Tensor) -> list[tuple[int, int]]:
    """(data pointer, bytes) of every distinct storage autograd saves for backward."""
    seen: dict[int, int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        seen[storage.data_ptr()] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        y = module(x)
    del y
    return list(seen.items())


SAVED_INPUT = [n for n in actlab.names()
               if isinstance(actlab.get(n).to_torch(), ActivationModule)
               and not any(p.learnable for p in actlab.entry(n).parameters)]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("name", SAVED_INPUT)
def test_the_autograd_function_saves_only_its_input(name: str, dtype: torch.dtype) -> None:
    x = torch.randn(64, 16, dtype=dtype, requires_grad=True)
    saved = saved_storages(actlab.get(name).to_torch(), x)
    assert saved == [(x.untyped_storage().data_ptr(), x.untyped_storage().nbytes())]


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
