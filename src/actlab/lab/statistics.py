"""Confidence intervals the experiments put beside their numbers.

* :func:`t_interval`: Student-t interval of a mean over seeds;
* :func:`bootstrap_median`, :func:`bootstrap_ratio`: percentile-bootstrap intervals of a
  median and of a ratio of medians (for censored or skewed counts such as iterations);
* :func:`wilson_interval`: Wilson score interval of binomial proportions (Monte Carlo).

Everything random takes a seed: the same seed gives the same interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def t_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float]:
    """Student-t confidence interval for the mean (a single value gives a zero-width one)."""
    from scipy.special import stdtrit  # Student-t quantile (scipy.stats is slow to import)

    v = np.asarray(values, dtype=float)
    mean = float(v.mean())
    if v.size < 2:
        return mean, mean
    half = float(stdtrit(v.size - 1, 0.5 + level / 2) * v.std(ddof=1) / math.sqrt(v.size))
    return mean - half, mean + half


def _resampled_medians(values: Sequence[float], resamples: int,
                       rng: np.random.Generator) -> np.ndarray:
    """Medians of ``resamples`` bootstrap samples (drawn with replacement) of ``values``."""
    v = np.asarray(values, dtype=float)
    return np.median(rng.choice(v, (resamples, v.size)), axis=1)


def _percentiles(samples: np.ndarray, level: float) -> tuple[float, float]:
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(samples, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_median(values: Sequence[float], resamples: int, seed: int,
                     level: float = 0.95) -> tuple[float, float]:
    """Percentile-bootstrap interval of the median."""
    rng = np.random.default_rng(seed)
    return _percentiles(_resampled_medians(values, resamples, rng), level)


def speedup_ratio(slow: Sequence[float], fast: Sequence[float]) -> float:
    """median(slow) / median(fast): how many times fewer iterations the fast one needs."""
    return float(np.median(slow) / np.median(fast))


def bootstrap_ratio(slow: Sequence[float], fast: Sequence[float], resamples: int,
                    seed: int, level: float = 0.95) -> tuple[float, float]:
    """Percentile-bootstrap interval of :func:`speedup_ratio`, both samples resampled
    independently."""
    rng = np.random.default_rng(seed)
    s = _resampled_medians(slow, resamples, rng)
    f = _resampled_medians(fast, resamples, rng)
    return _percentiles(s / f, level)


def wilson_interval(
    successes: np.ndarray, n: int, z: float = 1.96
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for binomial proportions (95 % with the default ``z``)."""
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # at p = 0 or 1 an end is 0 or 1 up to rounding (-3e-17 seen): keep it a probability
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
