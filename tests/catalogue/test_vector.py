"""Vector-valued entries: NumPy forward and vjp against torch autograd, on random shapes
and axes; gradcheck through the torch modules; the numerical edge cases of docs/design.md."""

from __future__ import annotations

import warnings
import zlib
from collections.abc import Callable

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import actlab
from actlab.torch.module import ActivationModule

SOFTMAX_LIKE = ["softmax", "log_softmax", "softmin", "sparsemax"]
GATED = ["glu", "swiglu", "geglu", "reglu"]
VECTOR = [*SOFTMAX_LIKE, *GATED, "maxout"]


def torch_sparsemax(x: torch.Tensor, dim: int) -> torch.Tensor:
    """Martins & Astudillo's algorithm in plain torch ops (no max shift), for autograd."""
    zs, _ = torch.sort(x, dim=dim, descending=True)
    shape = [1] * x.dim()
    shape[dim] = x.shape[dim]
    k = torch.arange(1, x.shape[dim] + 1, dtype=x.dtype).reshape(shape)
    csum = zs.cumsum(dim)
    support = (1 + k * zs > csum).sum(dim=dim, keepdim=True)
    tau = (csum.gather(dim, support - 1) - 1) / support.to(x.dtype)
    return torch.clamp(x - tau, min=0)


def gated(gate: Callable[[torch.Tensor], torch.Tensor]) -> Callable[..., torch.Tensor]:
    def f(x: torch.Tensor, dim: int) -> torch.Tensor:
        a, b = x.chunk(2, dim=dim)
        return a * gate(b)

    return f


# the oracle: torch.nn.functional where it has the function, compositions of torch ops else
TORCH_REFERENCE: dict[str, Callable[[torch.Tensor, int], torch.Tensor]] = {
    "softmax": lambda x, dim: F.softmax(x, dim=dim),
    "log_softmax": lambda x, dim: F.log_softmax(x, dim=dim),
    "softmin": lambda x, dim: F.softmin(x, dim=dim),
    "sparsemax": torch_sparsemax,
    "glu": lambda x, dim: F.glu(x, dim=dim),
    "swiglu": gated(F.silu),
    "geglu": gated(F.gelu),
    "reglu": gated(F.relu),
    "maxout": lambda x, dim: x.unflatten(dim % x.dim(), (x.shape[dim] // 2, 2)).amax(
        dim % x.dim() + 1
    ),
}


def random_case(rng: np.random.Generator, name: str) -> tuple[tuple[int, ...], int]:
    """A random shape of 1-3 dimensions and an axis (negative or not) valid for ``name``."""
    ndim = int(rng.integers(1, 4))
    shape = [int(s) for s in rng.integers(1, 5, size=ndim)]
    axis = int(rng.integers(-ndim, ndim))
    if name in GATED or name == "maxout":
        shape[axis] = 2 * int(rng.integers(1, 4))
    return tuple(shape), axis


@pytest.fixture(autouse=True)
def _no_runtime_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", VECTOR)
def test_forward_and_vjp_match_torch_autograd(name: str, dtype: type) -> None:
    rng = np.random.default_rng(zlib.crc32(f"{name} {np.dtype(dtype).name}".encode()))
    rtol = tol = 1e-5 if dtype == np.float32 else 1e-12
    for _ in range(6):
        shape, axis = random_case(rng, name)
        act = actlab.get(name, axis=axis)
        x = (rng.standard_normal(shape) * 3).astype(dtype)
        # the oracle runs in float64 on the same (rounded) input: torch's own float32 GELU
        # loses accuracy in the tail (gelu(-4.9) off by 0.5%), where ours is exact
        xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        yt = TORCH_REFERENCE[name](xt, axis)
        g = rng.standard_normal(tuple(yt.shape)).astype(dtype)
        (gt,) = torch.autograd.grad(yt, xt, torch.tensor(g, dtype=torch.float64))

        y = act(x)
        assert y.dtype == dtype and y.shape == tuple(yt.shape) == act.output_shape(shape)
        expected = yt.detach().numpy()
        # absolute tolerance relative to the magnitude: where the exact result cancels to
        # near 0 (a gate's slope changing sign) no float32 algorithm keeps relative accuracy
        np.testing.assert_allclose(y, expected, rtol=rtol, atol=tol * np.abs(expected).max())
        vjp = act.vjp(x, g)
        assert vjp.dtype == dtype and vjp.shape == shape
        np.testing.assert_allclose(vjp, gt.numpy(), rtol=rtol, atol=tol * np.abs(gt.numpy()).max())


@pytest.mark.parametrize("name", VECTOR)
def test_torch_module_gradcheck_and_agrees_with_numpy(name: str) -> None:
    rng = np.random.default_rng(7)
    act = actlab.get(name, axis=1)
    x = torch.tensor(rng.standard_normal((3, 4, 2)), dtype=torch.float64, requires_grad=True)
    for module in {act.to_torch(), ActivationModule(act)}:  # native (if any) and ours
        assert torch.autograd.gradcheck(module, (x,), eps=1e-6, atol=1e-8)
    # our autograd function: same output and vjp as the NumPy reference
    y = ActivationModule(act)(x)
    g = torch.tensor(rng.standard_normal(tuple(y.shape)))
    (gx,) = torch.autograd.grad(y, x, g)
    xn = x.detach().numpy()
    np.testing.assert_allclose(y.detach().numpy(), act(xn), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(gx.numpy(), act.vjp(xn, g.numpy()), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("name", VECTOR)
def test_torch_module_keeps_low_precision_dtype(name: str) -> None:
    x = torch.linspace(-3, 3, 24).reshape(3, 8)
    for dtype in (torch.float16, torch.bfloat16):
        y = ActivationModule(actlab.get(name))(x.to(dtype))
        assert y.dtype == dtype
        expected = actlab.get(name)(x.numpy().astype(np.float64))
        np.testing.assert_allclose(y.double().numpy(), expected, rtol=2e-2, atol=2e-2)


def test_native_torch_modules_where_exact() -> None:
    natives = {"softmax": torch.nn.Softmax, "log_softmax": torch.nn.LogSoftmax,
               "softmin": torch.nn.Softmin, "glu": torch.nn.GLU}
    for name in VECTOR:
        module = actlab.get(name, axis=0).to_torch()
        if name in natives:
            assert isinstance(module, natives[name]) and module.dim == 0
        else:
            assert isinstance(module, ActivationModule)


def test_softmax_rows_sum_to_one_and_are_positive() -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((50, 7)) * 30
    for axis in (0, 1):
        s = actlab.get("softmax", axis=axis)(x)
        np.testing.assert_allclose(s.sum(axis=axis), 1.0, rtol=1e-14)
        assert np.all(s >= 0)
        assert np.all(actlab.get("softmin", axis=axis)(x).sum(axis=axis) - 1 < 1e-14)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_overflow_safety_at_large_inputs(dtype: type) -> None:
    x = np.array([[1e4, 1e4, -1e4], [1e4, -1e4, 0.0], [1000.0, 1000.0, 1000.0]], dtype=dtype)
    s = actlab.get("softmax")(x)
    np.testing.assert_allclose(s, [[0.5, 0.5, 0], [1, 0, 0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)
    ls = actlab.get("log_softmax")(x)
    np.testing.assert_allclose(ls[1], [0.0, -2e4, -1e4], rtol=1e-6)
    np.testing.assert_allclose(ls[0, :2], -np.log(2.0), rtol=1e-6)
    np.testing.assert_allclose(actlab.get("softmin")(-x), s, rtol=1e-6)
    np.testing.assert_allclose(actlab.get("sparsemax")(x), [[0.5, 0.5, 0], [1, 0, 0],
                                                            [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)
    for name in VECTOR:
        act = actlab.get(name, axis=0)
        y, v = act(x[:2]), act.vjp(x[:2], np.ones(act.output_shape((2, 3))))
        assert np.all(np.isfinite(y)) and np.all(np.isfinite(v)), name


def test_float64_extremes_1e300() -> None:
    x = np.array([1e300, -1e300, 0.0, 1e300])
    np.testing.assert_allclose(actlab.get("softmax")(x), [0.5, 0, 0, 0.5])
    np.testing.assert_allclose(actlab.get("log_softmax")(x),
                               [-np.log(2), -2e300, -1e300, -np.log(2)])
    np.testing.assert_allclose(actlab.get("sparsemax")(x), [0.5, 0, 0, 0.5])
    np.testing.assert_allclose(actlab.get("maxout")(x), [1e300, 1e300])
    for name in VECTOR:
        act = actlab.get(name)
        assert not np.any(np.isnan(act(x))), name
        assert not np.any(np.isnan(act.vjp(x, np.ones(act.output_shape(x.shape))))), name


def test_naive_softmax_overflows_where_ours_does_not() -> None:
    x = np.array([1000.0, 1000.0])
    with np.errstate(all="ignore"):
        naive = np.exp(x) / np.exp(x).sum()
    assert np.all(np.isnan(naive))  # inf / inf: the defect of the seed code
    np.testing.assert_array_equal(actlab.get("softmax")(x), [0.5, 0.5])


def test_minus_infinity_rows_and_nan_propagation() -> None:
    inf, nan = np.inf, np.nan
    x = np.array([[0.0, -inf, 0.0], [-inf, -inf, -inf], [1.0, nan, 2.0], [3.0, 1.0, 2.0]])
    for name in ("softmax", "log_softmax", "sparsemax"):
        act = actlab.get(name)
        y = act(x)
        assert np.all(np.isnan(y[1])) and np.all(np.isnan(y[2])), name  # documented
        assert not np.any(np.isnan(y[[0, 3]])), name  # other rows are unaffected
        assert np.all(np.isnan(act.vjp(x, np.ones(3))[2])), name
    np.testing.assert_array_equal(actlab.get("softmax")(x[0]), [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(actlab.get("log_softmax")(x[0]), [-np.log(2), -inf, -np.log(2)])
    np.testing.assert_array_equal(actlab.get("sparsemax")(x[0]), [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(actlab.get("softmax").vjp(x[0], [1.0, 5.0, 3.0]),
                                  [-0.5, 0.0, 0.5])
    # torch agrees on the -inf cases
    np.testing.assert_array_equal(F.softmax(torch.tensor(x[:2]), -1).numpy()[0], [0.5, 0, 0.5])
    assert torch.isnan(F.softmax(torch.tensor(x[1]), -1)).all()
    # +inf: the limit (torch gives NaN)
    np.testing.assert_array_equal(actlab.get("softmax")([inf, 1.0, inf]), [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(actlab.get("softmin")([-inf, 1.0]), [1.0, 0.0])
    for name in [*GATED, "maxout"]:
        y = actlab.get(name)(np.array([nan, 1.0, 1.0, 1.0]))
        assert np.isnan(y[0]) and not np.isnan(y[1]), name


def test_log_softmax_keeps_relative_accuracy_of_the_dominant_entry() -> None:
    # log_softmax([0, -40])[0] = -log1p(e^-40) ≈ -4.248e-18; log(1 + 4e-18) rounds to 0
    y = actlab.get("log_softmax")(np.array([0.0, -40.0]))
    np.testing.assert_allclose(y[0], -np.log1p(np.exp(-40.0)), rtol=1e-14)


def project_onto_simplex_by_bisection(z: np.ndarray) -> np.ndarray:
    """max(z - tau, 0) with Σ = 1, tau found by bisection (no sorting)."""
    lo, hi = z.max() - 1.0, z.max()  # the sum is >= 1 at lo and 0 at hi
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if np.maximum(z - mid, 0.0).sum() > 1.0:
            lo = mid
        else:
            hi = mid
    return np.maximum(z - 0.5 * (lo + hi), 0.0)


def test_sparsemax_is_the_euclidean_projection_onto_the_simplex() -> None:
    rng = np.random.default_rng(3)
    act = actlab.get("sparsemax")
    n_sparse = 0
    for scale in (0.1, 1.0, 5.0):
        x = rng.standard_normal((20, 9)) * scale
        p = act(x)
        assert np.all(p >= 0)
        np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-13)
        brute = np.array([project_onto_simplex_by_bisection(row) for row in x])
        np.testing.assert_allclose(p, brute, atol=1e-12)
        n_sparse += int(np.sum(p == 0))
    assert n_sparse > 100  # exact zeros: sparse, unlike softmax


def test_sparsemax_vjp_is_centred_gradient_on_the_support() -> None:
    x = np.array([2.0, 1.5, -1.0, 1.9])  # support {0, 1, 3}
    p = actlab.get("sparsemax")(x)
    assert np.all((p > 0) == [True, True, False, True])
    g = np.array([1.0, 2.0, 7.0, 6.0])
    np.testing.assert_allclose(actlab.get("sparsemax").vjp(x, g), [-2.0, -1.0, 0.0, 3.0])


def test_maxout_groups_are_contiguous_and_ties_go_to_the_first() -> None:
    act = actlab.get("maxout", pieces=3)
    x = np.array([1.0, 5.0, 2.0, 7.0, 7.0, 0.0])
    np.testing.assert_array_equal(act(x), [5.0, 7.0])
    np.testing.assert_array_equal(act.vjp(x, [10.0, 20.0]), [0, 10, 0, 20, 0, 0])
    # along axis 0 of a matrix, the same grouping per column
    m = np.stack([x, -x], axis=1)
    np.testing.assert_array_equal(actlab.get("maxout", pieces=3, axis=0)(m),
                                  [[5.0, -1.0], [7.0, 0.0]])


def test_shapes_edge_cases() -> None:
    for name in SOFTMAX_LIKE:
        act = actlab.get(name)
        y = act(0.3)  # a scalar is a vector of one element
        assert np.ndim(y) == 0 and y == (0.0 if name == "log_softmax" else 1.0)
        assert act.vjp(0.3, 2.0) == 0.0
    for name in VECTOR:
        act = actlab.get(name)
        assert act(np.zeros((3, 0))).shape == (3, 0)
        assert act(np.zeros((0, 4), dtype=np.float32)).shape == act.output_shape((0, 4))
        assert act(np.zeros((0, 4), dtype=np.float32)).dtype == np.float32
        assert act(np.ones((2, 4), dtype=np.float16)).dtype == np.float16
        assert act([[1, 2], [3, 4]]).dtype == np.float64  # integers computed in float64
    # a scalar gradient broadcasts to the output shape
    v = actlab.get("glu").vjp(np.ones((2, 4)), 1.0)
    assert v.shape == (2, 4)


def test_clear_errors() -> None:
    with pytest.raises(ValueError, match="must be even"):
        actlab.get("glu")(np.ones((2, 3)))
    with pytest.raises(ValueError, match="must be even"):
        actlab.get("swiglu").vjp(np.ones(5), np.ones(2))
    with pytest.raises(ValueError, match="divisible by pieces=3"):
        actlab.get("maxout", pieces=3)(np.ones(4))
    with pytest.raises(ValueError, match="axis 2 is out of range"):
        actlab.get("softmax", axis=2)(np.ones((2, 2)))
    with pytest.raises(ValueError, match="must be >= 1"):
        actlab.get("maxout", pieces=0)
    with pytest.raises(TypeError, match="axis must be int"):
        actlab.get("softmax", axis=1.5)
    with pytest.raises(TypeError, match="use vjp"):
        actlab.get("softmax").derivative(np.ones(3))
    with pytest.raises(ValueError, match="must be even"):
        ActivationModule(actlab.get("reglu"))(torch.ones(2, 3))


@pytest.mark.parametrize("name", VECTOR)
def test_documentation_is_complete(name: str) -> None:
    entry = actlab.get(name)
    doc = entry.doc
    assert entry.family == "vector" and not entry.elementwise
    assert "axis" in entry.params
    assert doc.formula and doc.derivative_formula and doc.summary and doc.notes
    assert any(ref.year for ref in doc.references)
    assert {e.library for e in doc.equivalents} >= {"torch", "keras", "jax"}
    lo, hi = doc.properties.range
    assert lo < hi
    assert doc.properties.monotonic == (name == "maxout")
