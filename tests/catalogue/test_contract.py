"""The numerical contract of docs/design.md, for every registered entry: shapes, dtypes,
scalars and lists, rejected input types, no RuntimeWarning ever, NaN in -> NaN out,
±inf -> the mathematical limit, and the documented values at kinks."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import actlab

from .helpers import elementwise_names, reference_values, special_inputs, vector_names
from .reference import REFERENCES

NAMES = actlab.names()
ELEMENTWISE = elementwise_names()
VECTOR = vector_names()
FLOATS = (np.float16, np.float32, np.float64)
HALVING = {"glu", "swiglu", "geglu", "reglu"}  # split the axis in two halves a, b


def expected_shape(act: actlab.Activation, shape: tuple[int, ...]) -> tuple[int, ...]:
    """Output shape from docs/design.md: GLU-type halves the last axis, maxout divides it."""
    if act.name in HALVING:
        return (*shape[:-1], shape[-1] // 2)
    if act.name == "maxout":
        return (*shape[:-1], shape[-1] // act.params["pieces"])
    return shape


def sample(act: actlab.Activation, shape: tuple[int, ...], dtype: Any = np.float64,
           seed: int = 0) -> np.ndarray:
    """Random inputs of ``shape`` (positive for entries defined only on x > 0)."""
    x = np.random.default_rng(seed).normal(0.0, 2.0, size=shape)
    if act.name in REFERENCES and REFERENCES[act.name].domain is not None:
        x = np.abs(x) + 0.1
    return x.astype(dtype)


def shapes_for(name: str) -> list[tuple[int, ...]]:
    if actlab.entry(name).elementwise:
        return [(), (0,), (3,), (2, 3, 4)]
    return [(4,), (2, 3, 4), (0, 4)]


SHAPE_CASES = [(n, s) for n in NAMES for s in shapes_for(n)]


@pytest.mark.parametrize(("name", "shape"), SHAPE_CASES, ids=[f"{n}-{s}" for n, s in SHAPE_CASES])
def test_shape_in_is_shape_out(name: str, shape: tuple[int, ...]) -> None:
    act = actlab.get(name)
    x = sample(act, shape)
    out_shape = expected_shape(act, shape)
    y = np.asarray(act(x))
    assert y.shape == out_shape
    assert act.output_shape(shape) == out_shape
    g = np.ones(out_shape)
    assert np.asarray(act.vjp(x, g)).shape == shape
    if act.elementwise:
        assert np.asarray(act.derivative(x)).shape == shape


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_python_scalar_gives_numpy_scalar(name: str) -> None:
    act = actlab.get(name)
    for scalar in (0.7, 2, True):
        for y in (act(scalar), act.derivative(scalar)):
            assert isinstance(y, (np.generic, np.ndarray)), type(y)
            assert np.ndim(y) == 0
            assert y.dtype == np.float64


@pytest.mark.parametrize("name", NAMES)
def test_list_input_equals_array_input(name: str) -> None:
    act = actlab.get(name)
    x = sample(act, (2, 4))
    np.testing.assert_array_equal(act(x.tolist()), act(x))
    if act.elementwise:
        np.testing.assert_array_equal(act.derivative(x[0].tolist()), act.derivative(x[0]))


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", NAMES)
def test_float_dtype_is_kept(name: str, dtype: Any) -> None:
    act = actlab.get(name)
    x = sample(act, (2, 4), dtype)
    y = act(x)
    assert y.dtype == dtype
    assert act.vjp(x, np.ones(y.shape, dtype=dtype)).dtype == dtype
    if act.elementwise:
        assert act.derivative(x).dtype == dtype


@pytest.mark.parametrize("name", NAMES)
def test_integers_and_booleans_are_computed_in_float64(name: str) -> None:
    act = actlab.get(name)
    positive = act.name in REFERENCES and REFERENCES[act.name].domain is not None
    ints = np.array([[1, 2, 3, 4], [5, 1, 2, 7]]) if positive else np.array([[-2, 0, 3, 1],
                                                                           [4, -1, 0, 2]])
    bools = np.array([[True, False, True, True], [False, False, True, False]])
    for x in (ints, ints.astype(np.int8), ints.astype(np.uint16) if positive else ints, bools):
        y = act(x)
        assert y.dtype == np.float64
        np.testing.assert_array_equal(y, act(x.astype(np.float64)))
        if act.elementwise:
            d = act.derivative(x)
            assert d.dtype == np.float64
            np.testing.assert_array_equal(d, act.derivative(x.astype(np.float64)))


@pytest.mark.parametrize("name", NAMES)
def test_complex_object_and_string_input_raise_type_error(name: str) -> None:
    act = actlab.get(name)
    bad = [np.array([1.0 + 1j, 2.0, 0.5, 1.0]), np.array([1.0, 2.0, 0.5, 1.0], dtype=object),
           "abcd", np.array(["a", "b", "c", "d"]), 1.0 + 2j]
    for x in bad:
        with pytest.raises(TypeError):
            act(x)
        with pytest.raises(TypeError):
            act.vjp(x, np.ones(4))
        if act.elementwise:
            with pytest.raises(TypeError):
                act.derivative(x)


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", NAMES)
def test_no_runtime_warning_for_any_input(name: str, dtype: Any) -> None:
    act = actlab.get(name)
    x = special_inputs(dtype)
    if not act.elementwise:
        x = np.concatenate([x, np.zeros(20 - x.size, dtype=dtype)]).reshape(5, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = act(x)
        act.vjp(x, np.ones(np.shape(y), dtype=dtype))
        if act.elementwise:
            act.derivative(x)
            for v in x:  # scalars take other code paths in NumPy
                act(v)
                act.derivative(v)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_nan_in_gives_nan_out(name: str) -> None:
    act = actlab.get(name)
    for dtype in FLOATS:
        x = np.array([np.nan, 1.0, np.nan], dtype=dtype)
        assert np.isnan(act(x)[[0, 2]]).all()
        assert np.isnan(act.derivative(x)[[0, 2]]).all()
        assert np.isnan(act(dtype(np.nan)))
        assert np.isnan(act.derivative(dtype(np.nan)))


def expected_limit(name: str, params: Any, which: str, sign: int) -> float:
    """The limit of f or f' at sign·inf, from the reference at ±max float64.

    |value| > 1e300 there means the limit is infinite; no limit (sin) means NaN."""
    r = REFERENCES[name]
    if which in r.no_limit:
        return float("nan")
    value = float(reference_values(name, params, which, np.array([sign * np.finfo(float).max]))[0])
    if abs(value) > 1e300:
        return float(np.copysign(np.inf, value))
    return value


LIMIT_CASES = [(n, s) for n in ELEMENTWISE for s in (-1, 1)]


@pytest.mark.parametrize(("name", "sign"), LIMIT_CASES,
                         ids=[f"{n}-{'+' if s > 0 else '-'}inf" for n, s in LIMIT_CASES])
def test_infinity_gives_the_limit(name: str, sign: int) -> None:
    if name not in REFERENCES:
        pytest.fail(f"{name} has no reference (see test_accuracy)")
    act = actlab.get(name)
    for which in ("f", "df"):
        limit = expected_limit(name, act.params, which, sign)
        for dtype in FLOATS:
            fn = act if which == "f" else act.derivative
            got = float(fn(np.array([sign * np.inf], dtype=dtype))[0])
            label = f"{name}{'' if which == 'f' else chr(39)}({'+' if sign > 0 else '-'}inf)"
            if np.isnan(limit):
                assert np.isnan(got), f"{label}: no limit, expected NaN, got {got}"
            elif np.isinf(limit):
                assert got == limit, f"{label}: expected {limit}, got {got}"
            else:
                expected = float(np.asarray(limit).astype(dtype))
                tol = 4 * float(np.finfo(dtype).eps) * abs(expected) + float(np.finfo(dtype).tiny)
                assert abs(got - expected) <= tol, f"{label}: expected {expected}, got {got}"


@pytest.mark.parametrize("name", VECTOR)
def test_derivative_of_vector_valued_entry_raises_type_error(name: str) -> None:
    act = actlab.get(name)
    with pytest.raises(TypeError, match="vjp"):
        act.derivative(sample(act, (2, 4)))


KINK_NAMES = [n for n in ELEMENTWISE if actlab.entry(n).doc.kinks]


@pytest.mark.parametrize("name", KINK_NAMES)
def test_documented_kink_values_are_what_the_entry_returns(name: str) -> None:
    act = actlab.get(name)
    for kink in act.doc.kinks:
        for dtype in FLOATS:
            x = dtype(kink.at)
            np.testing.assert_array_equal(act(x), dtype(kink.value), err_msg=f"f({kink.at})")
            np.testing.assert_array_equal(act.derivative(x), dtype(kink.derivative),
                                          err_msg=f"f'({kink.at})")
        if name in REFERENCES:  # the documented value is the function's value there
            ref = reference_values(name, act.params, "f", np.array([kink.at]))[0]
            assert ref == kink.value or abs(ref - kink.value) <= 1e-15 * abs(ref)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_vjp_is_grad_out_times_derivative(name: str) -> None:
    act = actlab.get(name)
    x = sample(act, (3, 5))
    g = np.random.default_rng(1).normal(size=(3, 5))
    np.testing.assert_allclose(act.vjp(x, g), g * act.derivative(x), rtol=1e-15, atol=0)
