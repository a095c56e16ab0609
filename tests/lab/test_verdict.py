"""The lab's one verdict rule, on hand-made samples."""

from __future__ import annotations

import json

import numpy as np
import pytest

from actlab.lab.result import Claim, Result
from actlab.lab.verdict import VERDICT_RANK, estimate_verdict

SOURCE = "a test"

# ten per-seed differences, clearly positive (all ten above zero)
CLEAR = [0.8, 1.1, 0.9, 1.3, 0.7, 1.0, 1.2, 0.95, 1.05, 0.85]
# ten per-seed differences centred near zero with a slightly positive mean
UNCLEAR = [0.5, -0.4, 0.3, -0.6, 0.7, -0.2, 0.1, -0.3, 0.4, -0.3]


def test_significant_effect_in_the_claimed_direction_is_reproduced() -> None:
    claim = Claim.effect("x beats y", SOURCE, "larger", differences=CLEAR)
    assert claim.verdict == "reproduced"
    assert claim.kind == "claim" and claim.seeds == 10
    assert claim.interval is not None and 0 < claim.interval[0] < claim.measured
    assert claim.measured == pytest.approx(np.mean(CLEAR))


def test_the_same_effect_claimed_the_other_way_is_not_reproduced() -> None:
    claim = Claim.effect("x loses to y", SOURCE, "smaller", differences=CLEAR,
                         direction="less")
    assert claim.verdict == "not reproduced"


def test_right_sign_without_significance_is_partly() -> None:
    assert np.mean(UNCLEAR) > 0
    for test in ("wilcoxon", "t"):
        claim = Claim.effect("x beats y", SOURCE, "larger", differences=UNCLEAR, test=test)
        assert claim.verdict == "partly", test


def test_paired_samples_are_tested_on_their_differences() -> None:
    y = np.linspace(1.0, 10.0, 10)  # a large spread between seeds, shared by both arms
    x = y + np.asarray(CLEAR)
    paired = Claim.effect("x beats y", SOURCE, "larger", samples=(x, y))
    unpaired = Claim.effect("x beats y", SOURCE, "larger", samples=(x, y), paired=False)
    assert paired.verdict == "reproduced"
    assert unpaired.verdict == "partly"  # the seed-to-seed spread hides the effect


def test_a_wide_interval_covering_the_published_value_is_not_a_reproduction() -> None:
    noisy = [0.2, 1.9, 0.5, 1.6, 1.0]  # mean 1.04, interval about [0.2, 1.9]
    claim = Claim.estimate("the value is about 1", SOURCE, 1.0, samples=noisy, tolerance=0.1)
    assert claim.interval is not None
    assert claim.interval[0] < 1.0 < claim.interval[1]
    assert claim.verdict == "partly"
    precise = [0.99, 1.01, 1.0, 1.02, 0.98]
    assert Claim.estimate("about 1", SOURCE, 1.0, samples=precise,
                          tolerance=0.1).verdict == "reproduced"
    far = [1.5, 1.6, 1.55, 1.45, 1.5]
    assert Claim.estimate("about 1", SOURCE, 1.0, samples=far,
                          tolerance=0.1).verdict == "not reproduced"


def test_widening_the_interval_never_raises_the_verdict() -> None:
    for published in np.linspace(-1.0, 1.0, 21):
        for centre in np.linspace(-1.0, 1.0, 21):
            ranks = [VERDICT_RANK[estimate_verdict(published, centre, (centre - h, centre + h),
                                                   0.3)]
                     for h in np.linspace(0.0, 2.0, 41)]
            assert ranks == sorted(ranks, reverse=True), (published, centre)


@pytest.mark.parametrize("data", [CLEAR, UNCLEAR, [-v for v in CLEAR]])
def test_ten_seeds_to_five_or_three_never_upgrades(data: list[float]) -> None:
    rank = VERDICT_RANK
    ten_effect = Claim.effect("x beats y", SOURCE, "larger", differences=data)
    five_effect = Claim.effect("x beats y", SOURCE, "larger", differences=data[:5])
    assert rank[five_effect.verdict] <= rank[ten_effect.verdict]
    ten = Claim.estimate("about 1", SOURCE, 1.0, samples=np.add(data, 0.0), tolerance=0.5)
    five = Claim.estimate("about 1", SOURCE, 1.0, samples=np.add(data[:5], 0.0),
                          tolerance=0.5)
    assert rank[five.verdict] <= rank[ten.verdict]
    with pytest.raises(ValueError, match="at least 5 seeds"):
        Claim.effect("x beats y", SOURCE, "larger", differences=data[:3])
    with pytest.raises(ValueError, match="at least 5 seeds"):
        Claim.estimate("about 1", SOURCE, 1.0, samples=data[:3], tolerance=0.5)


def test_fewer_seeds_of_the_same_effect_lose_significance() -> None:
    # the same per-seed effect, seen on 10 seeds and on the first 5: five seeds cannot
    # reach a smaller p-value, so the verdict can only stay or fall
    ten = Claim.effect("x beats y", SOURCE, "larger", differences=CLEAR, test="t")
    five = Claim.effect("x beats y", SOURCE, "larger", differences=CLEAR[:5], test="t")
    assert ten.verdict == five.verdict == "reproduced"
    assert ten.interval is not None and five.interval is not None
    assert five.interval[1] - five.interval[0] > ten.interval[1] - ten.interval[0]


def test_deterministic_measurements_need_no_seeds() -> None:
    exact = Claim.exact("max error 2^-6", SOURCE, 2.0 ** -6, 2.0 ** -6 + 1e-12, tolerance=1e-9)
    assert exact.verdict == "reproduced" and exact.seeds == 1 and exact.interval is None
    assert Claim.exact("x", SOURCE, 1.0, 1.15, tolerance=0.1).verdict == "partly"
    assert Claim.exact("x", SOURCE, 1.0, 1.5, tolerance=0.1).verdict == "not reproduced"
    sign = Claim.effect("x beats y", SOURCE, "larger", differences=[0.1], deterministic=True)
    assert sign.verdict == "reproduced" and sign.seeds == 1


def test_rates_use_an_exact_binomial_test_and_a_two_sided_interval() -> None:
    claim = Claim.rate("most nets die", SOURCE, 0.9, successes=90, trials=100)
    assert claim.verdict == "reproduced" and claim.seeds == 100
    assert claim.interval is not None and 0.8 < claim.interval[0] < 0.9 < claim.interval[1] < 1
    assert Claim.rate("most die", SOURCE, 0.9, successes=3, trials=5).verdict == "partly"


def test_checks_hold_or_fail_and_are_kept_apart() -> None:
    holds = Claim.check("XOR is not linearly separable", SOURCE, 0.75, 0.75, True)
    fails = Claim.check("XOR is not linearly separable", SOURCE, 0.75, 1.0, False)
    assert (holds.kind, holds.verdict, holds.failed_check) == ("check", "holds", False)
    assert (fails.kind, fails.verdict, fails.failed_check) == ("check", "fails", True)
    result = Result("demo", {}, claims=[holds, fails])
    assert result.failed_checks == [fails]


def test_result_json_carries_kind_seeds_and_interval() -> None:
    claims = [Claim.effect("x beats y", SOURCE, "larger", differences=CLEAR,
                           quantity="loss of y minus loss of x"),
              Claim.check("a fact", SOURCE, 1, 1, True)]
    text = Result("demo", {}, claims=claims).to_json()
    stored = json.loads(text)["claims"]
    assert [c["kind"] for c in stored] == ["claim", "check"]
    assert [c["seeds"] for c in stored] == [10, 1]
    assert stored[0]["interval"] == pytest.approx(list(claims[0].interval or ()))
    assert stored[1]["interval"] is None
    assert Result.from_json(text).claims == claims


def test_an_old_result_without_kind_seeds_interval_still_loads() -> None:
    old = {"experiment": "demo", "config": {}, "metrics": {}, "tables": {}, "curves": {},
           "seconds": 1.0, "claims": [{"statement": "s", "source": SOURCE, "published": 1,
                                       "measured": 1, "verdict": "reproduced", "detail": ""}]}
    claim = Result.from_json(json.dumps(old)).claims[0]
    assert (claim.kind, claim.seeds, claim.interval) == ("claim", 1, None)


def _reproduced_rate(n: int, true_mean: float, published: float, tolerance: float,
                     rule: str, trials: int = 2000) -> float:
    """How often the estimate rule (or the old "interval covers" rule) says reproduced for
    ``n`` seeds drawn around ``true_mean`` with spread 0.3 (many simulated studies)."""
    from scipy.special import stdtrit

    values = np.random.default_rng(12345).normal(true_mean, 0.3, (trials, n))
    means = values.mean(axis=1)
    half = stdtrit(n - 1, 0.975) * values.std(axis=1, ddof=1) / np.sqrt(n)
    if rule == "ours":
        verdicts = [estimate_verdict(published, m, (m - h, m + h), tolerance)
                    for m, h in zip(means, half, strict=True)]
        return float(np.mean([v == "reproduced" for v in verdicts]))
    # the rule this replaces: the published value inside our interval
    return float(np.mean((means - half <= published) & (published <= means + half)))


def test_three_seeds_reproduce_a_wrong_value_no_more_than_rarely() -> None:
    # a value that truly differs from the published one by more than the tolerance: the old
    # rule "reproduces" it more often the fewer seeds there are; ours almost never does
    wrong_ours = [_reproduced_rate(n, 1.15, 1.0, 0.1, "ours") for n in (3, 10)]
    wrong_old = [_reproduced_rate(n, 1.15, 1.0, 0.1, "covers") for n in (3, 10)]
    assert wrong_old[0] > 0.8 and wrong_old[0] > wrong_old[1]
    assert max(wrong_ours) <= 0.01
    # a value that truly equals the published one: more seeds make it easier, never fewer
    right = [_reproduced_rate(n, 1.0, 1.0, 0.3, "ours") for n in (3, 5, 10, 20)]
    assert right == sorted(right) and right[-1] > 0.9
