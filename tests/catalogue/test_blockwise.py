"""The NumPy route's speed machinery (large inputs whose NumPy formula is faster than
the PyTorch route, torch_route.NUMPY_FASTER) changes no bit: block-wise evaluation of
large inputs (activation.BLOCK_SIZE) and the branch-free select behind ``xp.where``
(backend._SELECT_MIN_SIZE) give exactly what one np.where pass over the whole array
gives, for every elementwise entry, its derivative, and every special input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import actlab
import actlab.catalogue.activation as activation_module
import actlab.catalogue.backend as backend_module
import actlab.catalogue.torch_route as route_module

from .helpers import accuracy_grid, elementwise_names, special_inputs

HUGE = 10**12  # a threshold no test array reaches: the plain path


def large_input(dtype: Any) -> np.ndarray:
    """The accuracy grid and the special inputs, shuffled and tiled past several blocks
    of the small block size used here (a ragged last block included), as a
    non-contiguous 2-D array."""
    x = np.tile(np.concatenate([accuracy_grid(dtype), special_inputs(dtype)]), 4)
    np.random.default_rng(0).shuffle(x)
    return x[: x.size - x.size % 7].reshape(-1, 7).T


def evaluate(name: str, x: np.ndarray, block: int, select_min: int,
             monkeypatch: pytest.MonkeyPatch) -> tuple[np.ndarray, np.ndarray]:
    monkeypatch.setattr(route_module, "TORCH_MIN_SIZE", HUGE)  # the NumPy route
    monkeypatch.setattr(activation_module, "BLOCK_SIZE", block)
    monkeypatch.setattr(backend_module, "_SELECT_MIN_SIZE", select_min)
    act = actlab.get(name)
    return act(x), act.derivative(x)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("name", elementwise_names())
def test_blocks_and_branch_free_select_change_no_bit(
    name: str, dtype: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    x = large_input(dtype)
    plain = evaluate(name, x, HUGE, HUGE, monkeypatch)
    fast = evaluate(name, x, 1000, 0, monkeypatch)
    assert same_bits(fast[0], plain[0]), f"{name} forward differs"
    assert same_bits(fast[1], plain[1]), f"{name} derivative differs"


def test_select_matches_np_where_on_scalars_and_arrays() -> None:
    rng = np.random.default_rng(1)
    for dtype in (np.float32, np.float64):
        x = (rng.standard_normal(5000) * 3).astype(dtype)
        x[::7], x[::11], x[::13] = np.nan, -0.0, -np.inf
        cond = x > 0
        for a, b in ((x, -x), (x, 0.0), (1.0, x), (x, dtype(2)), (1.0, 0.0)):
            expected = np.where(cond, a, b)
            got = backend_module._select(cond, a, b)
            assert same_bits(got, expected)
