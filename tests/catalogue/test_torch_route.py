"""The NumPy API on large inputs runs the formulas on PyTorch's kernels over the
caller's memory (torch_route.TORCH_MIN_SIZE).  That route must keep the whole NumPy
contract: the accuracy criterion against the 50-digit reference for the function
and its derivative, dtypes, read-only and non-contiguous inputs, no warnings."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import actlab
import actlab.catalogue.torch_route as route_module
from actlab.catalogue.torch_route_kernels import KERNELS

from .helpers import (
    ACCURACY_DTYPES,
    case_id,
    check_entry_accuracy,
    elementwise_names,
    reference_cases,
    special_inputs,
)

CASES = reference_cases()


@pytest.fixture
def torch_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every call, however small, takes the PyTorch route (also for the entries whose
    NumPy formula is faster: their PyTorch formulas serve to_torch())."""
    monkeypatch.setattr(route_module, "TORCH_MIN_SIZE", 0)
    monkeypatch.setattr(route_module, "NUMPY_FASTER", frozenset())


@pytest.mark.parametrize("dtype", ACCURACY_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(("name", "case"), CASES, ids=[case_id(n, c) for n, c in CASES])
def test_torch_route_meets_the_accuracy_criterion(
    name: str, case: dict[str, Any], dtype: Any, torch_route: None
) -> None:
    problems = check_entry_accuracy(name, case, dtype)
    assert not problems, "\n".join(problems)


NAMES = actlab.names()
RTOL = {np.dtype(np.float32): 1e-5, np.dtype(np.float64): 1e-12}


def both_routes(name: str, x: np.ndarray, monkeypatch: pytest.MonkeyPatch
                ) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """(value, derivative or vjp) on the NumPy route and on the PyTorch route."""
    act = actlab.get(name)

    def run() -> tuple[Any, Any]:
        if act.elementwise:
            return act(x), act.derivative(x)
        return act(x), act.vjp(x, np.ones(act.output_shape(x.shape), dtype=x.dtype))

    monkeypatch.setattr(route_module, "TORCH_MIN_SIZE", 10**12)
    numpy_route = run()
    monkeypatch.setattr(route_module, "TORCH_MIN_SIZE", 0)
    monkeypatch.setattr(route_module, "NUMPY_FASTER", frozenset())
    return numpy_route, run()


def assert_same_values(ours: np.ndarray, expected: np.ndarray, label: str) -> None:
    assert ours.dtype == expected.dtype and ours.shape == expected.shape, label
    a, b = ours.astype(np.float64), expected.astype(np.float64)
    with np.errstate(invalid="ignore"):  # inf - inf
        same = (np.isnan(a) & np.isnan(b)) | (a == b) | (
            np.abs(a - b) <= RTOL[np.dtype(expected.dtype)] * np.abs(b) + 1e-300)
    assert same.all(), f"{label}: x where the routes differ {np.flatnonzero(~same)[:5]}: " \
                       f"{a[~same][:5]} vs {b[~same][:5]}"


@pytest.mark.parametrize("dtype", ACCURACY_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", elementwise_names())
def test_torch_route_takes_the_same_limits_on_special_inputs(
    name: str, dtype: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """±inf, NaN, ±max, subnormals, ±0: PyTorch's kernels (inf·0 = NaN, NaN slopes of
    1 or 0) must not leak through; the values are the NumPy route's, which the contract
    tests pin down."""
    x = np.tile(special_inputs(dtype), 300)  # past TORCH_MIN_SIZE either way
    (y0, d0), (y1, d1) = both_routes(name, x, monkeypatch)
    assert_same_values(y1, y0, f"{name} forward")
    assert_same_values(d1, d0, f"{name} derivative")


@pytest.mark.parametrize("dtype", ACCURACY_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", sorted(KERNELS))
def test_few_kernel_paths_take_huge_finite_inputs_right(
    name: str, dtype: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The few-kernel paths hand ±inf and NaN to the formula, so the special inputs test
    above never reaches them: here the finite special inputs, once each among ordinary
    values (a sum over them stays finite), must give the NumPy route's values there
    (x·Φ(x) at x = max overflows unless Φ multiplies last)."""
    special = special_inputs(dtype)
    special = special[np.isfinite(special)]
    ordinary = np.linspace(-5.0, 5.0, 5000).astype(dtype)
    x = np.concatenate([special, ordinary])
    (y0, d0), (y1, d1) = both_routes(name, x, monkeypatch)
    n = special.size
    assert_same_values(y1[:n], y0[:n], f"{name} forward")
    assert_same_values(d1[:n], d0[:n], f"{name} derivative")


@pytest.mark.parametrize("name", NAMES)
def test_torch_route_keeps_dtypes_and_shapes_and_warns_nothing(name: str) -> None:
    act = actlab.get(name)
    size = route_module.TORCH_MIN_SIZE
    base = np.random.default_rng(0).normal(0, 3, size=(size // 8, 16))
    if name == "log1mexp":
        base = np.abs(base) + 0.1
    for dtype in (np.float16, np.float32, np.float64, np.int64):
        x = base.astype(dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # RuntimeWarning, torch's UserWarning: fail
            y = act(x)
            d = act.derivative(x) if act.elementwise else act.vjp(
                x, np.ones(act.output_shape(x.shape), dtype=x.dtype))
        expected = np.float64 if dtype == np.int64 else dtype
        assert y.dtype == expected and d.dtype == expected, (name, dtype)
        assert y.shape == act.output_shape(x.shape) and d.shape == x.shape


@pytest.mark.parametrize("name", NAMES)
def test_torch_route_reads_read_only_and_strided_inputs_without_touching_them(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    act = actlab.get(name)
    rng = np.random.default_rng(1)
    wide = rng.normal(0, 3, size=(600, 32))
    if name == "log1mexp":
        wide = np.abs(wide) + 0.1
    strided = wide[::2, ::-2] if act.elementwise else wide[::2, ::2]  # reversed, non-contiguous
    frozen = np.array(strided)
    frozen.flags.writeable = False
    contiguous = np.ascontiguousarray(strided)
    monkeypatch.setattr(route_module, "TORCH_MIN_SIZE", 0)
    monkeypatch.setattr(route_module, "NUMPY_FASTER", frozenset())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for x in (strided, frozen):
            before = x.copy()
            np.testing.assert_array_equal(act(x), act(contiguous))
            if act.elementwise:
                np.testing.assert_array_equal(act.derivative(x), act.derivative(contiguous))
            np.testing.assert_array_equal(x, before)  # the input is untouched
    y = act(frozen)
    if y is frozen:  # identity returns its input: then it stays read-only
        assert not y.flags.writeable
