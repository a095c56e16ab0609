"""A 50-digit mpmath reference for every elementwise catalogue entry: f and f'.

Written from the textbook definitions (docs/numerical-contract.md), independently
of actlab's code: no actlab import here.  Each entry gives

* ``f(x, p)`` and ``df(x, p)``: the function and its derivative at the mpmath
  number ``x`` (the exact value of a float), ``p`` the entry's parameter values;
* ``cases``: parameter sets to test (``{}`` = the defaults, plus at least one
  non-default set for parametrised entries);
* ``kinks(p)``: where f or f' is not differentiable (the derivative is not
  checked exactly there: its value is a convention, tested in test_contract.py);
* ``domain(x, p)``: False outside the domain (the entry must return NaN there).

Where a textbook formula cancels catastrophically *even at 50 digits* (e.g.
1 + tanh(u) for u = -1e300), the reference uses an algebraically identical form
(noted at the spot) or raises the working precision with the magnitude of x
(``boost``): the reference must be right before it can judge anything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import mpmath

mp = mpmath.mp
mp.dps = 50
mpf = mpmath.mpf

GELU_TANH_C = mpf("0.044715")
QUICK_GELU_SCALE = mpf("1.702")

Fn = Callable[[Any, Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Ref:
    """The reference for one entry (see the module docstring)."""

    f: Fn
    df: Fn
    cases: tuple[dict[str, Any], ...] = ({},)
    kinks: Callable[[Mapping[str, Any]], tuple[float, ...]] = lambda p: ()
    domain: Callable[[Any, Mapping[str, Any]], bool] | None = None
    # extra decimal digits per decade of |x| away from 1 (for formulas that cancel
    # by a factor growing like |x|^k or |x|^-k; see squareplus, tanh_shrink)
    boost: int = 0
    # f or f' has no limit at ±inf (oscillates): the entry must return NaN there
    no_limit: frozenset[str] = field(default_factory=frozenset)


# --- small textbook helpers ---------------------------------------------------------


def sigmoid(x: Any) -> Any:
    return 1 / (1 + mpmath.exp(-x))


def sigmoid_prime(x: Any) -> Any:
    e = mpmath.exp(-abs(x))  # σ'(x) is even: e^-|x|/(1+e^-|x|)² (no huge intermediate)
    return e / (1 + e) ** 2


def softplus(x: Any) -> Any:
    return mpmath.log1p(mpmath.exp(x))


def sech2(x: Any) -> Any:
    return 1 / mpmath.cosh(x) ** 2


def erfc(z: Any) -> Any:
    """erfc(z); for z > 30 the asymptotic series (Abramowitz & Stegun 7.1.23).

    mpmath's own erfc overflows for z > 1e155 and takes milliseconds for large
    z; 40 terms of the series are exact to far beyond 50 digits for z > 30.
    """
    if z <= 30:
        return mpmath.erfc(z)
    inv = 1 / (2 * z * z)
    term, total = mpf(1), mpf(1)
    for k in range(1, 40):
        term *= -(2 * k - 1) * inv
        total += term
    return mpmath.exp(-z * z) / (z * mpmath.sqrt(mpmath.pi)) * total


def ncdf(x: Any) -> Any:
    """Φ(x) = erfc(-x/√2)/2."""
    return erfc(-x / mpmath.sqrt(2)) / 2


def npdf(x: Any) -> Any:
    return mpmath.exp(-x * x / 2) / mpmath.sqrt(2 * mpmath.pi)


def step(cond: bool) -> Any:
    return mpf(1) if cond else mpf(0)


# --- entries ----------------------------------------------------------------------------

REFERENCES: dict[str, Ref] = {}


def ref(name: str, **kwargs: Any) -> None:
    REFERENCES[name] = Ref(**kwargs)


# steps and thresholds
ref(
    "heaviside",
    f=lambda x, p: mpf(p["at_threshold"]) if x == p["t"] else step(x > p["t"]),
    df=lambda x, p: mpf(0),
    cases=({}, {"t": 0.5, "at_threshold": 0.5}),
    kinks=lambda p: (p["t"],),
)
ref("bipolar_step", f=lambda x, p: mpf(1) if x >= 0 else mpf(-1), df=lambda x, p: mpf(0),
    kinks=lambda p: (0.0,))
ref("sign", f=lambda x, p: mpmath.sign(x), df=lambda x, p: mpf(0), kinks=lambda p: (0.0,))
ref(
    "threshold",
    f=lambda x, p: x if x > p["t"] else mpf(p["value"]),
    df=lambda x, p: step(x > p["t"]),
    cases=({}, {"t": 32.0, "value": 32.0}, {"t": -1.0, "value": 2.0}),
    kinks=lambda p: (p["t"],),
)

# linear and piecewise linear
ref("identity", f=lambda x, p: x, df=lambda x, p: mpf(1))
ref(
    "piecewise_linear",
    f=lambda x, p: min(max(x + mpf(1) / 2, mpf(0)), mpf(1)),
    df=lambda x, p: step(-0.5 < x < 0.5),
    kinks=lambda p: (-0.5, 0.5),
)
ref(
    "hard_sigmoid",
    f=lambda x, p: min(max(x / 6 + mpf(1) / 2, mpf(0)), mpf(1)),
    df=lambda x, p: mpf(1) / 6 if -3 < x < 3 else mpf(0),
    kinks=lambda p: (-3.0, 3.0),
)
ref(
    "hard_tanh",
    f=lambda x, p: min(max(x, mpf(p["min_val"])), mpf(p["max_val"])),
    df=lambda x, p: step(p["min_val"] < x < p["max_val"]),
    cases=({}, {"min_val": -2.0, "max_val": 0.5}),
    kinks=lambda p: (p["min_val"], p["max_val"]),
)
ref("relu6", f=lambda x, p: min(max(x, mpf(0)), mpf(6)), df=lambda x, p: step(0 < x < 6),
    kinks=lambda p: (0.0, 6.0))

# rectifiers
ref("relu", f=lambda x, p: max(x, mpf(0)), df=lambda x, p: step(x > 0), kinks=lambda p: (0.0,))
ref(
    "leaky_relu",
    f=lambda x, p: x if x >= 0 else p["negative_slope"] * x,
    df=lambda x, p: mpf(1) if x >= 0 else mpf(p["negative_slope"]),
    cases=({}, {"negative_slope": 0.2}),
    kinks=lambda p: (0.0,),
)
ref(
    "prelu",
    f=lambda x, p: x if x >= 0 else p["a"] * x,
    df=lambda x, p: mpf(1) if x >= 0 else mpf(p["a"]),
    cases=({}, {"a": 0.1}),
    kinks=lambda p: (0.0,),
)
ref(
    # evaluation mode: the mean slope (lower + upper)/2
    "rrelu",
    f=lambda x, p: x if x >= 0 else (mpf(p["lower"]) + mpf(p["upper"])) / 2 * x,
    df=lambda x, p: mpf(1) if x >= 0 else (mpf(p["lower"]) + mpf(p["upper"])) / 2,
    cases=({}, {"lower": 0.1, "upper": 0.3}),
    kinks=lambda p: (0.0,),
)
ref(
    "elu",
    f=lambda x, p: x if x > 0 else p["alpha"] * mpmath.expm1(x),
    df=lambda x, p: mpf(1) if x > 0 else p["alpha"] * mpmath.exp(x),
    cases=({}, {"alpha": 0.5}),
    kinks=lambda p: (0.0,),
)
ref(
    "selu",
    f=lambda x, p: p["scale"] * (x if x > 0 else p["alpha"] * mpmath.expm1(x)),
    df=lambda x, p: p["scale"] * (mpf(1) if x > 0 else p["alpha"] * mpmath.exp(x)),
    cases=({}, {"alpha": 1.0, "scale": 2.0}),
    kinks=lambda p: (0.0,),
)
ref(
    "celu",
    f=lambda x, p: max(x, mpf(0)) + min(mpf(0), p["alpha"] * mpmath.expm1(x / p["alpha"])),
    df=lambda x, p: mpf(1) if x > 0 else mpmath.exp(x / p["alpha"]),
    cases=({}, {"alpha": 2.0}),
    kinks=lambda p: (0.0,),
)
ref("relu_squared", f=lambda x, p: max(x, mpf(0)) ** 2, df=lambda x, p: 2 * max(x, mpf(0)))

# sigmoidal and smooth
ref("sigmoid", f=lambda x, p: sigmoid(x), df=lambda x, p: sigmoid_prime(x))
ref("tanh", f=lambda x, p: mpmath.tanh(x), df=lambda x, p: sech2(x))
ref("softsign", f=lambda x, p: x / (1 + abs(x)), df=lambda x, p: 1 / (1 + abs(x)) ** 2)
ref("arctan", f=lambda x, p: mpmath.atan(x), df=lambda x, p: 1 / (1 + x * x))
ref("log_sigmoid", f=lambda x, p: -softplus(-x), df=lambda x, p: sigmoid(-x))


def _softplus_ref(x: Any, p: Mapping[str, Any]) -> Any:
    b = mpf(p["beta"])
    if p["threshold"] is not None and b * x > p["threshold"]:
        return x
    return softplus(b * x) / b


def _softplus_d(x: Any, p: Mapping[str, Any]) -> Any:
    b = mpf(p["beta"])
    if p["threshold"] is not None and b * x > p["threshold"]:
        return mpf(1)
    return sigmoid(b * x)


ref(
    "softplus",
    f=_softplus_ref,
    df=_softplus_d,
    cases=({}, {"beta": 2.0}, {"beta": 0.5, "threshold": 20.0}),
    kinks=lambda p: () if p["threshold"] is None else (p["threshold"] / p["beta"],),
)


def _gelu_u(x: Any) -> Any:
    return mpmath.sqrt(2 / mpmath.pi) * (x + GELU_TANH_C * x**3)


def _gelu(x: Any, p: Mapping[str, Any]) -> Any:
    if p["approximate"] == "tanh":
        # ½x(1 + tanh u) = x·σ(2u): the same number, without 1 + tanh u cancelling
        return x * sigmoid(2 * _gelu_u(x))
    return x * ncdf(x)


def _gelu_d(x: Any, p: Mapping[str, Any]) -> Any:
    if p["approximate"] == "tanh":
        u = _gelu_u(x)
        du = mpmath.sqrt(2 / mpmath.pi) * (1 + 3 * GELU_TANH_C * x**2)
        return sigmoid(2 * u) + x * sech2(u) * du / 2
    return ncdf(x) + x * npdf(x)


ref("gelu", f=_gelu, df=_gelu_d, cases=({}, {"approximate": "tanh"}))
ref(
    "quick_gelu",
    f=lambda x, p: x * sigmoid(QUICK_GELU_SCALE * x),
    df=lambda x, p: sigmoid(QUICK_GELU_SCALE * x)
    + QUICK_GELU_SCALE * x * sigmoid_prime(QUICK_GELU_SCALE * x),
)
ref("silu", f=lambda x, p: x * sigmoid(x), df=lambda x, p: sigmoid(x) + x * sigmoid_prime(x))
ref(
    "swish",
    f=lambda x, p: x * sigmoid(p["beta"] * x),
    df=lambda x, p: sigmoid(p["beta"] * x) + p["beta"] * x * sigmoid_prime(p["beta"] * x),
    cases=({}, {"beta": 1.5}),
)
ref(
    "mish",
    f=lambda x, p: x * mpmath.tanh(softplus(x)),
    df=lambda x, p: mpmath.tanh(softplus(x)) + x * sech2(softplus(x)) * sigmoid(x),
)
ref(
    "hard_swish",
    f=lambda x, p: x * min(max(x + 3, mpf(0)), mpf(6)) / 6,
    df=lambda x, p: mpf(0) if x < -3 else (mpf(1) if x > 3 else (2 * x + 3) / 6),
    kinks=lambda p: (-3.0, 3.0),
)
ref(
    "hard_mish",
    f=lambda x, p: x * min(max(x + 2, mpf(0)), mpf(2)) / 2,
    df=lambda x, p: mpf(0) if x < -2 else (mpf(1) if x > 0 else x + 1),
    kinks=lambda p: (-2.0,),
)
ref(
    # the textbook formula, at a precision that grows with |x| (x + √(x²+b) cancels
    # like b/x² for x -> -inf)
    "squareplus",
    f=lambda x, p: (x + mpmath.sqrt(x * x + p["b"])) / 2,
    df=lambda x, p: (1 + x / mpmath.sqrt(x * x + p["b"])) / 2,
    cases=({}, {"b": 0.5}),
    boost=2,
)
ref(
    "sparse_plus",
    f=lambda x, p: mpf(0) if x <= -1 else (x if x >= 1 else (x + 1) ** 2 / 4),
    df=lambda x, p: mpf(0) if x <= -1 else (mpf(1) if x >= 1 else (x + 1) / 2),
    kinks=lambda p: (-1.0, 1.0),
)
ref(
    "sparse_sigmoid",
    f=lambda x, p: mpf(0) if x <= -1 else (mpf(1) if x >= 1 else (x + 1) / 2),
    df=lambda x, p: mpf(1) / 2 if -1 < x < 1 else mpf(0),
    kinks=lambda p: (-1.0, 1.0),
)
ref("exponential", f=lambda x, p: mpmath.exp(x), df=lambda x, p: mpmath.exp(x))


def _log1mexp(x: Any, p: Mapping[str, Any]) -> Any:
    # log(1 - e^-x): expm1 near 0 (1 - e^-x cancels), log1p for large x (1 - e^-x
    # rounds to 1 at 50 digits) -- the two textbook ways to write the same number
    if x == 0:
        return mpf("-inf")
    if x < 1:
        return mpmath.log(-mpmath.expm1(-x))
    return mpmath.log1p(-mpmath.exp(-x))


ref(
    "log1mexp",
    f=_log1mexp,
    df=lambda x, p: mpf("inf") if x == 0 else 1 / mpmath.expm1(x),
    domain=lambda x, p: x >= 0,
)
ref(
    "hard_shrink",
    f=lambda x, p: x if abs(x) > p["lambd"] else mpf(0),
    df=lambda x, p: step(abs(x) > p["lambd"]),
    cases=({}, {"lambd": 1.5}),
    kinks=lambda p: (-p["lambd"], p["lambd"]),
)
ref(
    "soft_shrink",
    f=lambda x, p: x - p["lambd"] if x > p["lambd"] else (
        x + p["lambd"] if x < -p["lambd"] else mpf(0)),
    df=lambda x, p: step(abs(x) > p["lambd"]),
    cases=({}, {"lambd": 1.5}),
    kinks=lambda p: (-p["lambd"], p["lambd"]),
)
ref(
    # x - tanh x cancels like x³/3 near 0: boosted precision keeps the textbook formula
    "tanh_shrink",
    f=lambda x, p: x - mpmath.tanh(x),
    df=lambda x, p: mpmath.tanh(x) ** 2,
    boost=2,
)

# classic
ref("gaussian", f=lambda x, p: mpmath.exp(-x * x), df=lambda x, p: -2 * x * mpmath.exp(-x * x))
ref(
    "sin",
    f=lambda x, p: mpmath.sin(p["omega"] * x),
    df=lambda x, p: p["omega"] * mpmath.cos(p["omega"] * x),
    cases=({}, {"omega": 30.0}),
    no_limit=frozenset({"f", "df"}),
)
ref(
    "bent_identity",
    f=lambda x, p: (mpmath.sqrt(x * x + 1) - 1) / 2 + x,
    df=lambda x, p: x / (2 * mpmath.sqrt(x * x + 1)) + 1,
)
ref(
    "isru",
    f=lambda x, p: x / mpmath.sqrt(1 + p["alpha"] * x * x),
    df=lambda x, p: (1 + p["alpha"] * x * x) ** mpf(-1.5),
    cases=({}, {"alpha": 3.0}),
)
ref(
    "snake",
    f=lambda x, p: x + mpmath.sin(p["a"] * x) ** 2 / p["a"],
    df=lambda x, p: 1 + mpmath.sin(2 * p["a"] * x),
    cases=({}, {"a": 0.5}),
    no_limit=frozenset({"df"}),
)
ref(
    "lisht",
    f=lambda x, p: x * mpmath.tanh(x),
    df=lambda x, p: mpmath.tanh(x) + x * sech2(x),
)


# --- evaluation -------------------------------------------------------------------------


def _digits_for(x: Any, boost: int) -> int:
    if not boost or x == 0:
        return mp.dps
    decades = abs(int(mpmath.floor(mpmath.log10(abs(x)))))
    return mp.dps + boost * decades + 10


def evaluate(r: Ref, which: str, x: float, p: Mapping[str, Any]) -> Any:
    """f or df (``which``) at the float x exactly, NaN outside the domain."""
    xm = mpf(x)
    if r.domain is not None and not r.domain(xm, p):
        return mpf("nan")
    fn = r.f if which == "f" else r.df
    with mpmath.workdps(_digits_for(xm, r.boost)):
        value = fn(xm, p)
    return +value  # rounded to the ambient 50 digits


def second_derivative(r: Ref, x: float, p: Mapping[str, Any]) -> Any:
    """f''(x) by a central difference of the analytic f' in mpmath (for κ of f').

    The step is relative to x, so the difference never straddles a kink unless x
    is one (kinks are excluded by the caller); 80 digits make it exact to ~20.
    """
    xm = mpf(x)
    with mpmath.workdps(_digits_for(xm, r.boost) + 40):
        h = abs(xm) * mpf(10) ** -30 if xm != 0 else mpf(10) ** -30
        return (r.df(xm + h, p) - r.df(xm - h, p)) / (2 * h)
