"""Dying ReLU: the claims' statistics on hand-made numbers, Lu et al.'s published numbers,
and the quick run's claims and tables."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
import torch
from scipy import stats

from actlab.lab import dying_relu
from actlab.lab.lu2019_born_dead import (
    LU_2019_BORN_DEAD,
    PublishedBornDead,
    lower_bound,
    upper_bound,
)
from actlab.lab.statistics import wilson_interval


def _relu(dead: list[list[float | None]]) -> dict:
    means = [None if all(v is None for v in row) else
             float(np.mean([v for v in row if v is not None])) for row in dead]
    return {"dead": dead, "dead_mean": means, "diverged": [row.count(None) for row in dead]}


def test_learning_rate_claim_uses_every_rate_and_seed() -> None:
    config = dying_relu.Config(learning_rates=(0.01, 0.1, 1.0), train_seeds=5, bootstrap=200)
    rising = _relu([[0.00, 0.01, 0.02, 0.01, 0.00],
                    [0.05, 0.06, 0.04, 0.07, 0.05],
                    [0.30, 0.40, 0.35, None, 0.50]])
    claim = dying_relu._learning_rate_claim(rising, config)
    lrs = [0.01] * 5 + [0.1] * 5 + [1.0] * 4
    dead = [0.00, 0.01, 0.02, 0.01, 0.00, 0.05, 0.06, 0.04, 0.07, 0.05, 0.30, 0.40, 0.35, 0.50]
    tau = stats.kendalltau(lrs, dead).statistic
    assert claim.measured == pytest.approx(tau)
    assert claim.seeds == 14  # the diverged run is left out
    assert claim.verdict == "reproduced"
    low, high = claim.interval
    assert low <= tau <= high
    # only the two ends differ, the middle runs against the trend: the test sees all of it
    ends_only = _relu([[0.05, 0.06, 0.05, 0.04, 0.05],
                       [0.09, 0.08, 0.10, 0.09, 0.08],
                       [0.00, 0.01, 0.00, 0.01, 0.00]])
    assert dying_relu._learning_rate_claim(ends_only, config).verdict == "not reproduced"


def test_elu_claim_is_a_measurement_that_can_fail() -> None:
    config = dying_relu.Config(train_seeds=5)
    alive = {"dead": [[0.0] * 5, [0.0] * 5], "dead_mean": [0.0, 0.0]}
    assert dying_relu._elu_claim(alive, config).verdict in ("reproduced", "partly")
    saturated = {"dead": [[0.0] * 5, [0.9, 1.0, 0.95, 0.99, 0.97]],
                 "dead_mean": [0.0, 0.962]}
    claim = dying_relu._elu_claim(saturated, config)
    assert claim.kind == "claim" and claim.verdict == "not reproduced"
    assert claim.measured == pytest.approx(0.962)


def test_width_claim_compares_two_monte_carlo_samples() -> None:
    config = dying_relu.Config(nets=1000, max_depth=3)
    born = {"domain": {"2": {"p": [0.1, 0.2, 0.5]}, "10": {"p": [0.0, 0.0, 0.02]}}}
    claim = dying_relu._width_claim(born, "2", "10", config)
    assert claim.measured == pytest.approx(0.02 - 0.5)
    assert claim.verdict == "reproduced" and claim.seeds == 1000
    same = {"domain": {"2": {"p": [0.5, 0.5, 0.5]}, "10": {"p": [0.5, 0.5, 0.5]}}}
    assert dying_relu._width_claim(same, "2", "10", config).verdict == "not reproduced"


def test_quick_run_reports_width_ten_and_claims() -> None:
    assert 10 in dying_relu.Config().widths  # the widths Lu et al. report include 10
    config = dying_relu.Config.quick()
    result = dying_relu.run(config)
    kinds = {c.statement: c.kind for c in result.claims}
    assert kinds["High learning rates kill ReLU units"] == "claim"
    assert kinds["Leaky ReLU and PReLU units do not die"] == "check"
    trend = next(c for c in result.claims if c.statement.startswith("High learning"))
    assert trend.seeds == len(config.learning_rates) * config.train_seeds

    # Lu et al.'s numbers beside ours: a table at their widths (10 included) ...
    table = result.tables["lu_2019_born_dead"]
    assert {(row[0], row[1]) for row in table.rows} == {
        (w, d) for w in (2, 3, 4, 5, 10) for d in dying_relu.LU_TABLE_DEPTHS}
    for width, depth, theirs, ours, *_ in table.rows:
        assert theirs == LU_2019_BORN_DEAD.value(width, depth)
        assert ours == pytest.approx(result.curves["lu_2019"]["widths"][str(width)]["p"][depth - 1],
                                     abs=1e-4)
    # ... a claim per width, one on their bounds, and a check of the bounds' transcription
    per_width = [c for c in result.claims if c.statement.startswith("A net of width")]
    assert [c.statement.split()[4] for c in per_width] == ["2", "3", "4", "5", "10"]
    for claim in per_width:
        assert claim.kind == "claim" and "Lu" in claim.source and claim.seeds == config.lu_nets
        width = int(claim.statement.split()[4])
        assert claim.tolerance == dying_relu.lu_tolerance(LU_2019_BORN_DEAD, width)
        low, high = claim.interval
        assert low <= claim.measured <= high
    bounds = next(c for c in result.claims if "between the lower and upper" in c.statement)
    assert bounds.kind == "check" and bounds.verdict == "holds"
    transcription = next(c for c in result.claims if c.statement.startswith("Their theorem"))
    assert transcription.kind == "check" and transcription.verdict == "holds"


# -- Lu et al. (2019): the published numbers and their bounds ---------------------------

def test_published_numbers_are_the_transcribed_ones() -> None:
    """The record's values, pinned: a change to any of them must be deliberate. They are
    the simulated points of the figure 'probability vs # hidden layers' as the authors
    showed it (talk on the work of arXiv:1903.06733, slide 17), read to ±0.0005."""
    record = LU_2019_BORN_DEAD
    assert record.source.startswith("Lu, Shin, Su & Karniadakis 2019")
    assert "slide 17" in record.where and record.reading == 0.0005
    assert record.widths == (2, 3, 4, 5, 10) and record.max_hidden_layers == 20
    assert record.simulated == {
        2: (0.0, 0.1564, 0.3406, 0.4973, 0.6203, 0.7158, 0.7859, 0.8399, 0.8794, 0.9096,
            0.9323, 0.9495, 0.9618, 0.9715, 0.9784, 0.9838, 0.9880, 0.9911, 0.9935, 0.9948),
        3: (0.0, 0.0426, 0.1189, 0.2065, 0.2952, 0.3770, 0.4522, 0.5196, 0.5783, 0.6316,
            0.6770, 0.7175, 0.7519, 0.7828, 0.8110, 0.8337, 0.8550, 0.8732, 0.8890, 0.9031),
        4: (0.0, 0.0113, 0.0368, 0.0725, 0.1144, 0.1598, 0.2048, 0.2505, 0.2938, 0.3371,
            0.3766, 0.4144, 0.4509, 0.4852, 0.5168, 0.5481, 0.5753, 0.6014, 0.6254, 0.6502),
        5: (0.0, 0.0027, 0.0110, 0.0241, 0.0409, 0.0601, 0.0815, 0.1048, 0.1282, 0.1522,
            0.1766, 0.2000, 0.2237, 0.2467, 0.2694, 0.2914, 0.3141, 0.3344, 0.3550, 0.3759),
        10: (0.0, 0.0, 0.0, 0.0, 0.0004, 0.0004, 0.0007, 0.0010, 0.0014, 0.0017,
             0.0021, 0.0027, 0.0031, 0.0038, 0.0045, 0.0048, 0.0055, 0.0065, 0.0069, 0.0076),
    }


def test_published_numbers_obey_what_must_hold_of_them() -> None:
    """A typo in the transcription would break one of these: one hidden layer cannot die
    (one input, no biases), P grows with depth and falls with width, and every point lies
    between their own bounds up to the reading precision."""
    record = LU_2019_BORN_DEAD
    for width, values in record.simulated.items():
        assert values[0] == 0.0
        assert all(a <= b for a, b in itertools.pairwise(values))
        for depth, value in enumerate(values, start=1):
            assert lower_bound(width, depth) - record.reading <= value
            assert value <= upper_bound(width, depth) + record.reading
    for depth in range(2, record.max_hidden_layers + 1):
        column = [record.value(w, depth) for w in record.widths]
        assert all(a >= b for a, b in itertools.pairwise(column))


def test_their_bounds_by_hand() -> None:
    # two hidden layers of width 2: the net dies when both ends die; worked out by cases,
    # 1/16 + 1/16 (first-layer weights of one sign) + 1/32 (mixed) = 5/32 = the lower bound
    assert lower_bound(2, 2) == pytest.approx(5 / 32, abs=1e-15)
    assert lower_bound(7, 1) == 0.0
    assert upper_bound(3, 4) == pytest.approx(1 - (7 / 8) ** 4)
    for width in (2, 3, 4, 5, 10):
        for depth in range(1, 40):
            assert 0.0 <= lower_bound(width, depth) <= upper_bound(width, depth) <= 1.0


def test_two_ends_decide_a_bias_free_net_with_one_input() -> None:
    """Without biases a one-input ReLU net is positively homogeneous, so the two ends of the
    interval die exactly when the whole interval does: same weights, same death layers."""
    ends = torch.tensor([[math.sqrt(3)], [-math.sqrt(3)]]).expand(3000, 2, 1)
    grid = torch.linspace(-math.sqrt(3), math.sqrt(3), 41).reshape(1, 41, 1).expand(3000, 41, 1)
    by_ends = dying_relu.first_dead_layer(ends, 3, 12, 0.0, torch.Generator().manual_seed(5))
    by_grid = dying_relu.first_dead_layer(grid, 3, 12, 0.0, torch.Generator().manual_seed(5))
    np.testing.assert_array_equal(by_ends, by_grid)
    assert 0 < (by_ends <= 12).mean() < 1  # some nets die, some do not: the test has teeth


def _lu_curves(p_by_width: dict[int, list[float]], nets: int) -> dict:
    """Hand-made Monte Carlo curves in the shape born_dead_lu_setting returns."""
    widths = {}
    for width, p in p_by_width.items():
        dead = np.round(np.asarray(p) * nets).astype(int)
        low, high = wilson_interval(dead, nets)
        depths = range(1, len(p) + 1)
        widths[str(width)] = {
            "dead": dead.tolist(), "p": (dead / nets).tolist(), "low": low.tolist(),
            "high": high.tolist(), "published": list(LU_2019_BORN_DEAD.simulated[width]),
            "lower_bound": [lower_bound(width, d) for d in depths],
            "upper_bound": [upper_bound(width, d) for d in depths]}
    return {"hidden_layers": list(range(1, 21)), "nets": nets, "widths": widths}


def test_a_wrong_published_value_is_not_reproduced() -> None:
    record = LU_2019_BORN_DEAD
    ours = _lu_curves({w: list(v) for w, v in record.simulated.items()}, nets=400_000)
    right = dying_relu.lu_published_claims(ours, record)
    assert [c.verdict for c in right] == ["reproduced"] * 5
    # one published value off by 0.05 (five tolerances): that width's claim must fail
    wrong_width_3 = list(record.simulated[3])
    wrong_width_3[9] += 0.05
    wrong = dataclasses.replace(record, simulated={**record.simulated, 3: tuple(wrong_width_3)})
    judged = {int(c.statement.split()[4]): c for c in dying_relu.lu_published_claims(ours, wrong)}
    assert judged[3].verdict == "not reproduced"
    assert judged[3].published == pytest.approx(0.6316 + 0.05)
    assert "10 hidden layers" in judged[3].quantity
    assert all(judged[w].verdict == "reproduced" for w in (2, 4, 5, 10))
    # too few nets for the tolerance: the same right values can only be "partly"
    few = _lu_curves({w: list(v) for w, v in record.simulated.items()}, nets=2000)
    assert "partly" in {c.verdict for c in dying_relu.lu_published_claims(few, record)}


def test_nets_that_never_die_reproduce_no_width() -> None:
    """A broken estimator that finds no dead net (P = 0 at every depth) must fail every
    width, width 10 included, whose whole curve lies within 0.01 of zero."""
    record = LU_2019_BORN_DEAD
    never = _lu_curves({w: [0.0] * 20 for w in record.widths}, nets=100_000)
    judged = dying_relu.lu_published_claims(never, record)
    assert [c.verdict for c in judged] == ["not reproduced"] * 5
    assert dying_relu.lu_tolerance(record, 10) == pytest.approx(0.0038)
    assert dying_relu.lu_tolerance(record, 2) == dying_relu.LU_TOLERANCE


def test_bounds_check_fails_outside_their_bounds() -> None:
    """Their theorem's bounds hold by mathematics: a check of our estimator, which fails
    only when an estimate lies clearly outside them."""
    record = LU_2019_BORN_DEAD
    inside = _lu_curves({w: list(v) for w, v in record.simulated.items()}, nets=100_000)
    check = dying_relu.lu_bounds_check(inside)
    assert (check.kind, check.verdict) == ("check", "holds")
    # estimates resting on the attained lower bound (P = 0 at one hidden layer) are inside
    assert check.measured.startswith("100 of 100")
    above = {w: list(v) for w, v in record.simulated.items()}
    above[4][9] = upper_bound(4, 10) + 0.02  # above their upper bound at 10 hidden layers
    check = dying_relu.lu_bounds_check(_lu_curves(above, nets=100_000))
    assert check.verdict == "fails" and "width 4, 10 hidden layers" in check.detail
    # the same estimate on few nets is not clearly outside: no false alarm
    assert dying_relu.lu_bounds_check(_lu_curves(above, nets=500)).verdict == "holds"


def test_bounds_transcription_check_catches_a_wrong_curve() -> None:
    assert dying_relu.lu_bounds_transcription_check(LU_2019_BORN_DEAD).verdict == "holds"
    bounds = {w: dict(d) for w, d in LU_2019_BORN_DEAD.plotted_bounds.items()}
    bounds[5][10] = (0.0770, 0.3)  # not their upper bound at 10 hidden layers
    wrong: PublishedBornDead = dataclasses.replace(LU_2019_BORN_DEAD, plotted_bounds=bounds)
    assert dying_relu.lu_bounds_transcription_check(wrong).verdict == "fails"
