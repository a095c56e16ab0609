"""The bench's statistics: a small example checked by hand, the tests against scipy,
diverged and failed runs, the tied group against a single best, and CD groups."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats

from actlab.bench.ranking import cd_groups, nemenyi_critical_difference, rank_summary
from actlab.bench.statistics import leaderboard, leaderboards, seeds_needed
from actlab.errors import UserError
from bench_fake_runs import DIVERGED, FAILED, runs

# Three activations, six paired seeds (test accuracy):
#
#   seed      0     1     2     3     4     5
#   a       0.80  0.82  0.84  0.86  0.88  0.90
#   b       0.79  0.80  0.81  0.82  0.83  0.84
#   c       0.78  0.78  0.78  0.78  0.78  0.91
HAND = {
    "a": [0.80, 0.82, 0.84, 0.86, 0.88, 0.90],
    "b": [0.79, 0.80, 0.81, 0.82, 0.83, 0.84],
    "c": [0.78, 0.78, 0.78, 0.78, 0.78, 0.91],
}


def test_the_hand_example_wilcoxon_holm_and_effect_sizes() -> None:
    board = leaderboard(runs(HAND))
    # Ranks within each seed: a, b, c are 1, 2, 3 on seeds 0-4; on seed 5 c=1, a=2, b=3.
    # Mean ranks: a = (5 + 2)/6 = 7/6, b = (10 + 3)/6 = 13/6, c = (15 + 1)/6 = 16/6.
    assert board.activations == ("a", "b", "c")
    assert [row.mean_rank for row in board.rows] == pytest.approx([7 / 6, 13 / 6, 16 / 6])
    a_b, a_c = board.comparison("a", "b"), board.comparison("a", "c")
    b_c = board.comparison("b", "c")
    # a - b = +.01 ... +.06: all six positive, W- = 0; exact two-sided p = 2/2^6 = 0.03125.
    assert a_b.p_value == pytest.approx(2 / 64)
    assert (a_b.wins, a_b.losses, a_b.ties) == (6, 0, 0)
    # a - c = +.02 +.04 +.06 +.08 +.10 -.01: the negative one has rank 1, W- = 1;
    # P(W <= 1) = |{}, {1}| / 64, two-sided p = 4/64 = 0.0625.
    assert a_c.p_value == pytest.approx(4 / 64)
    # b - c = +.01 ... +.05, -.07: W- = 6 (rank of .07); 14 of the 64 sign patterns have
    # W <= 6 (sums 0,1,2,3,3,4,4,5,5,5,6,6,6,6), two-sided p = 28/64 = 0.4375.
    assert b_c.p_value == pytest.approx(28 / 64)
    # Holm: sorted 0.03125*3 = 0.09375; 0.0625*2 = 0.125; 0.4375*1 = 0.4375.
    assert [a_b.p_holm, a_c.p_holm, b_c.p_holm] == pytest.approx([0.09375, 0.125, 0.4375])
    # matched-pairs rank-biserial r = (R+ - R-)/(R+ + R-): 21/21, 19/21, 9/21.
    assert [a_b.rank_biserial, a_c.rank_biserial, b_c.rank_biserial] == pytest.approx(
        [1.0, 19 / 21, 9 / 21])
    # mean of a - b = 0.21/6 = 0.035; sd of .01...06 = 0.0187083, t(0.975, 5) = 2.570582:
    # half width 2.570582 * 0.0187083 / sqrt(6) = 0.0196333.
    assert a_b.mean_difference == pytest.approx(0.035)
    assert a_b.difference_interval == pytest.approx((0.035 - 0.0196333, 0.035 + 0.0196333),
                                                    abs=1e-6)
    assert board.comparison("b", "a").rank_biserial == pytest.approx(-1.0)
    assert board.comparison("b", "a").mean_difference == pytest.approx(-0.035)


def test_the_hand_example_has_no_best_and_says_why() -> None:
    leaders = leaderboard(runs(HAND)).leaders
    assert leaders.best is None
    assert leaders.members == ("a", "b", "c")  # no Holm p below 0.05
    # the smallest p of n seeds is 2/2^n; Holm's first step needs p <= 0.05/3:
    # 2^n >= 120 -> n >= 7 seeds
    assert leaders.seeds_needed == 7
    assert "No activation is best" in leaders.sentence()
    assert "7 shared seeds" in leaders.sentence()


def test_the_hand_example_friedman_and_critical_difference() -> None:
    summary = rank_summary(runs(HAND))
    # rank sums a = 7, b = 13, c = 16 over N = 6 blocks, k = 3:
    # chi2 = 12/(N k (k+1)) * (49 + 169 + 256) - 3 N (k+1) = 79 - 72 = 7; p = exp(-7/2)
    assert summary.friedman_statistic == pytest.approx(7.0)
    assert summary.friedman_p == pytest.approx(math.exp(-3.5))
    # CD = q(0.05; 3, inf)/sqrt(2) * sqrt(3*4/(6*6)) = 3.3145/1.4142 * 0.57735 = 1.3530
    assert summary.critical_difference == pytest.approx(1.3530, abs=2e-4)
    # a-b: 1.0 < CD, b-c: 0.5 < CD, a-c: 1.5 > CD
    assert summary.groups == (("a", "b"), ("b", "c"))
    assert summary.leaders == ("a", "b")
    assert summary.best is None
    assert "a ranks first, but b is within the critical difference" in summary.sentence()


def test_a_single_best_needs_every_comparison_significant() -> None:
    # a beats b and c on all 7 seeds: p = 2/2^7 = 0.015625 each; Holm 3 * p = 0.047 < 0.05
    seven = {"a": [0.9 + 0.001 * s for s in range(7)],
             "b": [0.8 + 0.002 * s for s in range(7)],
             "c": [0.7 + 0.003 * s for s in range(7)]}
    leaders = leaderboard(runs(seven)).leaders
    assert leaders.best == "a"
    assert leaders.members == ("a",)
    assert leaders.seeds_needed is None
    assert leaders.sentence().startswith("a is best")
    # the same table with one seed fewer cannot be significant: a tied group of three
    six = {name: values[:6] for name, values in seven.items()}
    assert leaderboard(runs(six)).leaders.best is None
    assert leaderboard(runs(six)).leaders.members == ("a", "b", "c")


def test_the_tied_group_holds_the_activations_not_significantly_worse() -> None:
    rng = np.random.default_rng(3)
    base = rng.normal(0.9, 0.01, 12)
    table = {"a": list(base + 0.05), "b": list(base + 0.05 + rng.normal(0, 0.002, 12)),
             "c": list(base)}
    board = leaderboard(runs(table))
    assert board.comparison("a", "c").significant
    assert board.comparison("b", "c").significant
    assert not board.comparison("a", "b").significant
    assert set(board.leaders.members) == {"a", "b"}
    assert board.leaders.best is None
    assert "form the tied group" in board.leaders.sentence()


def test_against_scipy_on_random_data() -> None:
    rng = np.random.default_rng(0)
    table = {name: list(rng.normal(0.8 + 0.01 * i, 0.02, 10))
             for i, name in enumerate(["p", "q", "r", "s"])}
    board = leaderboard(runs(table))
    for c in board.comparisons:
        x, y = np.array(table[c.first]), np.array(table[c.second])
        expected = scipy.stats.wilcoxon(x - y)
        assert c.p_value == pytest.approx(expected.pvalue)
        assert c.statistic == pytest.approx(expected.statistic)
    raw = [c.p_value for c in board.comparisons]
    order = np.argsort(raw)
    m = len(raw)
    # Holm by its definition: running maximum of (m - i) p_(i), capped at 1
    expected_holm = np.minimum(1, np.maximum.accumulate([(m - i) * raw[j]
                                                         for i, j in enumerate(order)]))
    assert [board.comparisons[j].p_holm for j in order] == pytest.approx(expected_holm)
    summary = rank_summary(runs(table))
    friedman = scipy.stats.friedmanchisquare(*table.values())
    assert summary.friedman_statistic == pytest.approx(friedman.statistic)
    assert summary.friedman_p == pytest.approx(friedman.pvalue)
    for row in board.rows:
        values = table[row.activation]
        assert row.mean == pytest.approx(np.mean(values))
        assert row.median == pytest.approx(np.median(values))
        half = scipy.stats.t.ppf(0.975, 9) * np.std(values, ddof=1) / np.sqrt(10)
        assert row.interval == pytest.approx((np.mean(values) - half, np.mean(values) + half))


def test_a_diverged_run_ranks_last_and_is_never_dropped() -> None:
    table = {name: list(values) for name, values in HAND.items()}
    table["a"][2] = DIVERGED  # a was best on seed 2; now it is last there
    board = leaderboard(runs(table))
    a = board.row("a")
    assert (a.finished, a.diverged, a.failed) == (5, 1, 0)
    assert a.mean == pytest.approx(np.mean([0.80, 0.82, 0.86, 0.88, 0.90]))  # over finished
    # ranks of a: 1, 1, 3, 1, 1, 2 -> 9/6
    assert a.mean_rank == pytest.approx(9 / 6)
    a_b = board.comparison("a", "b")
    assert a_b.pairs == 6 and a_b.both_finished == 5
    assert (a_b.wins, a_b.losses) == (5, 1)
    # the diverged seed is the largest difference (rank 6) and negative: W- = 6
    expected = scipy.stats.wilcoxon([0.01, 0.02, -1.0, 0.04, 0.05, 0.06])
    assert a_b.p_value == pytest.approx(expected.pvalue)
    assert a_b.rank_biserial == pytest.approx((15 - 6) / 21)
    # rank-based across tasks too: seed 2's block ranks a last
    summary = rank_summary(runs(table))
    assert summary.blocks == 6
    assert summary.mean_rank("a") == pytest.approx(9 / 6)


def test_an_activation_that_always_diverges_stays_on_the_board_last() -> None:
    table = {**HAND, "d": [DIVERGED] * 6}
    board = leaderboard(runs(table))
    assert board.activations[-1] == "d"
    d = board.row("d")
    assert d.mean is None and d.interval is None and d.diverged == 6
    assert d.mean_rank == 4.0
    assert board.comparison("c", "d").wins == 6
    both = dict(table, e=[DIVERGED] * 6)
    tie = leaderboard(runs(both)).comparison("d", "e")
    assert (tie.ties, tie.p_value, tie.rank_biserial) == (6, 1.0, 0.0)
    assert rank_summary(runs(both)).mean_ranks[-2:] == (4.5, 4.5)


def test_failed_runs_are_listed_and_left_out() -> None:
    table = {name: list(values) for name, values in HAND.items()}
    table["b"][0] = FAILED
    board = leaderboard(runs(table))
    b = board.row("b")
    assert (b.finished, b.diverged, b.failed) == (5, 0, 1)
    assert [(r.activation, r.seed) for r in board.failed] == [("b", 0)]
    assert board.comparison("a", "b").pairs == 5  # seed 0 is not a pair
    # across tasks, the block of seed 0 is incomplete: left out and counted
    summary = rank_summary(runs(table))
    assert (summary.blocks, summary.dropped_blocks) == (5, 1)


def test_cd_groups_are_maximal_runs_within_the_critical_difference() -> None:
    names = ["a", "b", "c", "d", "e"]
    assert cd_groups(names, [1.0, 1.5, 2.2, 3.9, 4.0], 1.3) == (("a", "b", "c"), ("d", "e"))
    assert cd_groups(names, [1.0, 2.0, 3.0, 4.0, 5.0], 1.5) == (
        ("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"))
    assert cd_groups(names, [1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == ()
    # Demsar (2006): k = 4, N = 14 gives CD = 2.569 * sqrt(20/84) = 1.25 at 0.05
    assert nemenyi_critical_difference(4, 14) == pytest.approx(1.2536, abs=1e-3)


def test_when_friedman_does_not_reject_everything_ties() -> None:
    rng = np.random.default_rng(1)
    table = {name: list(rng.normal(0.8, 0.01, 6)) for name in ["a", "b", "c", "d"]}
    summary = rank_summary(runs(table))
    assert summary.friedman_p is not None and summary.friedman_p >= 0.05
    assert summary.groups == (summary.activations,)
    assert summary.best is None
    assert "all 4 tie" in summary.sentence()


def test_across_tasks_in_task_blocks_ranks_medians() -> None:
    records = []
    medians = []
    for t, shift in enumerate([0.0, 0.01, -0.02, 0.03, 0.0]):
        table = {"a": [0.9 + shift] * 3, "b": [0.85 + shift * (t % 2)] * 3,
                 "c": [0.88 - shift] * 3}
        medians.append([0.9 + shift, 0.85 + shift * (t % 2), 0.88 - shift])
        records += runs(table, task=f"task{t}")
    summary = rank_summary(records, blocks="tasks")
    assert summary.blocks == 5 and summary.block_kind == "tasks"
    expected = scipy.stats.friedmanchisquare(*np.array(medians).T)
    assert summary.friedman_statistic == pytest.approx(expected.statistic)
    ranks = scipy.stats.rankdata(-np.array(medians), axis=1).mean(axis=0)
    assert summary.mean_rank("a") == pytest.approx(ranks[0])


def test_leaderboards_split_by_task_and_model_and_activations_missing_somewhere() -> None:
    records = runs(HAND, task="digits") + runs({"a": HAND["a"], "b": HAND["b"]},
                                                task="mnist1d", model="cnn1d")
    boards = leaderboards(records)
    assert [(b.task, b.model) for b in boards] == [("digits", "mlp"), ("mnist1d", "cnn1d")]
    summary = rank_summary(records)
    assert summary.excluded == ("c",)
    assert summary.activations == ("a", "b")
    assert summary.blocks == 12


def test_loss_metrics_rank_lower_as_better() -> None:
    table = {"small": [0.1, 0.2, 0.15, 0.12, 0.11, 0.13],
             "large": [0.3, 0.4, 0.35, 0.32, 0.31, 0.33]}
    board = leaderboard(runs(table, metric="test_loss"))
    assert board.activations == ("small", "large")
    c = board.comparison("small", "large")
    assert c.rank_biserial == 1.0 and c.mean_difference == pytest.approx(-0.2)


def test_two_runs_of_one_seed_are_a_user_error() -> None:
    records = runs(HAND) + runs({"a": HAND["a"]})
    with pytest.raises(UserError, match="two runs of a on digits"):
        leaderboard(records)
    with pytest.raises(UserError, match="was not run"):
        leaderboard(runs(HAND)).row("zzz")


def test_seeds_needed_matches_the_exact_smallest_p() -> None:
    for m in (1, 3, 28):
        n = seeds_needed(m)
        assert 2 / 2**n <= 0.05 / m < 2 / 2 ** (n - 1)
    assert seeds_needed(28) == 11  # eight activations: 28 pairs


def test_an_activation_whose_every_run_failed_is_listed_but_not_compared() -> None:
    table = {**HAND, "broken": [FAILED] * 6}
    board = leaderboard(runs(table))
    assert board.activations[-1] == "broken"
    assert board.row("broken").failed == 6 and board.row("broken").runs == 0
    assert all("broken" not in (c.first, c.second) for c in board.comparisons)
    assert "broken" not in board.leaders.members
    summary = rank_summary(runs(table))
    assert summary.excluded == ("broken",) and summary.blocks == 6
    nothing = leaderboard(runs({"x": [FAILED] * 2, "y": [FAILED] * 2}))
    assert nothing.leaders.sentence() == "Every run failed: nothing was measured."
