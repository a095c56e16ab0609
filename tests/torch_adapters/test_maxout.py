"""The Maxout layer: shapes, parameter count, the max of Linear layers, gradients."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from actlab.torch.maxout import Maxout


def n_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_shape_on_any_leading_dimensions() -> None:
    torch.manual_seed(0)
    layer = Maxout(5, 3, pieces=4)
    assert layer(torch.randn(7, 5)).shape == (7, 3)
    assert layer(torch.randn(2, 6, 5)).shape == (2, 6, 3)
    assert layer(torch.randn(5)).shape == (3,)


def test_parameter_count_is_pieces_times_a_linear() -> None:
    assert n_params(Maxout(10, 4)) == 2 * n_params(nn.Linear(10, 4))  # notes D: doubled
    assert n_params(Maxout(10, 4, pieces=3)) == 3 * (10 * 4 + 4)
    assert n_params(Maxout(10, 4, bias=False)) == 2 * 10 * 4


def test_equals_the_max_of_two_linear_layers_with_the_same_weights() -> None:
    torch.manual_seed(1)
    layer = Maxout(6, 4, pieces=2).double()
    first, second = nn.Linear(6, 4).double(), nn.Linear(6, 4).double()
    with torch.no_grad():  # rows 2j, 2j+1 of the big Linear are unit j's w1, w2
        first.weight.copy_(layer.linear.weight[0::2])
        first.bias.copy_(layer.linear.bias[0::2])
        second.weight.copy_(layer.linear.weight[1::2])
        second.bias.copy_(layer.linear.bias[1::2])
    x = torch.randn(9, 6, dtype=torch.float64)
    expected = torch.maximum(first(x), second(x))  # max(w1ᵀx + b1, w2ᵀx + b2)
    torch.testing.assert_close(layer(x), expected, rtol=0, atol=1e-14)
    pieces = torch.maximum(layer.piece(0)(x), layer.piece(1)(x))
    torch.testing.assert_close(pieces, expected, rtol=0, atol=1e-14)


def test_gradients_flow_to_the_winning_piece_only() -> None:
    torch.manual_seed(2)
    layer = Maxout(3, 2).double()
    x = torch.randn(4, 3, dtype=torch.float64, requires_grad=True)
    layer(x).sum().backward()
    assert x.grad is not None and torch.all(torch.isfinite(x.grad)) and x.grad.abs().sum() > 0
    assert layer.linear.weight.grad is not None
    # each sample sends gradient to exactly one piece of each unit: bias grads sum to 4 per unit
    bias_grad = layer.linear.bias.grad.reshape(2, 2)
    torch.testing.assert_close(bias_grad.sum(dim=1), torch.full((2,), 4.0, dtype=torch.float64))
    assert torch.autograd.gradcheck(layer, (x,), eps=1e-6, atol=1e-8)


def test_represents_convex_piecewise_linear_functions_exactly() -> None:
    # |x| = max(x, -x) and relu(x) = max(x, 0): one unit with two pieces, no hidden layer
    layer = Maxout(1, 2).double()
    with torch.no_grad():
        layer.linear.weight.copy_(torch.tensor([[1.0], [-1.0], [1.0], [0.0]]))
        layer.linear.bias.zero_()
    x = torch.linspace(-3, 3, 61, dtype=torch.float64).unsqueeze(1)
    y = layer(x)
    torch.testing.assert_close(y[:, 0], x[:, 0].abs(), rtol=0, atol=0)
    torch.testing.assert_close(y[:, 1], torch.relu(x[:, 0]), rtol=0, atol=0)


def test_bad_sizes_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="pieces must be a positive integer"):
        Maxout(3, 2, pieces=0)
    with pytest.raises(ValueError, match="out_features"):
        Maxout(3, 2.5)  # type: ignore[arg-type]
