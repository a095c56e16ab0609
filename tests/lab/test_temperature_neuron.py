"""The temperature neuron: the notes' fixed neuron (a check) and the learned one (claims)."""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlab.lab import temperature_neuron as tn
from actlab.lab.registry import experiment
from actlab.lab.result import Result


@cache
def quick() -> Result:
    exp = experiment("temperature_neuron")
    return exp.run(exp.config(quick=True))


def test_the_fixed_neuron_prints_the_notes_outputs() -> None:
    np.testing.assert_allclose(tn.fixed_neuron_outputs(tn.NOTES_CELSIUS),
                               tn.NOTES_FAHRENHEIT, rtol=1e-12)
    check = quick().claims[0]
    assert (check.kind, check.verdict, check.seeds, check.interval) == ("check", "holds", 1, None)


def test_the_moment_form_of_the_gradient_equals_the_sum_over_readings() -> None:
    celsius, fahrenheit = tn.draw_readings(tn.Config(readings=7), 3)
    hessian_top = 2 * np.mean(celsius * celsius) + 2  # bounds L from above (trace)
    # the first step from w = b = 0 moves by -(step/L) times the summed gradient
    moved = tn.gradient_descent(celsius[None], fahrenheit[None], 1, 1.0,
                                np.array([1]))[1][0, 0]
    gradient = np.array(tn.mse_gradient(0.0, 0.0, celsius, fahrenheit))
    ratio = -moved / gradient
    assert ratio[0] == pytest.approx(ratio[1], rel=1e-12)  # along the gradient
    assert 1 / hessian_top <= ratio[0]  # a step of 1/L, L at most the trace


def test_gradient_descent_reaches_the_least_squares_minimum() -> None:
    result = quick()
    final = result.curves["final"]
    np.testing.assert_allclose(final["w"], final["least_squares_w"], atol=2e-3)
    np.testing.assert_allclose(final["b"], final["least_squares_b"], atol=0.2)


def test_the_learned_weights_are_claims_over_seeds_with_intervals() -> None:
    result = quick()
    slope, intercept = result.claims[1], result.claims[2]
    for claim, values, published in ((slope, result.curves["final"]["w"], 1.8),
                                     (intercept, result.curves["final"]["b"], 32.0)):
        assert claim.kind == "claim" and claim.seeds == len(values) >= 5
        assert claim.published == published
        assert claim.measured == pytest.approx(np.mean(values))
        low, high = claim.interval
        assert low < claim.measured < high
        tol = claim.tolerance
        inside = published - tol <= low and high <= published + tol
        assert claim.verdict == ("reproduced" if inside else
                                 "partly" if abs(claim.measured - published) <= tol
                                 else "not reproduced")


def test_too_few_steps_cannot_recover_the_intercept() -> None:
    """The claim can fail: stopped early, the intercept is still far from 32 °F."""
    exp = experiment("temperature_neuron")
    short = exp.run(dataclasses.replace(exp.config(quick=True), steps=300))
    assert short.claims[2].verdict == "not reproduced"
    assert short.claims[2].measured < 20


def test_quick_run_round_trips_and_draws() -> None:
    result = quick()
    again = Result.from_json(result.to_json())
    assert again.claims == result.claims
    figures = experiment("temperature_neuron").figures(again)
    assert set(figures) == {"neuron", "learning", "recovered_weights"}
    assert all(isinstance(f, Figure) and f.axes for f in figures.values())
