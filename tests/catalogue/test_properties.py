"""Every property an entry states (its ``properties`` record) holds for its function,
with default parameters: random samples (hypothesis) and a dense deterministic grid."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import actlab

from .helpers import elementwise_names
from .reference import REFERENCES

ELEMENTWISE = elementwise_names()
SETTINGS = settings(max_examples=50, deadline=None, derandomize=True)


def restricted(name: str) -> bool:
    """Entries defined only for x >= 0 (log1mexp)."""
    return name in REFERENCES and REFERENCES[name].domain is not None


def finite_floats(name: str) -> st.SearchStrategy[float]:
    if restricted(name):
        return st.floats(min_value=0.0, exclude_min=True, allow_infinity=False)
    return st.floats(allow_nan=False, allow_infinity=False)


def inputs(name: str) -> st.SearchStrategy[list[float]]:
    # a mix of ordinary magnitudes (where shapes bend) and anything finite
    ordinary = st.floats(min_value=-50.0, max_value=50.0)
    if restricted(name):
        ordinary = st.floats(min_value=1e-6, max_value=50.0)
    return st.lists(st.one_of(ordinary, finite_floats(name)), min_size=1, max_size=40)


def dense_grid(name: str) -> np.ndarray:
    """Where extremes are attained: a fine net on [-20, 20], wide magnitudes, ±max."""
    with np.errstate(over="ignore"):  # geomspace's intermediate 10**log10(max)
        big = np.geomspace(1e-300, np.finfo(float).max, 300)
    x = np.concatenate([np.linspace(-20.0, 20.0, 400_001), big, -big, [0.0]])
    if restricted(name):
        x = x[x >= 0]  # the domain with its boundary (where the limit may be infinite)
    return np.sort(x)


_GRID_VALUES: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def on_grid(name: str) -> tuple[np.ndarray, np.ndarray]:
    if name not in _GRID_VALUES:
        x = dense_grid(name)
        _GRID_VALUES[name] = (x, np.asarray(actlab.get(name)(x)))
    return _GRID_VALUES[name]


def slack(bound: float) -> float:
    return 1e-12 * max(1.0, abs(bound))


def non_decreasing(y: np.ndarray) -> bool:
    return bool(np.all(y[1:] >= y[:-1]))  # not np.diff: inf - inf is NaN


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_random_inputs_respect_range_and_monotonicity(name: str) -> None:
    """Outputs lie in the stated range (its closure); monotonic entries never decrease."""
    act = actlab.get(name)
    lo, hi = act.properties.range
    monotonic = act.properties.monotonic

    @SETTINGS
    @given(inputs(name))
    def holds(xs: list[float]) -> None:
        x = np.sort(np.array(xs))
        y = act(x)
        assert np.all(y >= lo - slack(lo)) and np.all(y <= hi + slack(hi)), (xs, y)
        if monotonic:
            assert non_decreasing(y), (xs, y)

    holds()


@pytest.mark.parametrize("name", actlab.names())
def test_range_is_tight_and_bounds_agree_with_it(name: str) -> None:
    """The stated interval is the closure of the image: its ends are approached."""
    act = actlab.get(name)
    props = act.properties
    lo, hi = props.range
    assert props.bounded_below == np.isfinite(lo)
    assert props.bounded_above == np.isfinite(hi)
    if not act.elementwise:
        x = np.random.default_rng(0).normal(0, 3, size=(500, 8))
        y = act(x)
        assert y.min() >= lo - slack(lo) and y.max() <= hi + slack(hi)
        return
    x, y = on_grid(name)
    ymin, ymax = np.nanmin(y), np.nanmax(y)
    if np.isfinite(lo):
        assert abs(ymin - lo) <= 1e-6 * (1 + abs(lo)), f"min over the grid {ymin} vs {lo}"
    else:
        assert ymin < -1e10, f"stated unbounded below, but min over the grid is {ymin}"
    if np.isfinite(hi):
        assert abs(ymax - hi) <= 1e-6 * (1 + abs(hi)), f"max over the grid {ymax} vs {hi}"
    else:
        assert ymax > 1e10, f"stated unbounded above, but max over the grid is {ymax}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_monotonic_flag_matches_the_dense_grid(name: str) -> None:
    act = actlab.get(name)
    _, y = on_grid(name)
    assert non_decreasing(y) == act.properties.monotonic, (
        "stated not monotonic but never decreases on [-20, 20] and beyond"
        if non_decreasing(y) else "stated monotonic but decreases on the grid"
    )


ZERO_CENTRED = [n for n in ELEMENTWISE if actlab.entry(n).doc.properties.zero_centred]


@pytest.mark.parametrize("name", ZERO_CENTRED)
def test_zero_centred_entries_pass_through_zero_and_take_both_signs(name: str) -> None:
    act = actlab.get(name)
    assert act(0.0) == 0.0
    _, y = on_grid(name)
    assert np.nanmin(y) < 0 < np.nanmax(y)


SATURATION_POINTS = (1e6, 1e6 + 0.3, 1e6 + 0.7, 1e6 + 1.1)


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_saturation_matches_the_derivative_far_out(name: str, side: str) -> None:
    act = actlab.get(name)
    if side == "left" and restricted(name):
        # no left tail: the domain ends at 0 (the derivative is not even finite there)
        assert not act.properties.saturates_left
        return
    sign = -1.0 if side == "left" else 1.0
    slopes = np.abs(act.derivative(sign * np.array(SATURATION_POINTS)))
    saturates = act.properties.saturates_left if side == "left" else act.properties.saturates_right
    if saturates:
        assert np.all(slopes <= 1e-6), f"stated saturating on the {side}, f' = {slopes}"
    else:
        assert np.max(slopes) > 1e-6, f"stated not saturating on the {side}, f' = {slopes}"


def _jump(fn: Any, at: float) -> float:
    eps = 1e-9 * max(1.0, abs(at))
    return float(abs(fn(at + eps) - fn(at - eps)))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_smoothness_is_consistent_with_the_kinks(name: str) -> None:
    act = actlab.get(name)
    smoothness = act.properties.smoothness
    kinks = [k.at for k in act.doc.kinks if np.isfinite(k.value)]  # not domain boundaries
    value_jumps = [_jump(act, k) for k in kinks]
    slope_jumps = [_jump(act.derivative, k) for k in kinks]
    if smoothness == "discontinuous":
        assert any(j > 1e-6 for j in value_jumps), "stated discontinuous, but no kink jumps"
        return
    assert all(j < 1e-6 for j in value_jumps), f"stated {smoothness}, but f jumps at {kinks}"
    if smoothness == "C0":
        assert any(j > 1e-6 for j in slope_jumps), "stated C0 only, but f' is continuous"
    else:
        assert all(j < 1e-6 for j in slope_jumps), f"stated {smoothness}, but f' jumps"
    # between kinks the function is continuous: no jump on a fine grid
    x = np.linspace(-10.0, 10.0, 200_001)
    if restricted(name):
        x = x[x > 0.01]
    y = act(x)
    step = np.abs(np.diff(y))
    lipschitz = np.nanmax(np.abs(act.derivative(x))) * (x[1] - x[0])
    assert np.all(step <= 2 * lipschitz + 1e-12)


def test_documented_kinks_are_where_something_happens() -> None:
    """A kink in doc.kinks is a jump of f or f' (or a domain boundary), not decoration."""
    for name in ELEMENTWISE:
        act = actlab.get(name)
        for kink in act.doc.kinks:
            if not np.isfinite(kink.value):
                continue
            jump = max(_jump(act, kink.at), _jump(act.derivative, kink.at))
            # elu-like C1 entries document their (removable) kink only for alpha != 1
            if act.properties.smoothness in ("C1", "C2", "Cinf"):
                continue
            assert jump > 1e-6, f"{name}: nothing happens at the documented kink {kink.at}"


@pytest.mark.parametrize("name", actlab.names())
def test_learnable_parameters_become_torch_parameters(name: str) -> None:
    act = actlab.get(name)
    learnable = set(act.properties.learnable)
    flagged = {p.name for p in act.parameters if p.learnable}
    assert learnable == flagged, f"properties.learnable {learnable} vs Param flags {flagged}"
    module = act.to_torch()
    params = list(module.parameters())
    assert len(params) == len(learnable)
    assert all(p.requires_grad for p in params)
    named = dict(module.named_parameters())
    for pname in learnable:
        tensor = named.get(pname, params[0] if len(params) == 1 else None)
        assert tensor is not None, f"{pname} is not an nn.Parameter of {module}"
        assert np.allclose(tensor.detach().numpy(), act.params[pname])
