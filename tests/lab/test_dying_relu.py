"""Dying ReLU: the claims' statistics on hand-made numbers, and the quick run's claims."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from actlab.lab import dying_relu


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
    result = dying_relu.run(dying_relu.Config.quick())
    kinds = {c.statement: c.kind for c in result.claims}
    assert kinds["High learning rates kill ReLU units"] == "claim"
    assert kinds["Leaky ReLU and PReLU units do not die"] == "check"
    trend = next(c for c in result.claims if c.statement.startswith("High learning"))
    config = dying_relu.Config.quick()
    assert trend.seeds == len(config.learning_rates) * config.train_seeds
