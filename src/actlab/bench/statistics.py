"""Per-task statistics of a bench: a leaderboard per (task, model) with intervals,
seed-paired comparisons with Holm's correction, effect sizes, and the leaders.

How outcomes count:

* **finished** runs give the test metric;
* a **diverged** run (its loss became NaN or infinite) is an outcome worse than every
  finished run.  It is never dropped: ranks and the rank-based tests treat it as the
  worst possible value (tied with other diverged runs), while means, medians and the mean
  paired difference are taken over finished runs only, with the diverged count beside them;
* a **failed** run (an exception: a bug or bad input) says nothing about the activation.
  It is listed separately and left out of every statistic.

Seeds are paired: seed s gave every activation the same data order and initial weights,
so two activations are compared on the seeds both have (Wilcoxon's signed-rank test, from
``scipy.stats``), and the p-values of every pair of one task are adjusted together with
Holm's step-down method (``statsmodels``).  An activation is *best* only when it beats
every other significantly; otherwise the leaders form a :class:`TiedGroup`: the top one and
every activation not significantly worse than it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from actlab.bench.records import RunRecord
from actlab.errors import UserError
from actlab.lab.statistics import t_interval

ALPHA = 0.05  # family-wise error rate of one task's pairwise comparisons


@dataclass(frozen=True)
class ActivationSummary:
    """One activation on one (task, model): its outcomes over the seeds."""

    activation: str
    finished: int
    diverged: int
    failed: int
    values: tuple[float, ...]  # the test metric of each finished run, by seed
    mean: float | None  # over finished runs (None when none finished)
    interval: tuple[float, float] | None  # 95 % Student-t interval of that mean
    median: float | None  # over finished runs
    mean_rank: float  # mean over seeds of its rank among the activations (1 = best)

    @property
    def runs(self) -> int:
        """Runs that count: finished and diverged (failed ones do not)."""
        return self.finished + self.diverged


@dataclass(frozen=True)
class PairwiseComparison:
    """``first`` against ``second`` on the seeds both ran without failing."""

    first: str
    second: str
    pairs: int  # seeds both have (finished or diverged)
    wins: int  # seeds where first did better ...
    losses: int  # ... worse ...
    ties: int  # ... and the same (both diverged, or equal metric)
    statistic: float  # Wilcoxon's W: the smaller of the two signed-rank sums (as scipy gives)
    p_value: float  # two-sided, before correction
    p_holm: float  # after Holm's correction over every pair of the task
    # matched-pairs rank-biserial correlation in [-1, 1]: (R+ - R-) / (R+ + R-) over the
    # ranked non-zero differences; > 0 means first tends to do better
    rank_biserial: float
    both_finished: int  # seeds where both finished: the mean difference is over these
    mean_difference: float | None  # first - second in the metric's own units
    difference_interval: tuple[float, float] | None  # its 95 % Student-t interval
    alpha: float

    @property
    def significant(self) -> bool:
        return self.p_holm < self.alpha

    @property
    def winner(self) -> str | None:
        """The activation that does significantly better, or None."""
        if not self.significant:
            return None
        return self.first if self.rank_biserial > 0 else self.second

    def swapped(self) -> PairwiseComparison:
        """The same comparison read the other way round."""
        interval = self.difference_interval
        return PairwiseComparison(
            first=self.second, second=self.first, pairs=self.pairs, wins=self.losses,
            losses=self.wins, ties=self.ties, statistic=self.statistic, p_value=self.p_value,
            p_holm=self.p_holm, rank_biserial=-self.rank_biserial,
            both_finished=self.both_finished,
            mean_difference=None if self.mean_difference is None else -self.mean_difference,
            difference_interval=None if interval is None else (-interval[1], -interval[0]),
            alpha=self.alpha)


@dataclass(frozen=True)
class TiedGroup:
    """The leaders: ``best`` when one activation beats every other significantly,
    otherwise the top one and those not significantly worse than it."""

    members: tuple[str, ...]  # the top activation first, then the others in rank order
    best: str | None  # set only when the top one significantly beats every other
    others: int  # how many activations it was compared with
    alpha: float
    # when even a perfect sweep of wins could not be significant with so few seeds:
    # the number of shared seeds that would be needed (None: enough seeds)
    seeds_needed: int | None = None

    @property
    def top(self) -> str:
        return self.members[0]

    def sentence(self) -> str:
        """The leaders in one sentence (the same words in the CLI and the report)."""
        if not self.members:
            return "Every run failed: nothing was measured."
        if self.others == 0:
            return f"Only {self.top} was run: nothing to compare it with."
        if self.best is not None:
            return (f"{self.best} is best: it beats each of the {self.others} others "
                    f"significantly (Holm-adjusted p < {self.alpha:g}).")
        if len(self.members) == self.others + 1:
            text = (f"No activation is best: none differs significantly from the top one "
                    f"({self.top}); all {len(self.members)} tie.")
        else:
            rest = ", ".join(self.members[1:])
            text = (f"No activation is best: {self.top} leads, but {rest} "
                    f"{'is' if len(self.members) == 2 else 'are'} not significantly worse; "
                    f"these {len(self.members)} form the tied group.")
        if self.seeds_needed is not None:
            text += (f" (Too few seeds to tell: a significant difference needs at least "
                     f"{self.seeds_needed} shared seeds.)")
        return text


@dataclass(frozen=True)
class Leaderboard:
    """Every activation run on one (task, model), best first, with the statistics above."""

    task: str
    model: str
    metric: str  # "test_accuracy" or "test_loss"
    higher_is_better: bool
    rows: tuple[ActivationSummary, ...]  # by mean rank, best first
    comparisons: tuple[PairwiseComparison, ...]  # every pair once, in row order
    leaders: TiedGroup
    failed: tuple[RunRecord, ...]  # left out of every statistic, listed here
    alpha: float

    @property
    def activations(self) -> tuple[str, ...]:
        return tuple(row.activation for row in self.rows)

    @property
    def seeds(self) -> int:
        """The largest number of counted runs of one activation."""
        return max((row.runs for row in self.rows), default=0)

    @property
    def diverged(self) -> int:
        return sum(row.diverged for row in self.rows)

    def row(self, activation: str) -> ActivationSummary:
        for row in self.rows:
            if row.activation == activation:
                return row
        raise UserError(f"{activation!r} was not run on {self.task} with {self.model} "
                        f"(run there: {', '.join(self.activations)})")

    def comparison(self, first: str, second: str) -> PairwiseComparison:
        """``first`` against ``second`` (either order); a name not run is a UserError."""
        for name in (first, second):
            if not self.row(name).runs:
                raise UserError(f"every run of {name} on {self.task} with {self.model} failed: "
                                "nothing to compare")
        for c in self.comparisons:
            if (c.first, c.second) == (first, second):
                return c
            if (c.first, c.second) == (second, first):
                return c.swapped()
        raise UserError(f"cannot compare {first} with itself")


def score(record: RunRecord) -> float:
    """The outcome as "higher is better": the metric, negated for a loss; -inf when the
    run diverged (worse than any finished run).  Not defined for a failed run."""
    if record.status == "diverged":
        return -math.inf
    if record.status != "finished" or record.test_metric is None:
        raise ValueError(f"run {record.key} ({record.status}) has no outcome to score")
    value = float(record.test_metric)
    if math.isnan(value):  # a finished run with a NaN test metric did diverge, in effect
        return -math.inf
    return value if record.higher_is_better else -value


def leaderboards(records: Iterable[RunRecord], alpha: float = ALPHA) -> list[Leaderboard]:
    """One :class:`Leaderboard` per (task, model) of ``records``, sorted by task and model."""
    cells: dict[tuple[str, str], list[RunRecord]] = {}
    for record in records:
        cells.setdefault((record.task, record.model), []).append(record)
    return [leaderboard(cells[cell], alpha) for cell in sorted(cells)]


def leaderboard(records: Sequence[RunRecord], alpha: float = ALPHA) -> Leaderboard:
    """The leaderboard of runs that all share one task and model."""
    if not records:
        raise UserError("no runs to rank")
    first = records[0]
    if any((r.task, r.model) != (first.task, first.model) for r in records):
        raise ValueError("leaderboard() takes the runs of one (task, model); "
                         "use leaderboards() for several")
    if any((r.metric, r.higher_is_better) != (first.metric, first.higher_is_better)
           for r in records):
        raise UserError(f"the runs on {first.task} with {first.model} measure different "
                        f"metrics ({sorted({r.metric for r in records})}); keep them in "
                        "separate databases")
    table = _outcome_table(records)
    failed = tuple(sorted((r for r in records if r.status == "failed"),
                          key=lambda r: (r.activation, r.seed)))
    mean_ranks = _mean_ranks_over_seeds(table)
    summaries = [_summary(name, runs, records, mean_ranks[name]) for name, runs in table.items()]
    summaries.sort(key=lambda s: (s.mean_rank, -_sortable(s.median, first.higher_is_better),
                                  s.activation))
    # an activation whose every run failed was not measured: listed, but not compared
    order = [s.activation for s in summaries if s.runs]
    comparisons = _pairwise(order, table, alpha)
    return Leaderboard(task=first.task, model=first.model, metric=first.metric,
                       higher_is_better=first.higher_is_better, rows=tuple(summaries),
                       comparisons=tuple(comparisons),
                       leaders=_leaders(order, comparisons, table, alpha), failed=failed,
                       alpha=alpha)


def _outcome_table(records: Sequence[RunRecord]) -> dict[str, dict[int, RunRecord]]:
    """activation -> seed -> its counted (finished or diverged) run; every activation
    with any run appears, even if all its runs failed."""
    table: dict[str, dict[int, RunRecord]] = {}
    for record in records:
        runs = table.setdefault(record.activation, {})
        if record.status == "failed":
            continue
        if record.seed in runs:
            raise UserError(
                f"the database holds two runs of {record.activation} on {record.task} with "
                f"{record.model}, seed {record.seed} (different training settings?); "
                "keep each sweep in its own database")
        runs[record.seed] = record
    return table


def _mean_ranks_over_seeds(table: dict[str, dict[int, RunRecord]]) -> dict[str, float]:
    """Rank the activations within each seed (1 = best, ties share the mean rank, diverged
    runs tie last) and average each activation's ranks over its seeds."""
    from scipy.stats import rankdata

    seeds = sorted({seed for runs in table.values() for seed in runs})
    collected: dict[str, list[float]] = {name: [] for name in table}
    for seed in seeds:
        present = [name for name, runs in table.items() if seed in runs]
        ranks = rankdata([-score(table[name][seed]) for name in present])
        for name, rank in zip(present, ranks, strict=True):
            collected[name].append(float(rank))
    return {name: float(np.mean(r)) if r else math.inf for name, r in collected.items()}


def _summary(name: str, runs: dict[int, RunRecord], records: Sequence[RunRecord],
             mean_rank: float) -> ActivationSummary:
    values = tuple(float(runs[s].test_metric) for s in sorted(runs)  # type: ignore[arg-type]
                   if math.isfinite(score(runs[s])))
    failed = sum(1 for r in records if r.activation == name and r.status == "failed")
    return ActivationSummary(
        activation=name, finished=len(values), diverged=len(runs) - len(values), failed=failed,
        values=values, mean=float(np.mean(values)) if values else None,
        interval=t_interval(values) if values else None,
        median=float(np.median(values)) if values else None, mean_rank=mean_rank)


def _sortable(value: float | None, higher_is_better: bool) -> float:
    if value is None:
        return -math.inf
    return value if higher_is_better else -value


def compare_runs(first: str, second: str, runs_first: dict[int, RunRecord],
                 runs_second: dict[int, RunRecord], alpha: float = ALPHA,
                 p_holm: float | None = None) -> PairwiseComparison:
    """Wilcoxon's signed-rank test of ``first`` against ``second`` on their shared seeds.

    Diverged runs enter as the worst outcome: a seed where only one of the two diverged is
    a difference larger than any between finished runs (all such differences tie), a seed
    where both diverged is a tie.  Rank tests see only the order of the differences, so
    this is exact, not an approximation.  ``p_holm`` is filled in by the caller that
    knows the whole family of comparisons (default: the raw p-value).
    """
    from scipy.stats import rankdata, wilcoxon

    seeds = sorted(set(runs_first) & set(runs_second))
    a = np.array([score(runs_first[s]) for s in seeds])
    b = np.array([score(runs_second[s]) for s in seeds])
    with np.errstate(invalid="ignore"):
        differences = a - b  # > 0: first did better; -inf - -inf gives NaN: a tie
    differences[np.isnan(differences)] = 0.0
    finite = np.isfinite(differences)
    beyond = 2.0 * float(np.max(np.abs(differences[finite]), initial=0.0)) + 1.0
    differences[~finite] = np.sign(differences[~finite]) * beyond
    nonzero = differences[differences != 0.0]
    if nonzero.size:
        ranks = rankdata(np.abs(nonzero))
        plus, minus = float(ranks[nonzero > 0].sum()), float(ranks[nonzero < 0].sum())
        rank_biserial = (plus - minus) / (plus + minus)
        test = wilcoxon(nonzero, zero_method="wilcox", alternative="two-sided")
        statistic, p_value = float(test.statistic), float(test.pvalue)
    else:  # every seed a tie: no evidence either way
        rank_biserial, statistic, p_value = 0.0, 0.0, 1.0
    both = [s for s in seeds
            if math.isfinite(score(runs_first[s])) and math.isfinite(score(runs_second[s]))]
    metric_differences = [float(runs_first[s].test_metric)  # type: ignore[arg-type]
                          - float(runs_second[s].test_metric)  # type: ignore[arg-type]
                          for s in both]
    return PairwiseComparison(
        first=first, second=second, pairs=len(seeds), wins=int((differences > 0).sum()),
        losses=int((differences < 0).sum()), ties=int((differences == 0).sum()),
        statistic=statistic, p_value=p_value, p_holm=p_value if p_holm is None else p_holm,
        rank_biserial=rank_biserial, both_finished=len(both),
        mean_difference=float(np.mean(metric_differences)) if both else None,
        difference_interval=t_interval(metric_differences) if both else None, alpha=alpha)


def _pairwise(order: list[str], table: dict[str, dict[int, RunRecord]],
              alpha: float) -> list[PairwiseComparison]:
    """Every pair (in leaderboard order), Holm-adjusted together."""
    from dataclasses import replace

    raw = [compare_runs(a, b, table[a], table[b], alpha) for a, b in combinations(order, 2)]
    adjusted = holm([c.p_value for c in raw], alpha)
    return [replace(c, p_holm=p) for c, p in zip(raw, adjusted, strict=True)]


def holm(p_values: Sequence[float], alpha: float = ALPHA) -> list[float]:
    """Holm's step-down adjusted p-values (statsmodels' ``multipletests``)."""
    if not p_values:
        return []
    from statsmodels.stats.multitest import multipletests

    _, adjusted, _, _ = multipletests(list(p_values), alpha=alpha, method="holm")
    return [float(p) for p in adjusted]


def seeds_needed(comparisons: int, alpha: float = ALPHA) -> int:
    """The fewest shared seeds with which a two-sided signed-rank test can reach
    significance after Holm's correction over ``comparisons`` tests: the smallest p-value
    of n seeds is 2 / 2**n (every seed won), and Holm's first step asks p <= alpha / m."""
    return max(1, math.ceil(math.log2(2 * max(comparisons, 1) / alpha)))


def _leaders(order: list[str], comparisons: list[PairwiseComparison],
             table: dict[str, dict[int, RunRecord]], alpha: float) -> TiedGroup:
    if not order:
        return TiedGroup(members=(), best=None, others=0, alpha=alpha)
    top = order[0]
    against_top = [c if c.first == top else c.swapped()
                   for c in comparisons if top in (c.first, c.second)]
    beaten = {c.second for c in against_top if c.winner == top}
    members = (top, *[name for name in order[1:] if name not in beaten])
    best = top if len(members) == 1 and len(order) > 1 else None
    needed = seeds_needed(len(comparisons), alpha)
    shared = min((c.pairs for c in against_top), default=0)
    return TiedGroup(members=members, best=best, others=len(order) - 1, alpha=alpha,
                     seeds_needed=needed if best is None and shared < needed else None)
