"""An mpmath reference for every elementwise catalogue entry: f and f', each written
straight from its textbook definition, independently of actlab's code (no actlab
import here, and none of its rearrangements).  Each entry gives

* ``f(x, p)`` and ``df(x, p)``: the function and its derivative at the mpmath
  number ``x`` (the exact value of a float), ``p`` the entry's parameter values;
* ``cases``: parameter sets to test (``{}`` = the defaults, plus at least one
  non-default set for parametrised entries);
* ``kinks(p)``: where f or f' is not differentiable (the derivative is not
  checked exactly there: its value is a convention, tested in test_contract.py);
* ``domain(x, p)``: False outside the domain (the entry must return NaN there);
* ``phase``: for periodic entries, the factor c of the argument c·x of their sines
  (helpers.py then judges them by the condition number of the *reduced* argument
  when c·x is exact in floating point; see there).

A textbook formula may cancel catastrophically (1 + tanh(u) for u = -300, the
squareplus x + √(x² + b) for x = -1e300).  Instead of rearranging it, ``evaluate``
raises the working precision until two precisions agree: 50 and 400 digits, then
400 and 800, ... up to 6400; a result that is 0 at both is confirmed at 1600 digits
(a cancellation can give 0 at every low precision).  The second precision starts
at 400 digits because a term can vanish at *both* of two low precisions while
another term survives: in GELU-tanh's f' = (1 + tanh u)/2 + ..., 1 + tanh u is
1e-138 at x = -16, lost at 50 and at 100 digits alike; every term that can move a
float result (>= 1e-308) survives at 400.
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
    # f or f' has no limit at ±inf (oscillates): the entry must return NaN there
    no_limit: frozenset[str] = field(default_factory=frozenset)
    # periodic entries: the factor c in the argument c·x of their sines and cosines
    phase: Callable[[Mapping[str, Any]], float] | None = None


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
    """erfc(z); for z > 30 its asymptotic series (Abramowitz & Stegun 7.1.23).

    mpmath's own erfc overflows for z > 1e155 and takes milliseconds for large z.
    The series is summed until its terms fall below the working precision or start
    to grow (past k ≈ z², where a z > 30 has made them smaller than 1e-390).
    """
    if z <= 30:
        return mpmath.erfc(z)
    inv = 1 / (2 * z * z)
    term, total, k = mpf(1), mpf(1), 1
    while True:
        following = -term * (2 * k - 1) * inv
        if abs(following) >= abs(term) or abs(following) < mpmath.eps * abs(total):
            break
        term, total, k = following, total + following, k + 1
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
        return x / 2 * (1 + mpmath.tanh(_gelu_u(x)))
    return x * ncdf(x)


def _gelu_d(x: Any, p: Mapping[str, Any]) -> Any:
    if p["approximate"] == "tanh":
        u = _gelu_u(x)
        du = mpmath.sqrt(2 / mpmath.pi) * (1 + 3 * GELU_TANH_C * x**2)
        return (1 + mpmath.tanh(u)) / 2 + x * sech2(u) * du / 2
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
    "squareplus",
    f=lambda x, p: (x + mpmath.sqrt(x * x + p["b"])) / 2,
    df=lambda x, p: (1 + x / mpmath.sqrt(x * x + p["b"])) / 2,
    cases=({}, {"b": 0.5}),
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
    if x == 0:
        return mpf("-inf")
    return mpmath.log(1 - mpmath.exp(-x))


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
    "tanh_shrink",
    f=lambda x, p: x - mpmath.tanh(x),
    df=lambda x, p: mpmath.tanh(x) ** 2,
)

# classic
ref("gaussian", f=lambda x, p: mpmath.exp(-x * x), df=lambda x, p: -2 * x * mpmath.exp(-x * x))
ref(
    "sin",
    f=lambda x, p: mpmath.sin(p["omega"] * x),
    df=lambda x, p: p["omega"] * mpmath.cos(p["omega"] * x),
    cases=({}, {"omega": 30.0}),
    no_limit=frozenset({"f", "df"}),
    phase=lambda p: p["omega"],
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
    phase=lambda p: 2 * p["a"],  # sin²(ax) = (1 - cos 2ax)/2: period π/a, as sin(2ax)
)
ref(
    "lisht",
    f=lambda x, p: x * mpmath.tanh(x),
    df=lambda x, p: mpmath.tanh(x) + x * sech2(x),
)


# --- evaluation -------------------------------------------------------------------------

FIRST_DIGITS = 50
SECOND_DIGITS = 400
MAX_DIGITS = 6400
ZERO_CHECK_DIGITS = 1600
AGREEMENT = mpf(10) ** -30  # relative difference of two precisions that counts as agreed


class NoAgreement(ArithmeticError):
    """Two precisions never agreed up to MAX_DIGITS: the reference cannot judge this point."""


def _agree(a: Any, b: Any) -> bool:
    if mpmath.isnan(a) or mpmath.isnan(b):
        return bool(mpmath.isnan(a) and mpmath.isnan(b))
    if mpmath.isinf(a) or mpmath.isinf(b):
        return bool(a == b)
    return bool(abs(a - b) <= AGREEMENT * abs(b))


def at_agreed_precision(compute: Callable[[], Any]) -> Any:
    """``compute()`` at 50 and 400 digits, 400 and 800, ... until the two agree.

    The answer is returned rounded to 50 digits.  A 0 at both precisions is
    re-evaluated at 1600 digits: a cancellation (1 + tanh(-300)) gives 0 at every low
    precision, and the ladder resumes from there if it was not a true 0.
    """
    digits = FIRST_DIGITS
    with mpmath.workdps(digits):
        low = compute()
    while digits < MAX_DIGITS:
        following = SECOND_DIGITS if digits == FIRST_DIGITS else 2 * digits
        with mpmath.workdps(following):
            high = compute()
        if high == 0 and low == 0 and digits < ZERO_CHECK_DIGITS:
            digits = ZERO_CHECK_DIGITS
            with mpmath.workdps(digits):
                low = compute()
            continue
        if _agree(low, high):
            return +high  # unary plus rounds to the ambient 50 digits
        digits, low = following, high
    raise NoAgreement(f"no two precisions agreed up to {MAX_DIGITS} digits")


def evaluate(r: Ref, which: str, x: float, p: Mapping[str, Any]) -> Any:
    """f or df (``which``) at the float x exactly, NaN outside the domain."""
    xm = mpf(x)
    if r.domain is not None and not r.domain(xm, p):
        return mpf("nan")
    fn = r.f if which == "f" else r.df
    return at_agreed_precision(lambda: fn(xm, p))


def second_derivative(r: Ref, x: float, p: Mapping[str, Any]) -> Any:
    """f''(x), as mpmath's numerical derivative of the analytic f' (for κ of f').

    Away from kinks (excluded by the caller) f' is smooth; mpmath.diff chooses its
    step from the working precision, and the ladder checks the result.
    """
    xm = mpf(x)
    return at_agreed_precision(lambda: mpmath.diff(lambda t: r.df(t, p), xm))
