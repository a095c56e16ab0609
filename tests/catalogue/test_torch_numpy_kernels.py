"""The PyTorch back end's fast paths give NumPy's very numbers: NumPy's SIMD kernels on
CPU tensors (torch_numpy_kernels.py), used only where listed as faster than PyTorch's at
the thread count PyTorch would use and never inside an autograd graph; and
``Backend.inside`` as one hardtanh_backward pass."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
import torch

from actlab.catalogue import torch_numpy_kernels as kernels
from actlab.catalogue.backend import torch_backend


@pytest.fixture
def one_thread() -> Iterator[None]:
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.mark.usefixtures("one_thread")
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_tanh_runs_numpys_kernel_on_the_tensors_memory(dtype: torch.dtype) -> None:
    x = torch.linspace(-30.0, 30.0, 50_000, dtype=dtype)
    y = torch_backend().tanh(x)
    assert y.dtype == dtype and y.shape == x.shape
    np.testing.assert_array_equal(y.numpy(), np.tanh(x.numpy()))


def test_strided_and_expanded_inputs_keep_their_shape() -> None:
    base = torch.randn(64, 64)
    for x in (base.t(), base[:, ::3], torch.randn(1, 64).expand(64, 64)):
        out = kernels.numpy_unary("exp", x)
        assert out is not None
        np.testing.assert_array_equal(out.numpy(), np.exp(x.numpy()))


def test_a_graph_keeps_pytorchs_kernel() -> None:
    x = torch.randn(100, requires_grad=True)
    assert kernels.numpy_unary("tanh", x) is None
    assert torch_backend().tanh(x).grad_fn is not None
    with torch.no_grad():
        assert kernels.numpy_unary("tanh", x) is not None


def test_unlisted_kernels_and_dtypes_stay_on_pytorch() -> None:
    assert kernels.numpy_unary("sin", torch.randn(10, dtype=torch.float64)) is None
    assert kernels.numpy_unary("tanh", torch.randn(10).half()) is None


@pytest.mark.usefixtures("one_thread")
def test_pytorchs_threads_win_where_numpys_speedup_is_smaller(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Large tensors run on PyTorch's threads: NumPy only if it is faster by more than
    their number; small ones run on one thread either way."""
    monkeypatch.setitem(kernels.NUMPY_SPEEDUP, ("exp", torch.float32), 1.5)
    large, small = torch.randn(kernels.GRAIN_SIZE), torch.randn(kernels.GRAIN_SIZE - 1)
    assert kernels.numpy_unary("exp", large) is not None
    torch.set_num_threads(2)
    assert kernels.numpy_unary("exp", large) is None
    assert kernels.numpy_unary("exp", small) is not None


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_inside_on_pytorch_is_numpys_including_the_ends_and_nan(dtype: type) -> None:
    """Backend.inside: PyTorch's one hardtanh_backward pass gives NumPy's comparisons
    exactly: 0 at the interval's ends and outside, the slope inside, NaN kept."""
    from actlab.catalogue.backend import NUMPY

    lo, hi = -3.0, 3.0
    edges = [lo, hi, np.nextafter(dtype(lo), dtype(0)), np.nextafter(dtype(hi), dtype(0)),
             np.nextafter(dtype(lo), dtype(-9)), np.nextafter(dtype(hi), dtype(9)),
             0.0, -np.inf, np.inf, np.nan, 1e30, -1e30]
    x = np.array(edges + list(np.linspace(-5, 5, 5000)), dtype=dtype)
    ours = torch_backend().inside(torch.from_numpy(x), lo, hi, 1.0 / 6.0).numpy()
    np.testing.assert_array_equal(ours, NUMPY.inside(x, lo, hi, 1.0 / 6.0))
    assert ours[2] == ours[3] == dtype(1.0 / 6.0) and ours[0] == ours[1] == 0.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_patch_abs_below_agrees_on_both_back_ends_and_inside_a_graph(dtype: type) -> None:
    """tanh_shrink's series patch: the same elements patched by NumPy, by NumPy on a
    tensor's memory and by PyTorch's own operations (a tensor in an autograd graph);
    NaN and |x| = bound exactly are not below; a non-contiguous input keeps its layout
    of values."""
    from actlab.catalogue.backend import NUMPY

    values = np.array([0.0, -0.0, 0.5, -0.5, 0.4999, -0.25, np.nan, np.inf, -np.inf, 3.0,
                       1e-30, -7.0], dtype=dtype)
    x = np.tile(values, 3).reshape(6, 6).T  # non-contiguous

    def plus_ten(v: object, xp: object) -> object:
        return v + 10.0  # type: ignore[operator]

    expected = np.where(np.abs(x) < 0.5, x + 10.0, -1.0)
    assert np.count_nonzero(expected != -1.0) == 3 * 5  # 0, -0, 0.4999, -0.25, 1e-30
    np.testing.assert_array_equal(
        NUMPY.patch_abs_below(np.full_like(x, -1.0), x, 0.5, plus_ten), expected)
    xt = torch.from_numpy(x)
    on_memory = torch_backend().patch_abs_below(torch.full_like(xt, -1.0), xt, 0.5, plus_ten)
    np.testing.assert_array_equal(on_memory.numpy(), expected)
    leaf = xt.clone().requires_grad_(True)
    y = torch.full_like(xt, -1.0) * leaf  # in the graph
    patched = torch_backend().patch_abs_below(y, leaf, 0.5, plus_ten)
    np.testing.assert_array_equal(patched.detach().numpy(), np.where(
        np.abs(x) < 0.5, x + 10.0, -x))
    patched.sum().backward()
    assert leaf.grad is not None
    np.testing.assert_array_equal(leaf.grad.numpy(), np.where(np.abs(x) < 0.5, 1.0, -1.0))
