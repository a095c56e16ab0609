"""Initialiser statistics: variance within a tolerance that follows from the sample size."""

from __future__ import annotations

import math

import numpy as np
import pytest

from actlab.models import initialise

FAN_IN, FAN_OUT = 200, 300
N = FAN_IN * FAN_OUT
EXPECTED = {
    "uniform": 1 / (3 * FAN_IN),
    "glorot": 2 / (FAN_IN + FAN_OUT),
    "glorot_normal": 2 / (FAN_IN + FAN_OUT),
    "he": 2 / FAN_IN,
    "lecun": 1 / FAN_IN,
}
# kurtosis μ4/σ⁴ of the distribution: sd of the sample variance is σ²·√((κ - 1)/N)
KURTOSIS = {"uniform": 9 / 5, "glorot": 9 / 5, "glorot_normal": 3, "he": 3, "lecun": 3}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_variance_and_mean(name: str) -> None:
    w = initialise(name, FAN_IN, FAN_OUT, np.random.default_rng(0))
    assert w.shape == (FAN_IN, FAN_OUT) and w.dtype == np.float64
    var = EXPECTED[name]
    sd_of_variance = var * math.sqrt((KURTOSIS[name] - 1) / N)
    assert abs(w.var() - var) < 5 * sd_of_variance
    assert abs(w.mean()) < 5 * math.sqrt(var / N)
    bound = math.sqrt(3 * var)
    if KURTOSIS[name] < 3:  # uniform: inside ±√(3σ²) and reaching close to it
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    else:  # normal: tails beyond the uniform's bound
        assert np.abs(w).max() > 1.5 * bound


def test_seeded_and_unknown_name() -> None:
    a = initialise("he", 3, 4, np.random.default_rng(1))
    b = initialise("he", 3, 4, np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="unknown initialiser"):
        initialise("orthogonal", 3, 4, np.random.default_rng(0))
