"""Regression checks of the numerical traps in the sigmoidal and smooth entries.

Each check names one way a textbook formula goes wrong (overflow, cancellation,
inf·0, a derivative taken from the output) at one input where it does, and
compares actlab with a value computed here by mpmath at 50 digits.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import mpmath
import numpy as np
import pytest

import actlab

mpmath.mp.dps = 50
mpf = mpmath.mpf


@contextmanager
def no_warnings() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def relative_error(y: object, exact: object) -> float:
    return float(abs(mpf(float(y)) - exact) / abs(exact))


def sigmoid(x: object) -> object:
    return 1 / (1 + mpmath.exp(-x))


def mp_softplus(x: object) -> object:
    return mpmath.log1p(mpmath.exp(x))


# (entry, function or derivative, input, dtype, mpmath value of the exact result, tolerance)
Case = tuple[str, str, float, type, Callable[[object], object], float]
CASES: list[Case] = [
    # log(1 + e^x) overflows to inf past x ≈ 88 in float32
    ("softplus", "f", 100.0, np.float32, mp_softplus, 1e-6),
    ("softplus", "f", 1000.0, np.float64, mp_softplus, 1e-15),
    # log(sigmoid(x)) is -inf for x < -745
    ("log_sigmoid", "f", -800.0, np.float64, lambda x: -mp_softplus(-x), 1e-15),
    # σ(1-σ) is 0 for x > 37; σ(x)σ(-x) is not
    ("sigmoid", "df", 40.0, np.float64, lambda x: sigmoid(x) * sigmoid(-x), 1e-14),
    # 1 - tanh² is 0 for |x| > 19
    ("tanh", "df", -25.0, np.float64, lambda x: 1 / mpmath.cosh(x) ** 2, 1e-13),
    # (x + √(x²+b))/2 cancels to 0 at large negative x
    ("squareplus", "f", -1e4, np.float32, lambda x: (x + mpmath.sqrt(x * x + 4)) / 2, 1e-5),
    ("squareplus", "f", -1e200, np.float64, lambda x: 2 / (mpmath.sqrt(x * x + 4) - x), 1e-15),
    ("squareplus", "df", -1e8, np.float64,
     lambda x: (1 + x / mpmath.sqrt(x * x + 4)) / 2, 1e-14),
    # x·tanh(softplus x): tanh rounds its tiny argument's relative accuracy away
    ("mish", "f", -700.0, np.float64, lambda x: x * mpmath.tanh(mp_softplus(x)), 1e-12),
    ("mish", "df", 30.0, np.float64,
     lambda x: mpmath.diff(lambda t: t * mpmath.tanh(mp_softplus(t)), x), 1e-14),
    # x - tanh x cancels near 0
    ("tanh_shrink", "f", 1e-5, np.float64, lambda x: x - mpmath.tanh(x), 1e-14),
    ("tanh_shrink", "f", 3e-3, np.float32, lambda x: x - mpmath.tanh(x), 1e-6),
    # αx² overflows past 1e154 (float64) / 1.8e19 (float32)
    ("isru", "f", 1e200, np.float64, lambda x: x / mpmath.sqrt(1 + x * x), 1e-15),
    ("isru", "f", 1e20, np.float32, lambda x: x / mpmath.sqrt(1 + x * x), 1e-6),
    ("isru", "df", 1e100, np.float64, lambda x: (1 + x * x) ** mpf(-1.5), 1e-14),
    # GELU's tail through erfc: 1 + erf(x/√2) is 0 there
    ("gelu", "f", -30.0, np.float64, lambda x: x * mpmath.ncdf(x), 1e-12),
    ("gelu", "df", -30.0, np.float64, lambda x: mpmath.ncdf(x) + x * mpmath.npdf(x), 1e-12),
    # 1 - e^-x cancels near 0; e^-x is below 1 ulp of 1 for large x
    ("log1mexp", "f", 1e-10, np.float64, lambda x: mpmath.log(-mpmath.expm1(-x)), 1e-15),
    ("log1mexp", "f", 50.0, np.float64, lambda x: mpmath.log1p(-mpmath.exp(-x)), 1e-15),
    # σ + xσ' deep in the left tail (σ' from σ(1-σ) would be wrong long before)
    ("silu", "df", -50.0, np.float64,
     lambda x: sigmoid(x) + x * sigmoid(x) * sigmoid(-x), 1e-13),
]


@pytest.mark.parametrize(
    ("name", "which", "x", "dtype", "exact", "tol"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]:g}-{np.dtype(c[3]).name}" for c in CASES],
)
def test_trap_against_mpmath(name: str, which: str, x: float, dtype: type,
                             exact: Callable[[object], object], tol: float) -> None:
    act = actlab.get(name)
    xd = dtype(x)
    with no_warnings():
        y = act(xd) if which == "f" else act.derivative(xd)
    assert y.dtype == dtype
    assert np.isfinite(y)
    assert relative_error(y, exact(mpf(float(xd)))) <= tol


def test_tanh_at_plus_minus_1000_is_plus_minus_1_with_no_nan() -> None:
    act = actlab.get("tanh")
    with no_warnings():
        y = act(np.array([-1000.0, 1000.0, -710.0, 710.0]))
        dy = act.derivative(np.array([-1000.0, 1000.0]))
    np.testing.assert_array_equal(y, [-1.0, 1.0, -1.0, 1.0])
    np.testing.assert_array_equal(dy, [0.0, 0.0])


def test_mish_far_left_is_a_negative_zero_or_tiny_negative_not_nan() -> None:
    act = actlab.get("mish")
    with no_warnings():
        y = act(np.array([-1e3, -740.0, -np.inf]))
    assert not np.isnan(y).any()
    # the true values -1000·e^-1000 and -740·e^-740 lie below the smallest subnormal
    # (or at it): the result must be ≤ 0 and carry the sign bit
    assert (y <= 0).all() and np.signbit(y).all()


INF = float("inf")
GATE_LIMITS = (0.0, INF, 0.0, 1.0)  # x·g(x) with g: 0 -> 1
# the mathematical limits f(-inf), f(+inf), f'(-inf), f'(+inf)
LIMITS: dict[str, tuple[float, float, float, float]] = {
    "sigmoid": (0.0, 1.0, 0.0, 0.0),
    "tanh": (-1.0, 1.0, 0.0, 0.0),
    "softsign": (-1.0, 1.0, 0.0, 0.0),
    "arctan": (-float(mpmath.pi) / 2, float(mpmath.pi) / 2, 0.0, 0.0),
    "log_sigmoid": (-INF, 0.0, 1.0, 0.0),
    "softplus": (0.0, INF, 0.0, 1.0),
    "isru": (-1.0, 1.0, 0.0, 0.0),
    "lisht": (INF, INF, -1.0, 1.0),
    "tanh_shrink": (-INF, INF, 1.0, 1.0),
    "squareplus": (0.0, INF, 0.0, 1.0),
    **{name: GATE_LIMITS for name in ("gelu", "quick_gelu", "silu", "swish", "mish")},
}


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_infinities_give_the_limits_and_nan_stays_nan(name: str) -> None:
    act = actlab.get(name)
    x = np.array([-np.inf, np.inf, np.nan])
    with no_warnings():
        y, dy = act(x), act.derivative(x)
    f_left, f_right, df_left, df_right = LIMITS[name]
    np.testing.assert_array_equal(y[:2], [f_left, f_right])
    np.testing.assert_array_equal(dy[:2], [df_left, df_right])
    assert np.isnan(y[2]) and np.isnan(dy[2])


def test_log1mexp_domain_edges() -> None:
    act = actlab.get("log1mexp")
    with no_warnings():
        y = act(np.array([-1.0, -0.0, 0.0, np.inf]))
        dy = act.derivative(np.array([-1.0, 0.0]))
    assert np.isnan(y[0]) and y[1] == -np.inf and y[2] == -np.inf and y[3] == 0.0
    assert np.isnan(dy[0]) and dy[1] == np.inf


def test_softplus_threshold_20_reproduces_torch() -> None:
    torch = pytest.importorskip("torch")
    act = actlab.get("softplus", threshold=20.0)
    x = np.array([-30.0, -1.0, 0.0, 3.0, 19.9, 20.0, 20.5, 50.0])
    ours = act(x)
    theirs = torch.nn.Softplus()(torch.tensor(x)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-15, atol=0)
    # and the exact default differs from torch just above the threshold
    assert actlab.get("softplus")(20.5) != 20.5


def test_swish_learnable_beta_gets_the_right_gradient_even_at_zero() -> None:
    torch = pytest.importorskip("torch")
    from actlab.torch.module import ActivationModule

    x = np.array([-3.0, -0.5, 0.7, 2.0])
    module = ActivationModule(actlab.get("swish", beta=0.0)).double()
    module(torch.tensor(x)).sum().backward()
    # d/dβ Σ x σ(βx) at β = 0 is Σ x²/4 (autograd through e^-|βx| would give 0)
    exact = sum(mpf(v) ** 2 * sigmoid(mpf(0)) * sigmoid(mpf(0)) for v in x)
    assert relative_error(module.beta.grad.item(), exact) <= 1e-12
