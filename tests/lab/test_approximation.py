"""Approximation: smoothness measured on the curve itself, and the fit claim on the median."""

from __future__ import annotations

import numpy as np
import pytest

from actlab.lab import approximation


def test_largest_bend_is_the_biggest_slope_jump() -> None:
    x = np.linspace(-2, 2, 401)
    assert approximation.largest_bend(x, 3 * x) == pytest.approx(0.0, abs=1e-12)
    assert approximation.largest_bend(x, np.abs(x)) == pytest.approx(2.0)
    kinks = np.maximum(0, x) + 0.5 * np.maximum(0, x - 1)
    assert approximation.largest_bend(x, kinks) == pytest.approx(1.0)


@pytest.mark.parametrize(("errors", "verdict"), [
    ([0.05] * 7 + [0.5] * 3, "reproduced"),  # median 0.05, but 7 of 10 is not significant
    ([0.05] * 9 + [0.5], "reproduced"),
    ([0.2] * 6 + [0.05] * 4, "not reproduced"),
])
def test_fit_claim_follows_the_median_not_the_best_seed(errors: list[float],
                                                        verdict: str) -> None:
    claim = approximation._fit_claim(np.asarray(errors), approximation.Config())
    assert claim.measured == pytest.approx(float(np.median(errors)))
    assert claim.seeds == len(errors)
    below = sum(e < 0.1 for e in errors)
    from scipy import stats

    p = stats.binomtest(below, len(errors), 0.5, alternative="greater").pvalue
    expected = verdict if p < 0.05 or verdict == "not reproduced" else "partly"
    assert claim.verdict == expected


def test_quick_run_claims() -> None:
    result = approximation.run(approximation.Config.quick())
    smoother = next(c for c in result.claims if "smoother" in c.statement)
    fits = result.curves["fits"]["square"]
    assert smoother.seeds == len(fits["parallel"]["pieces"]) >= 5
    assert smoother.measured == pytest.approx(
        np.mean(fits["parallel"]["pieces"]) - np.mean(fits["serial"]["pieces"]))
    fit = next(c for c in result.claims if "approximates x² on [-10" in c.statement)
    assert fit.measured == pytest.approx(np.median(fits["parallel"]["rmse_clean"]))
    assert fit.measured > min(fits["parallel"]["rmse_clean"])  # not the best seed
    assert next(c for c in result.claims if "19 parameters" in c.statement).kind == "check"
