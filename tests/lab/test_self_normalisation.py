"""Self-normalisation: the propagation on several seeds, its moments against mathematics
worked out here, and claims that follow from the per-seed numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from actlab.lab import self_normalisation


def test_selu_stays_at_the_fixed_point_through_layers_on_every_seed() -> None:
    config = self_normalisation.Config(depth=20, width=128, batch=200, seeds=5)
    means, variances = self_normalisation.propagate("selu", config)
    assert means.shape == variances.shape == (5, 20)
    assert np.all(np.abs(means) < 0.1)
    assert np.all(np.abs(variances - 1.0) < 0.15)
    # the seeds are independent nets: their trajectories differ
    assert len({round(float(v), 12) for v in variances[:, -1]}) == 5


def test_relu_variance_halves_per_layer_under_lecun_init() -> None:
    """z ~ N(0, q) per unit given the layer below, so E relu(z)² = q/2 and
    E relu(z) = √(q/2π): the variance q(½ − 1/2π) halves from layer to layer."""
    config = self_normalisation.Config(depth=4, width=256, batch=400, seeds=4)
    means, variances = self_normalisation.propagate("relu", config)
    ratios = variances[:, 1:] / variances[:, :-1]
    assert np.mean(ratios) == pytest.approx(0.5, abs=0.05)
    assert np.mean(variances[:, 0]) == pytest.approx(0.5 - 1 / (2 * math.pi), rel=0.03)
    assert np.mean(means[:, 0]) == pytest.approx(1 / math.sqrt(2 * math.pi), rel=0.05)


def test_activations_share_inputs_and_weights_for_a_seed() -> None:
    """Pairing: propagating together or one at a time gives the same numbers."""
    config = self_normalisation.Config(depth=5, width=32, batch=16, seeds=5)
    together = self_normalisation.propagate_all(("selu", "tanh"), config)
    alone = self_normalisation.propagate("tanh", config)
    np.testing.assert_array_equal(together["tanh"][1], alone[1])


def test_distance_from_the_fixed_point() -> None:
    assert self_normalisation.distance_from_fixed_point(np.array([0.0]), np.array([1.0])) == 0
    assert self_normalisation.distance_from_fixed_point(
        np.array([-0.5]), np.array([math.e]))[0] == pytest.approx(1.5)


def test_quick_claims_follow_from_the_seeds() -> None:
    result = self_normalisation.run(self_normalisation.Config.quick())
    claims = {c.statement.split(" through")[0]: c for c in result.claims}
    mean_claim = claims["SELU activations keep mean ≈ 0"]
    final_means = result.curves["selu"]["final_mean"]
    assert mean_claim.kind == "claim" and mean_claim.seeds == len(final_means) >= 5
    assert mean_claim.measured == pytest.approx(np.mean(final_means))
    low, high = mean_claim.interval
    assert low < mean_claim.measured < high
    drift = next(c for c in result.claims if "further" in c.statement)
    assert drift.seeds == 5 and drift.measured > 0
    assert drift.verdict == "reproduced"  # relu's and tanh's variances collapse on every seed
    assert [c.kind for c in result.claims].count("check") == 3


def test_a_variance_tolerance_the_interval_cannot_fit_is_not_reproduced() -> None:
    """The estimate rule: a tolerance narrower than our interval cannot give 'reproduced'."""
    config = self_normalisation.Config.quick()
    import dataclasses

    strict = dataclasses.replace(config, variance_tolerance=1e-6)
    result = self_normalisation.run(strict)
    variance = next(c for c in result.claims if "variance ≈ 1" in c.statement)
    assert variance.verdict != "reproduced"
