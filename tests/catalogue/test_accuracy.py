"""Forward and derivative of every elementwise entry against the 50-digit mpmath
reference (tests/catalogue/reference.py), over the whole finite range, with the
criterion of docs/design.md (see helpers.py); and the naive textbook formulas the
catalogue warns about, shown to fail the very same check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import pytest

import actlab

from .helpers import (
    ACCURACY_DTYPES,
    case_id,
    check,
    check_entry_accuracy,
    elementwise_names,
    reference_cases,
    reference_table,
)
from .reference import REFERENCES

CASES = reference_cases()


def test_every_elementwise_entry_has_a_reference() -> None:
    missing = sorted(set(elementwise_names()) - set(REFERENCES))
    assert not missing, f"elementwise entries without an mpmath reference: {missing}"


def test_every_parametrised_entry_has_a_non_default_case() -> None:
    lacking = [n for n in elementwise_names()
               if actlab.entry(n).parameters and n in REFERENCES
               and not any(REFERENCES[n].cases[1:])]
    assert not lacking, f"parametrised entries tested only with defaults: {lacking}"


@pytest.mark.parametrize("dtype", ACCURACY_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(("name", "case"), CASES, ids=[case_id(n, c) for n, c in CASES])
def test_accuracy_against_mpmath(name: str, case: dict[str, Any], dtype: Any) -> None:
    if name not in actlab.names():
        pytest.fail(f"{name} is in docs/design.md but not registered")
    problems = check_entry_accuracy(name, case, dtype)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[case_id(n, c) for n, c in CASES])
def test_reference_derivative_is_the_derivative_of_the_reference(
    name: str, case: dict[str, Any]
) -> None:
    """Self-check of reference.py: its f' is the derivative of its f (mpmath.diff)."""
    r = REFERENCES[name]
    params = actlab.get(name, **case).params if name in actlab.names() else case
    kinks = r.kinks(params)
    for x in (-2.7, -1.3, -0.45, 0.35, 0.8, 1.7, 2.6, 7.1):
        if any(abs(x - k) < 1e-3 for k in kinks) or (r.domain and not r.domain(x, params)):
            continue
        numeric = mpmath.diff(lambda t: r.f(t, params), mpmath.mpf(x))
        analytic = r.df(mpmath.mpf(x), params)
        assert abs(numeric - analytic) <= mpmath.mpf(10) ** -30 * (1 + abs(analytic)), (x,)


@pytest.mark.parametrize("name", [n for n, _ in CASES if _ == {}])
def test_derivative_matches_central_differences(name: str) -> None:
    """float64 central differences of the forward at ordinary points (away from kinks)."""
    if name not in actlab.names():
        pytest.fail(f"{name} is not registered")
    act = actlab.get(name)
    r = REFERENCES[name]
    x = np.linspace(-4.0, 4.0, 81) + 0.0123
    x = x[[all(abs(v - k) > 1e-3 for k in r.kinks(act.params)) for v in x]]
    if r.domain is not None:
        x = x[[bool(r.domain(v, act.params)) and v > 0.05 for v in x]]
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    numeric = (act(x + h) - act(x - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(x), numeric, rtol=1e-6, atol=1e-7)


# --- the naive formulas fail the same criterion -----------------------------------------

Naive = Callable[[np.ndarray], np.ndarray]


def naive_softplus(x: np.ndarray) -> np.ndarray:
    return np.log(1 + np.exp(x))


def naive_tanh(x: np.ndarray) -> np.ndarray:
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


def naive_squareplus(x: np.ndarray) -> np.ndarray:
    return (x + np.sqrt(x * x + 4.0)) / 2


def naive_mish(x: np.ndarray) -> np.ndarray:
    return x * np.tanh(naive_softplus(x))


def naive_sigmoid_prime(x: np.ndarray) -> np.ndarray:
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)


def naive_tanh_prime(x: np.ndarray) -> np.ndarray:
    return 1 - np.tanh(x) ** 2


NAIVE: list[tuple[str, str, Naive, Any]] = [
    ("softplus", "f", naive_softplus, np.float64),
    ("softplus", "f", naive_softplus, np.float32),
    ("tanh", "f", naive_tanh, np.float64),
    ("squareplus", "f", naive_squareplus, np.float64),
    ("squareplus", "f", naive_squareplus, np.float32),
    ("mish", "f", naive_mish, np.float64),
    ("sigmoid", "df", naive_sigmoid_prime, np.float64),
    ("tanh", "df", naive_tanh_prime, np.float64),
]


@pytest.mark.parametrize(
    ("name", "which", "naive", "dtype"),
    NAIVE,
    ids=[f"{n}-{w}-{f.__name__}-{np.dtype(d).name}" for n, w, f, d in NAIVE],
)
def test_naive_formula_fails_the_criterion(name: str, which: str, naive: Naive,
                                           dtype: Any) -> None:
    if name not in actlab.names():
        pytest.fail(f"{name} is not registered")
    act = actlab.get(name)
    table = reference_table(name, act.params, dtype)
    with np.errstate(all="ignore"):
        y = naive(table.x).astype(dtype)
    true = table.f if which == "f" else table.df
    kappa = table.kappa_f if which == "f" else np.zeros_like(true)
    refine = None if which == "f" else table.kappa_df
    assert check("naive", table.x, y, true, kappa, dtype, refine_kappa=refine) is not None
    ours = act(table.x) if which == "f" else act.derivative(table.x)
    assert check("ours", table.x, ours, true, kappa, dtype, refine_kappa=refine) is None
