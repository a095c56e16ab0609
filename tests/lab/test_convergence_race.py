"""The convergence race: ratio and bootstrap by hand, pruning rule, a quick run, figures."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlab.lab import convergence_race as cr
from actlab.lab.result import Result


def test_speedup_ratio_is_ratio_of_medians() -> None:
    tanh = [100, 300, 200]  # median 200
    relu = [20, 1000, 10]  # median 20
    assert cr.speedup_ratio(tanh, relu) == pytest.approx(10.0)
    assert cr.speedup_ratio([50, 70], [10, 30]) == pytest.approx(60 / 20)


def test_bootstrap_ratio_hand_cases() -> None:
    # identical seeds: every resample gives the same ratio
    assert cr.bootstrap_ratio([600] * 5, [100] * 5, 500, seed=1) == pytest.approx((6.0, 6.0))
    slow, fast = [100, 120, 140, 160, 180], [20, 25, 30, 35, 40]
    low, high = cr.bootstrap_ratio(slow, fast, 2000, seed=3)
    # medians of resamples stay inside the data, so the ratio is between these extremes
    assert 100 / 40 <= low <= cr.speedup_ratio(slow, fast) <= high <= 180 / 20
    assert (low, high) == cr.bootstrap_ratio(slow, fast, 2000, seed=3)  # seeded
    assert cr.bootstrap_median([7, 7, 7], 100, seed=0) == pytest.approx((7.0, 7.0))


def test_evaluation_schedule_is_fine_early_and_capped() -> None:
    assert [cr.evaluation_interval(s, 20) for s in (1, 19, 40, 100, 399, 5000)] == \
        [1, 1, 2, 5, 19, 20]
    evaluated = [s for s in range(1, 101) if cr.is_evaluation_step(s, 20)]
    assert evaluated[:20] == list(range(1, 21))
    gaps = np.diff(evaluated)
    assert np.all(gaps <= np.maximum(1, np.asarray(evaluated[1:]) // 20))


def test_groups_to_drop_prunes_only_certain_losers() -> None:
    config = cr.Config(seeds=3, patience=3.0, max_steps=1000)
    group = np.repeat(np.arange(3), 3)
    # group 0: median known (50); group 1: one network reached at 40, two not yet;
    # group 2: only one reached -> its median is > 60 (next step 61), loses to 50
    reach = np.array([40, 50, 60, 40, -1, -1, 30, -1, -1])
    diverged = np.zeros(9, dtype=bool)
    pruned = np.zeros(3, dtype=bool)
    drop = cr._groups_to_drop(reach, diverged, group, 3, 60, config, pruned)
    assert drop.tolist() == [True, True, True]  # group 0 done; 1 and 2 cannot beat 50
    assert pruned.tolist() == [False, True, True]
    # earlier, at step 45, nobody's median is known: nothing can be dropped
    reach_early = np.array([40, -1, -1, 40, -1, -1, 30, -1, -1])
    pruned = np.zeros(3, dtype=bool)
    drop = cr._groups_to_drop(reach_early, diverged, group, 3, 45, config, pruned)
    assert not drop.any() and not pruned.any()
    # the winner's straggler is censored at patience x median
    reach_slow = np.array([40, 50, -1, -1, -1, -1, -1, -1, -1])
    pruned = np.zeros(3, dtype=bool)
    assert cr._groups_to_drop(reach_slow, diverged, group, 3, 149, config, pruned)[0] == \
        np.False_
    assert cr._groups_to_drop(reach_slow, diverged, group, 3, 150, config, pruned)[0]


@pytest.fixture(scope="module")
def quick_result() -> Result:
    return cr.run(cr.Config.quick())


def test_quick_run_is_deterministic_and_round_trips(quick_result: Result) -> None:
    again = cr.run(cr.Config.quick())
    strip = lambda r: {**json.loads(r.to_json()), "seconds": 0}  # noqa: E731
    assert strip(again) == strip(quick_result)
    back = Result.from_json(quick_result.to_json())
    assert back.claims == quick_result.claims
    assert back.tables == quick_result.tables
    assert back.metrics == quick_result.metrics


def test_ratio_and_verdicts_follow_from_the_iterations(quick_result: Result) -> None:
    race = quick_result.curves["races"]["digits_mlp"]
    relu, tanh = race["activations"]["relu"], race["activations"]["tanh"]
    ratio = quick_result.metrics["digits_mlp_tanh_over_relu"]
    assert ratio == pytest.approx(np.median(tanh["iterations"]) / np.median(relu["iterations"]))
    low, high = quick_result.metrics["digits_mlp_tanh_over_relu_interval"]
    assert low <= ratio <= high
    compare, faster = quick_result.claims
    assert compare.published == 6 and compare.measured == pytest.approx(ratio, abs=1e-3)
    assert compare.verdict == ("reproduced" if low <= 6 <= high or abs(ratio - 6) <= 1.5
                               else "partly" if abs(ratio - 6) <= 3 else "not reproduced")
    assert faster.verdict == ("reproduced" if low > 1 else
                              "partly" if ratio > 1 else "not reproduced")
    assert "varies with network architecture" in compare.detail
    # every seed's iterations are evaluation steps within the budget
    for s in (relu, tanh):
        assert len(s["iterations"]) == quick_result.config["seeds"]
        assert all(1 <= i <= quick_result.config["max_steps"] for i in s["iterations"])


def test_figures(quick_result: Result) -> None:
    from actlab.plot.convergence_race import figures

    figs = figures(quick_result)
    assert set(figs) == {"training_error", "iterations"}
    for fig in figs.values():
        assert isinstance(fig, Figure)
        fig.canvas.draw()  # Agg renders without error


def test_bad_config_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="data set"):
        cr.run(dataclasses.replace(cr.Config.quick(), datasets=("cifar",)))
    with pytest.raises(ValueError, match="elementwise"):
        cr.run(dataclasses.replace(cr.Config.quick(), activations=("softmax",)))
