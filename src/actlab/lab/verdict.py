"""The one verdict rule of the lab: how a measurement earns "reproduced".

Every claim of every experiment is judged here, by one of three rules:

* **an effect** ("X is larger than Y", "the ratio exceeds 1"): *reproduced* when our
  estimate lies on the claimed side of the null value *and* a one-sided test across seeds
  rejects "no effect" at 5 % (:data:`ALPHA`); *partly* when the side agrees but the test
  does not reject; *not reproduced* when the estimate lies on the other side (or on the
  null). Paired comparisons use a paired test (Wilcoxon signed-rank or paired t-test on
  the per-seed differences); unpaired ones Mann-Whitney U or Welch's t-test; counts of
  successes an exact binomial test.
* **an estimate** ("the value is about P"): *reproduced* when our whole 95 % interval
  lies within ``published ± tolerance`` -- so the interval is at most ``2 · tolerance``
  wide and every value we cannot exclude is within tolerance of the published one;
  *partly* when our point estimate is within tolerance but the interval reaches outside
  (too few or too noisy seeds to tell); *not reproduced* when even the point estimate
  is further than the tolerance.
* **an exact value** (a deterministic computation, one "seed"): *reproduced* within the
  tolerance, *partly* within ``partly_factor`` times it, *not reproduced* beyond.

Why not "the published value lies inside our interval"? A wide interval covers more,
so fewer or noisier seeds would make that rule easier to pass, and more seeds would make
it harder for a true difference far below the tolerance. Under the rules above a wider
interval (or a larger p-value) can only lower a verdict, never raise it.

Stochastic claims need at least :data:`MIN_SEEDS` independent runs; fewer is a
``ValueError`` (a programming error in the experiment, not a user error).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

Samples = Sequence[float] | np.ndarray  # one value per seed

Verdict = Literal["reproduced", "partly", "not reproduced"]
CheckOutcome = Literal["holds", "fails"]
Direction = Literal["greater", "less"]
PairedTest = Literal["wilcoxon", "t"]
UnpairedTest = Literal["mannwhitney", "welch"]

ALPHA = 0.05  # significance level of every effect test
LEVEL = 0.95  # confidence level of every interval
MIN_SEEDS = 5  # independent runs a stochastic claim must rest on

VERDICT_RANK: dict[str, int] = {"not reproduced": 0, "partly": 1, "reproduced": 2}


@dataclass(frozen=True)
class TestResult:
    """The outcome of one significance test, as a claim records it."""

    estimate: float  # mean difference (or rate) in the claim's units
    p_value: float  # one-sided, in the claimed direction
    interval: tuple[float, float]  # 95 % interval of ``estimate``
    seeds: int  # independent runs (pairs, samples or trials) behind it
    test: str  # e.g. "Wilcoxon signed-rank (one-sided)"


def require_seeds(seeds: int, what: str = "a stochastic claim") -> None:
    """Refuse a stochastic measurement resting on fewer than :data:`MIN_SEEDS` runs."""
    if seeds < MIN_SEEDS:
        raise ValueError(f"{what} needs at least {MIN_SEEDS} seeds, got {seeds} "
                         "(mark it deterministic if it is an exact computation)")


def effect_verdict(estimate: float, p_value: float, direction: Direction,
                   null: float = 0.0) -> Verdict:
    """The effect rule: the claimed side and significant -> reproduced; the side only ->
    partly; otherwise not reproduced."""
    if not (math.isfinite(estimate) and math.isfinite(p_value)):
        return "not reproduced"
    right_side = estimate > null if direction == "greater" else estimate < null
    if not right_side:
        return "not reproduced"
    return "reproduced" if p_value < ALPHA else "partly"


def estimate_verdict(published: float, estimate: float, interval: tuple[float, float],
                     tolerance: float) -> Verdict:
    """The estimate rule: the interval inside ``published ± tolerance`` -> reproduced; the
    point estimate inside it -> partly; otherwise not reproduced."""
    low, high = interval
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance}")
    if not all(math.isfinite(v) for v in (estimate, low, high)):
        return "not reproduced"
    if published - tolerance <= low and high <= published + tolerance:
        return "reproduced"
    if abs(estimate - published) <= tolerance:
        return "partly"
    return "not reproduced"


def exact_verdict(published: float, measured: float, tolerance: float,
                  partly_factor: float = 2.0) -> Verdict:
    """The rule for a deterministic number: within tolerance, within ``partly_factor``
    times it, or beyond."""
    if not math.isfinite(measured):
        return "not reproduced"
    gap = abs(measured - published)
    if gap <= tolerance:
        return "reproduced"
    return "partly" if gap <= partly_factor * tolerance else "not reproduced"


def mean_interval(values: Samples) -> tuple[float, float]:
    """95 % Student-t interval of the mean (zero width for a single value)."""
    from actlab.lab.statistics import t_interval

    return t_interval(np.asarray(values, dtype=float).tolist(), LEVEL)


def paired_test(differences: Samples, direction: Direction, *,
                test: PairedTest = "wilcoxon", null: float = 0.0) -> TestResult:
    """One-sided test that the mean of ``differences`` lies on ``direction``'s side of
    ``null`` (paired data: one difference per seed)."""
    from scipy import stats

    d = np.asarray(differences, dtype=float)
    shifted = d - null
    if test == "wilcoxon":
        if np.all(shifted == 0):
            p = 1.0
        else:
            p = float(stats.wilcoxon(shifted, alternative=direction,
                                     zero_method="zsplit").pvalue)
        name = "Wilcoxon signed-rank (one-sided)"
    elif test == "t":
        p = 1.0 if np.ptp(shifted) == 0 and shifted[0] == 0 else float(
            stats.ttest_1samp(shifted, 0.0, alternative=direction).pvalue)
        name = "t-test on the differences (one-sided)"
    else:
        raise ValueError(f"unknown paired test {test!r}")
    if math.isnan(p):  # all differences equal and non-zero: no spread to test against
        p = 0.0 if (shifted[0] > 0) == (direction == "greater") else 1.0
    return TestResult(float(d.mean()), p, mean_interval(d), int(d.size), name)


def unpaired_test(first: Samples, second: Samples, direction: Direction, *,
                  test: UnpairedTest = "mannwhitney") -> TestResult:
    """One-sided test that ``first`` is larger (``"greater"``) or smaller than ``second``,
    for independent samples; the estimate is the difference of the means, its interval
    Welch's."""
    from scipy import stats

    a = np.asarray(first, dtype=float)
    b = np.asarray(second, dtype=float)
    if test == "mannwhitney":
        p = float(stats.mannwhitneyu(a, b, alternative=direction).pvalue)
        name = "Mann-Whitney U (one-sided)"
    elif test == "welch":
        p = float(stats.ttest_ind(a, b, equal_var=False, alternative=direction).pvalue)
        name = "Welch t-test (one-sided)"
    else:
        raise ValueError(f"unknown unpaired test {test!r}")
    welch = stats.ttest_ind(a, b, equal_var=False)
    low, high = welch.confidence_interval(LEVEL)
    if math.isnan(p):
        p = 1.0
    return TestResult(float(a.mean() - b.mean()), p, (float(low), float(high)),
                      int(min(a.size, b.size)), name)


def binomial_test(successes: int, trials: int, direction: Direction,
                  null: float = 0.5) -> TestResult:
    """Exact one-sided binomial test of a success rate against ``null``; the interval is
    Wilson's."""
    from scipy import stats

    result = stats.binomtest(successes, trials, null, alternative=direction)
    # the interval is two-sided whatever the test's side (a one-sided one reaches 0 or 1)
    ci = stats.binomtest(successes, trials, null).proportion_ci(LEVEL, method="wilson")
    return TestResult(successes / trials, float(result.pvalue), (float(ci.low), float(ci.high)),
                      trials, "exact binomial (one-sided)")
