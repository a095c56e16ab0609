"""The NumPy fast paths of the piecewise-linear entries (``numpy_forward`` and
``numpy_grad``, src/actlab/catalogue/numpy_fast.py) give exactly what the entry's
formula gives on the NumPy back end: every bit, signed zeros included, and NaN where
it gives NaN (one documented exception: sparse_plus within 1 ulp, see ULPS).  Pinned
on the values a fast path could break -- NaN, ±0.0, ±inf, ±max, subnormals, each kink
exactly and its float neighbours -- in both dtypes, for every layout and type the API
accepts (non-contiguous, 0-d, read-only, Python scalars, integers, booleans, float16),
and with parameters that take other branches."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import actlab
from actlab.catalogue.activation import Activation
from actlab.catalogue.backend import NUMPY

from .helpers import accuracy_grid, special_inputs
from .reference import REFERENCES

DTYPES = (np.float32, np.float64)

# every entry with a fast path, with parameter sets that take its other branches
# (a parameter set may also switch the fast path off: it then returns None)
CASES: list[tuple[str, dict[str, Any]]] = [
    ("relu", {}),
    ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.2}),
    ("leaky_relu", {"negative_slope": 1.0}), ("leaky_relu", {"negative_slope": 0.0}),
    ("leaky_relu", {"negative_slope": -1.0}), ("leaky_relu", {"negative_slope": 3.0}),
    ("prelu", {}), ("prelu", {"a": 0.1}), ("prelu", {"a": 0.0}), ("prelu", {"a": -0.5}),
    ("rrelu", {}), ("rrelu", {"lower": 0.1, "upper": 0.3}),
    ("rrelu", {"lower": 1.5, "upper": 2.5}),
    ("relu_squared", {}),
    ("elu", {}), ("elu", {"alpha": 0.5}), ("elu", {"alpha": 2.0}),
    ("celu", {}), ("celu", {"alpha": 2.0}), ("celu", {"alpha": 0.01}),
    ("selu", {}), ("selu", {"alpha": 1.0, "scale": 2.0}),
    ("identity", {}),
    ("piecewise_linear", {}),
    ("hard_sigmoid", {}),
    ("hard_tanh", {}), ("hard_tanh", {"min_val": -2.0, "max_val": 0.5}),
    ("hard_tanh", {"min_val": 0.0, "max_val": 3.0}),
    ("relu6", {}),
    ("hard_mish", {}),
    ("hard_shrink", {}), ("hard_shrink", {"lambd": 1.5}), ("hard_shrink", {"lambd": 0.0}),
    ("soft_shrink", {}), ("soft_shrink", {"lambd": 1.5}), ("soft_shrink", {"lambd": 0.0}),
    ("sparse_plus", {}),
    ("sparse_sigmoid", {}),
    ("heaviside", {}), ("heaviside", {"at_threshold": 0.0}),
    ("heaviside", {"t": 0.5, "at_threshold": 0.5}), ("heaviside", {"t": -2.0}),
    ("heaviside", {"t": 1.5, "at_threshold": 0.0}),
    ("bipolar_step", {}),
    ("sign", {}),
    ("threshold", {}), ("threshold", {"t": 32.0, "value": 32.0}),
    ("threshold", {"t": -1.0, "value": 2.0}), ("threshold", {"t": 0.0, "value": -0.0}),
    ("threshold", {"t": -0.0, "value": 0.0}), ("threshold", {"t": -3.0, "value": -3.0}),
]
IDS = [n + "".join(f"-{k}={v}" for k, v in c.items()) for n, c in CASES]

# the default parameters must take the fast path, or these tests would test nothing
FAST_BY_DEFAULT = sorted({name for name, _ in CASES})


def has_fast_path(act: Activation, which: str) -> bool:
    return getattr(type(act), which) is not getattr(Activation, which)


def kink_points(act: Activation, dtype: Any) -> np.ndarray:
    """Each kink, the parameters' own corners, and their float neighbours in dtype."""
    points = list(REFERENCES[act.name].kinks(act.params))
    points += [v for v in act.params.values() if isinstance(v, float)]
    points += [-v for v in points] + [-1.0, 1.0, -2.0, 2.0, -3.0, 3.0, 6.0, -0.5, 0.5]
    at = np.array(points, dtype=dtype)
    return np.concatenate([at, np.nextafter(at, dtype(np.inf)), np.nextafter(at, dtype(-np.inf))])


def inputs(act: Activation, dtype: Any) -> np.ndarray:
    """The accuracy grid, the special values (NaN of both signs, ±0.0, ±inf, ±max,
    subnormals) and the kinks, shuffled."""
    negative_nan = np.copysign(np.array(np.nan, dtype=dtype), -1)
    # just below 1, where sparse_plus's max(q, x) and the formula's q can part
    below_one = np.concatenate([np.linspace(0.99, 1.0, 200),
                                1.0 - np.arange(1, 60) * float(np.finfo(dtype).epsneg)])
    x = np.concatenate([accuracy_grid(dtype), special_inputs(dtype), kink_points(act, dtype),
                        below_one, [negative_nan]]).astype(dtype)
    np.random.default_rng(0).shuffle(x)
    return x


def formula(act: Activation, which: str, x: np.ndarray) -> np.ndarray:
    """The entry's formula on the NumPy back end, as written (the reference here)."""
    fn = act.forward if which == "numpy_forward" else act.grad
    with np.errstate(all="ignore"):
        y = np.asarray(fn(x, act.params, NUMPY))
    return np.broadcast_to(y, x.shape)


# the one documented exception (piecewise_linear.py, SparsePlus.numpy_forward): max(q, x)
# returns x, 1 ulp above the formula's rounded q, where (1 - x)² is below q's rounding
ULPS = {("sparse_plus", "numpy_forward"): 1}


def assert_same(got: np.ndarray, expected: np.ndarray, x: np.ndarray, label: str,
                ulps: int = 0) -> None:
    """Same dtype and shape, NaN where NaN, and elsewhere the same bits (at most ``ulps``
    units in the last place apart, with the same sign)."""
    assert got.dtype == expected.dtype, f"{label}: dtype {got.dtype} != {expected.dtype}"
    assert got.shape == expected.shape, f"{label}: shape {got.shape} != {expected.shape}"
    nan = np.isnan(expected)
    assert np.array_equal(np.isnan(got), nan), (
        f"{label}: NaN differs at x = {x[np.isnan(got) != nan][:5]}")
    width = {4: np.int32, 8: np.int64}[got.dtype.itemsize]
    a, b = got.view(width), expected.view(width)
    differ = (a != b) & ~nan
    if ulps:  # same sign bit, and at most ``ulps`` apart as integers
        close = ((a < 0) == (b < 0)) & (np.abs(a.astype(np.float64) - b) <= ulps)
        differ &= ~close
    assert not differ.any(), (
        f"{label}: at x = {x[differ][:5]} got {got[differ][:5]}, formula {expected[differ][:5]}")


@pytest.mark.parametrize("name", FAST_BY_DEFAULT)
def test_default_parameters_take_the_fast_path(name: str) -> None:
    act = actlab.get(name)
    x = np.linspace(-4.0, 4.0, 9)
    paths = [w for w in ("numpy_forward", "numpy_grad") if has_fast_path(act, w)]
    assert paths, f"{name} has no fast path"
    for which in paths:
        assert getattr(act, which)(x, act.params) is not None, (name, which)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize(("name", "case"), CASES, ids=IDS)
def test_fast_path_gives_the_formulas_bits(name: str, case: dict[str, Any], dtype: Any) -> None:
    act = actlab.get(name, **case)
    x = inputs(act, dtype)
    x.flags.writeable = False  # a fast path writes into its fresh output only
    for which in ("numpy_forward", "numpy_grad"):
        expected = formula(act, which, x)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = getattr(act, which)(x, act.params)
        if got is None:  # no fast path for these parameters: the formula runs
            continue
        assert isinstance(got, np.ndarray) and got is not x
        assert_same(got, expected, x, f"{act!r}.{which}", ULPS.get((name, which), 0))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize(("name", "case"), CASES, ids=IDS)
def test_public_api_in_every_layout(name: str, case: dict[str, Any], dtype: Any) -> None:
    """act(x) and act.derivative(x) on a 2-D non-contiguous view, a large array (past
    every size threshold of the NumPy API) and 0-d arrays equal the formula's values."""
    act = actlab.get(name, **case)
    x = inputs(act, dtype)
    large = np.tile(x, 1 + 300_000 // x.size)
    wide = np.tile(x, 6).reshape(6, -1)
    views = {"strided": wide.T[::2, ::-1], "large": large}
    calls = [(fn, which) for fn, which in ((act, "numpy_forward"), (act.derivative, "numpy_grad"))
             if getattr(act, which)(x, act.params) is not None]
    for label, view in views.items():
        for fn, which in calls:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                got = fn(view)
            expected = formula(act, which, np.ascontiguousarray(view))
            assert_same(got, expected, view, f"{act!r} {which} {label}",
                        ULPS.get((name, which), 0))
    for value in x[:: max(1, x.size // 40)]:
        zero_d = np.array(value)
        for fn, which in calls:
            got = fn(zero_d)
            assert isinstance(got, np.ndarray) and got.shape == () and got.dtype == dtype
            assert_same(got.reshape(1), formula(act, which, zero_d.reshape(1)),
                        zero_d.reshape(1), f"{act!r} {which} 0-d", ULPS.get((name, which), 0))


# the cases whose parameters have a fast derivative (vjp uses it; the others take the
# formula's route, tested in test_torch_route.py)
VJP_CASES = [(n, c) for n, c in CASES
             if actlab.get(n, **c).numpy_grad(np.zeros(1), actlab.get(n, **c).params) is not None]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize(("name", "case"), VJP_CASES,
                         ids=[IDS[CASES.index(case)] for case in VJP_CASES])
def test_vjp_is_grad_out_times_the_formulas_derivative(
    name: str, case: dict[str, Any], dtype: Any
) -> None:
    """vjp(x, g) = g·f'(x) through the fast derivative, small and large, with g holding
    ±inf, NaN and ±0 (0·inf = NaN, as the formula gives)."""
    act = actlab.get(name, **case)
    x = inputs(act, dtype)
    specials = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, 2.5, -1.0], dtype=dtype)
    g = np.resize(specials, x.shape)
    np.random.default_rng(1).shuffle(g)
    for reps in (1, 1 + 300_000 // x.size):
        xs, gs = np.tile(x, reps), np.tile(g, reps)
        with np.errstate(all="ignore"):
            expected = gs * formula(act, "numpy_grad", xs)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            got = act.vjp(xs, gs)
        assert_same(got, expected, xs, f"{act!r}.vjp, {xs.size} elements")


@pytest.mark.parametrize(("name", "case"), CASES, ids=IDS)
def test_scalars_integers_booleans_and_float16(name: str, case: dict[str, Any]) -> None:
    act = actlab.get(name, **case)
    ints = np.array([-7, -3, -2, -1, 0, 1, 2, 3, 6, 7, 32, 40])
    for fn in (act, act.derivative):
        expected = fn(ints.astype(np.float64))
        for x in (ints, ints.astype(np.int8), ints.astype(np.uint16)[ints >= 0]):
            want = expected if x.size == ints.size else fn(x.astype(np.float64))
            got = fn(x)
            assert got.dtype == np.float64
            np.testing.assert_array_equal(got, want)
        for value in (-2, 0, 3, True, False, -0.0, 0.0, 0.5, float("nan"), float("-inf")):
            got = fn(value)
            assert isinstance(got, np.float64)
            np.testing.assert_array_equal(got, fn(np.array([float(value)]))[0])
        half = np.array([-np.inf, -3.0, -0.0, 0.0, 0.25, 3.0, 65504.0, np.nan], np.float16)
        got = fn(half)
        assert got.dtype == np.float16
        with np.errstate(over="ignore"):  # relu_squared(65504) is inf in float16
            np.testing.assert_array_equal(got, fn(half.astype(np.float32)).astype(np.float16))



@pytest.mark.parametrize("name", FAST_BY_DEFAULT)
def test_byte_swapped_input_gives_the_native_values(name: str) -> None:
    """A byte-swapped array takes the general conversion (computed in float64, returned
    in its own dtype): the native fast path's values, to the dtype's last rounding."""
    act = actlab.get(name)
    for dtype in DTYPES:
        x = inputs(act, dtype)
        swapped = x.astype(x.dtype.newbyteorder())
        for fn in (act, act.derivative):
            got = fn(swapped)
            assert got.dtype == swapped.dtype
            info = np.finfo(dtype)
            np.testing.assert_allclose(got, fn(x), rtol=2 * float(info.eps),
                                       atol=float(info.smallest_subnormal))
