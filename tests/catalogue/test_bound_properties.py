"""Properties follow the bound parameters: for parameter values drawn by hypothesis, the
stated range, monotonicity, saturation and smoothness hold for the function computed;
nonsense values are rejected with the parameter named; the Gaussian moments are the
integrals they claim to be."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import actlab

from .reference import REFERENCES

SETTINGS = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


def reals(lo: float, hi: float) -> st.SearchStrategy[float]:
    # round numbers too (0, 1: the special cases) and plain draws in between
    specials = [v for v in (0.0, 1.0, -1.0, 0.5) if lo <= v <= hi]
    return st.one_of(st.sampled_from(specials), st.floats(lo, hi)) if specials else \
        st.floats(lo, hi)


def zero_or_at_least(smallest: float, hi: float, signed: bool = False) -> st.SearchStrategy[float]:
    """0 or a magnitude in [smallest, hi]: the grid's resolution (1e-9 steps around a kink,
    the window [-20, 20]) cannot see the shape of tinier values, though they are valid."""
    magnitude = reals(smallest, hi)
    values = st.one_of(st.just(0.0), magnitude)
    if signed:
        values = st.one_of(values, magnitude.map(lambda v: -v))
    return values


def ordered_pair(lo: float, hi: float) -> st.SearchStrategy[tuple[float, float]]:
    return st.tuples(reals(lo, hi), reals(lo, hi)).filter(lambda ab: ab[0] < ab[1] - 1e-3)


PARAMETERS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "leaky_relu": st.builds(lambda s: {"negative_slope": s},
                            zero_or_at_least(0.01, 3.0, signed=True)),
    "prelu": st.builds(lambda a: {"a": a}, zero_or_at_least(0.01, 3.0, signed=True)),
    "rrelu": ordered_pair(-1.0, 1.0).map(lambda lu: {"lower": lu[0], "upper": lu[1]}),
    "elu": st.builds(lambda a: {"alpha": a}, reals(0.05, 5.0)),
    "celu": st.builds(lambda a: {"alpha": a}, reals(0.05, 5.0)),
    "selu": st.builds(lambda a, s: {"alpha": a, "scale": s}, reals(0.05, 5.0),
                      reals(0.1, 3.0)),
    "swish": st.builds(lambda b: {"beta": b}, zero_or_at_least(0.1, 5.0, signed=True)),
    "squareplus": st.builds(lambda b: {"b": b}, zero_or_at_least(0.01, 10.0)),
    "softplus": st.builds(lambda b, t: {"beta": b, "threshold": t}, reals(0.2, 5.0),
                          st.one_of(st.none(), reals(-5.0, 25.0))),
    "isru": st.builds(lambda a: {"alpha": a}, reals(0.05, 10.0)),
    "heaviside": st.builds(lambda t, h: {"t": t, "at_threshold": h}, reals(-3.0, 3.0),
                           reals(-2.0, 3.0)),
    "threshold": st.builds(lambda t, d: {"t": t, "value": t + d}, reals(-3.0, 3.0),
                           zero_or_at_least(0.01, 3.0, signed=True)),
    "hard_tanh": ordered_pair(-3.0, 3.0).map(lambda ab: {"min_val": ab[0],
                                                         "max_val": ab[1]}),
    "hard_shrink": st.builds(lambda v: {"lambd": v}, zero_or_at_least(0.01, 3.0)),
    "soft_shrink": st.builds(lambda v: {"lambd": v}, zero_or_at_least(0.01, 3.0)),
    "sin": st.builds(lambda w: {"omega": w}, zero_or_at_least(0.2, 5.0, signed=True)),
    "snake": st.builds(lambda a: {"a": a}, reals(0.1, 5.0)),
    "gelu": st.sampled_from([{"approximate": "none"}, {"approximate": "tanh"}]),
}


def test_every_parametrised_elementwise_entry_has_a_strategy() -> None:
    parametrised = {n for n in actlab.names()
                    if actlab.entry(n).elementwise and actlab.entry(n).parameters}
    assert parametrised == set(PARAMETERS)


def grid(kinks: tuple[float, ...]) -> np.ndarray:
    """A fine net on [-20, 20], wide magnitudes, and each kink with its float neighbours."""
    with np.errstate(over="ignore"):
        big = np.geomspace(1e-300, np.finfo(float).max, 200)
    near = [v for k in kinks for v in (np.nextafter(k, -np.inf), k, np.nextafter(k, np.inf))]
    x = np.concatenate([np.linspace(-20.0, 20.0, 40_001), big, -big, [0.0], near])
    return np.unique(x)


def jump(fn: Any, at: float) -> float:
    eps = 1e-9 * max(1.0, abs(at))
    return float(abs(fn(at + eps) - fn(at - eps)))


def check_properties(act: actlab.Activation) -> None:
    props = act.properties
    # the reference's kinks, and 0 (where squareplus with b = 0 bends)
    kinks = (*(float(k) for k in REFERENCES[act.name].kinks(act.params)), 0.0)
    x = grid(kinks)
    y = np.asarray(act(x))
    lo, hi = props.range
    slack = 1e-9 * (1.0 + max(abs(lo) if math.isfinite(lo) else 0.0,
                              abs(hi) if math.isfinite(hi) else 0.0))
    assert np.all(y >= lo - slack) and np.all(y <= hi + slack), (lo, hi, y.min(), y.max())
    # the interval is tight: its finite ends are approached, its infinite ends passed
    assert (abs(y.min() - lo) <= 1e-3 * (1 + abs(lo))) if math.isfinite(lo) else y.min() < -1e10
    assert (abs(y.max() - hi) <= 1e-3 * (1 + abs(hi))) if math.isfinite(hi) else y.max() > 1e10
    assert props.bounded_below == math.isfinite(lo)
    assert props.bounded_above == math.isfinite(hi)
    # a rounding step of an ulp is not a change of direction (squareplus with b = 3
    # steps down one ulp between x = -1e-300 and 0, where its two branches meet)
    with np.errstate(invalid="ignore", over="ignore"):
        ulps = 2 * np.spacing(np.abs(y[:-1]))
        rises = (y[1:] >= y[:-1]) | (y[1:] >= y[:-1] - ulps)
    assert bool(np.all(rises)) == props.monotonic
    far = np.array([1e6, 1e6 + 0.3, 1e6 + 0.7, 1e6 + 1.1])
    for side, saturates in ((-1.0, props.saturates_left), (1.0, props.saturates_right)):
        slopes = np.abs(act.derivative(side * far))
        assert bool(np.all(slopes <= 1e-6)) == saturates, (side, slopes)
    assert props.zero_centred == (act(0.0) == 0.0 and lo < 0.0 < hi)
    value_jumps = [jump(act, k) for k in kinks]
    slope_jumps = [jump(act.derivative, k) for k in kinks]
    if props.smoothness == "discontinuous":
        assert any(j > 1e-9 for j in value_jumps), "stated discontinuous, but f never jumps"
        return
    assert all(j < 1e-6 for j in value_jumps), f"stated {props.smoothness}, but f jumps"
    if props.smoothness == "C0":
        assert any(j > 1e-6 for j in slope_jumps), "stated C0 only, but f' is continuous"
    else:
        assert all(j < 1e-6 for j in slope_jumps), f"stated {props.smoothness}, f' jumps"


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_properties_hold_for_drawn_parameters(name: str) -> None:
    @SETTINGS
    @given(PARAMETERS[name])
    def holds(params: dict[str, Any]) -> None:
        check_properties(actlab.get(name, **params))

    holds()


def test_the_issue_examples() -> None:
    elu = actlab.get("elu", alpha=0.5).properties
    assert elu.range == (-0.5, math.inf) and elu.smoothness == "C0"
    assert actlab.get("elu").properties.smoothness == "C1"
    absolute = actlab.get("leaky_relu", negative_slope=-1.0)
    np.testing.assert_array_equal(absolute([-2.0, 3.0]), [2.0, 3.0])
    assert not absolute.properties.monotonic and absolute.properties.range == (0.0, math.inf)
    # the slope of elu at 0- is alpha: the derivative there says so
    assert actlab.get("elu", alpha=0.5).derivative(-1e-12) == pytest.approx(0.5)


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
@pytest.mark.parametrize(("name", "parameter"), [("elu", "alpha"), ("leaky_relu",
                         "negative_slope"), ("swish", "beta"), ("softplus", "threshold")])
def test_non_finite_parameters_are_rejected_by_name(name: str, parameter: str,
                                                    value: float) -> None:
    with pytest.raises(ValueError, match=f"{name}: parameter {parameter}=.* must be a finite"):
        actlab.get(name, **{parameter: value})


def test_unusual_meaningful_values_are_accepted() -> None:
    assert actlab.get("swish", beta=0.0).properties.monotonic  # x/2
    assert actlab.get("sin", omega=0.0).properties.range == (0.0, 0.0)
    assert actlab.get("squareplus", b=0.0).properties.smoothness == "C0"  # ReLU


@pytest.mark.parametrize(("name", "params", "mean", "variance"), [
    ("relu", {}, 1 / math.sqrt(2 * math.pi), 0.5 - 1 / (2 * math.pi)),
    ("gelu", {}, 1 / (2 * math.sqrt(math.pi)), None),
    ("identity", {}, 0.0, 1.0),
    ("exponential", {}, math.exp(0.5), math.exp(2) - math.exp(1)),
    ("selu", {}, 0.0, 1.0),  # the self-normalising fixed point
    ("sigmoid", {}, 0.5, None),
    ("heaviside", {"t": 1.0}, 0.5 * math.erfc(1 / math.sqrt(2)), None),
])
def test_normal_moments_match_closed_forms(name: str, params: dict[str, Any], mean: float,
                                           variance: float | None) -> None:
    props = actlab.get(name, **params).properties
    assert props.normal_mean == pytest.approx(mean, abs=1e-7)
    if variance is not None:
        assert props.normal_variance == pytest.approx(variance, abs=1e-7)


def test_normal_moments_match_a_monte_carlo_estimate() -> None:
    z = np.random.default_rng(1).standard_normal(2_000_000)
    for name in ("mish", "elu", "hard_swish", "snake", "softsign", "threshold"):
        act = actlab.get(name)
        y = act(z)
        se = y.std() / math.sqrt(z.size)
        assert abs(act.properties.normal_mean - y.mean()) < 5 * se, name
        assert act.properties.normal_variance == pytest.approx(y.var(), rel=0.01), name


def test_vector_entries_and_partial_domains_have_no_moments() -> None:
    for name in ("softmax", "glu", "log1mexp"):
        props = actlab.get(name).properties
        assert props.normal_mean is None and props.normal_variance is None
