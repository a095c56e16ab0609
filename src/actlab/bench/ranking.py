"""Across tasks: average ranks, the Friedman test, and the Nemenyi critical difference.

The question is the lecture notes' one: is any activation best on *these* tasks?  Each
**block** is one set of paired runs in which every activation is ranked (1 = best, ties
share the mean rank, a diverged run ranks below every finished one):

* ``blocks="runs"`` (the default): a block is one (task, model, seed).  Seeds are
  paired, so every activation in a block saw the same data order and initial weights;
  the conclusions hold for these tasks, not for tasks in general.
* ``blocks="tasks"``: a block is one (task, model) and the activations are ranked by
  their median outcome there (Demšar's design: the conclusion generalises over tasks, but
  it needs many tasks to say anything).

The Friedman test (``scipy.stats.friedmanchisquare``) asks whether the mean ranks differ
at all.  If it rejects, two activations differ when their mean ranks are further apart
than Nemenyi's critical difference CD = q_alpha * sqrt(k (k + 1) / (6 N)), with q_alpha
from ``scipy.stats.studentized_range``; if it does not, every activation ties.  The
groups of activations that do not differ are computed here once, in
:attr:`RankSummary.groups`; the text and the critical-difference diagram both draw them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from actlab.bench.records import RunRecord
from actlab.bench.statistics import ALPHA, Leaderboard, score
from actlab.errors import UserError

BlockKind = Literal["runs", "tasks"]


@dataclass(frozen=True)
class RankSummary:
    """Mean ranks across blocks, the Friedman test and the groups that do not differ."""

    activations: tuple[str, ...]  # by mean rank, best first
    mean_ranks: tuple[float, ...]  # aligned with activations (1 = best)
    block_kind: BlockKind
    blocks: int  # N: complete blocks ranked
    dropped_blocks: int  # blocks left out: an activation failed or was not run there
    excluded: tuple[str, ...]  # activations not run on every (task, model): left out
    tasks: tuple[tuple[str, str], ...]  # the (task, model) pairs the blocks come from
    friedman_statistic: float | None  # None when fewer than 3 activations or 2 blocks
    friedman_p: float | None
    critical_difference: float | None  # Nemenyi's CD at alpha
    groups: tuple[tuple[str, ...], ...]  # maximal sets that do not differ, each >= 2 names
    alpha: float

    def mean_rank(self, activation: str) -> float:
        return self.mean_ranks[self.activations.index(activation)]

    @property
    def significant(self) -> bool:
        return self.friedman_p is not None and self.friedman_p < self.alpha

    @property
    def leaders(self) -> tuple[str, ...]:
        """The top activation and every one not significantly different from it."""
        if not self.activations:
            return ()
        top = self.activations[0]
        for group in self.groups:
            if top in group:
                return group
        return (top,)

    @property
    def best(self) -> str | None:
        """The top activation when it differs significantly from every other one."""
        if len(self.activations) > 1 and len(self.leaders) == 1:
            return self.activations[0]
        return None

    def describe_blocks(self) -> str:
        unit = ("(task, model, seed) runs" if self.block_kind == "runs"
                else "(task, model) pairs")
        return f"{self.blocks} {unit} from {len(self.tasks)} task/model pair(s)"

    def sentence(self) -> str:
        """The answer in one or two sentences (the CLI and the report show these words)."""
        if len(self.activations) < 2:
            return "Fewer than two activations were run on every task: nothing to rank."
        if self.friedman_p is None:
            return (f"Too little data for the Friedman test ({self.describe_blocks()}, "
                    f"{len(self.activations)} activations): no activation can be called best.")
        friedman = (f"Friedman test over {self.describe_blocks()}: "
                    f"chi² = {self.friedman_statistic:.2f}, p = {_p(self.friedman_p)}.")
        if not self.significant:
            return (friedman + " The mean ranks do not differ significantly: no activation "
                    f"is best; all {len(self.activations)} tie.")
        cd = f"Nemenyi CD = {self.critical_difference:.2f}"
        if self.best is not None:
            return friedman + (f" {self.best} is best: its mean rank is ahead of every other "
                               f"by more than the critical difference ({cd}).")
        top, rest = self.leaders[0], ", ".join(self.leaders[1:])
        return friedman + (f" No activation is best: {top} ranks first, but {rest} "
                           f"{'is' if len(self.leaders) == 2 else 'are'} within the critical "
                           f"difference of it ({cd}).")

    def group_lines(self) -> list[str]:
        """One line per group that does not differ (the bars of the CD diagram)."""
        return [", ".join(f"{name} ({self.mean_rank(name):.2f})" for name in group)
                for group in self.groups]


def rank_summary(records: Iterable[RunRecord], blocks: BlockKind = "runs",
                 alpha: float = ALPHA) -> RankSummary:
    """Rank the activations across every (task, model) of ``records``."""
    runs: dict[tuple[str, str], dict[str, dict[int, RunRecord]]] = {}
    for record in records:
        cell = runs.setdefault((record.task, record.model), {})
        by_seed = cell.setdefault(record.activation, {})
        if record.status != "failed":
            by_seed[record.seed] = record
    if not runs:
        raise UserError("no runs to rank")
    tasks = tuple(sorted(runs))
    # measured on a task: at least one finished or diverged run there (not only failures)
    everywhere = set.intersection(*({n for n, r in runs[t].items() if r} for t in tasks))
    every_name = set().union(*(set(runs[t]) for t in tasks))
    names = sorted(everywhere)
    excluded = tuple(sorted(every_name - everywhere))
    table, dropped = (_run_blocks(runs, tasks, names) if blocks == "runs"
                      else _task_blocks(runs, tasks, names))
    return _summarise(table, names, blocks, dropped, excluded, tasks, alpha)


def _run_blocks(runs: dict[tuple[str, str], dict[str, dict[int, RunRecord]]],
                tasks: tuple[tuple[str, str], ...], names: list[str]) -> tuple[np.ndarray, int]:
    """Scores, one row per complete (task, model, seed), one column per activation."""
    rows, dropped = [], 0
    for task in tasks:
        seeds = sorted(set().union(*(set(runs[task][n]) for n in names))) if names else []
        for seed in seeds:
            if all(seed in runs[task][n] for n in names):
                rows.append([score(runs[task][n][seed]) for n in names])
            else:
                dropped += 1
    return np.array(rows, dtype=float).reshape(len(rows), len(names)), dropped


def _task_blocks(runs: dict[tuple[str, str], dict[str, dict[int, RunRecord]]],
                 tasks: tuple[tuple[str, str], ...], names: list[str]) -> tuple[np.ndarray, int]:
    """Median score of each activation on each (task, model) (diverged runs count as the
    worst outcome, so an activation that diverged on most seeds has median -inf)."""
    rows, dropped = [], 0
    for task in tasks:
        if all(runs[task][n] for n in names):
            rows.append([float(np.median([score(r) for r in runs[task][n].values()]))
                         for n in names])
        else:
            dropped += 1
    return np.array(rows, dtype=float).reshape(len(rows), len(names)), dropped


def _summarise(table: np.ndarray, names: list[str], blocks: BlockKind, dropped: int,
               excluded: tuple[str, ...], tasks: tuple[tuple[str, str], ...],
               alpha: float) -> RankSummary:
    from scipy.stats import rankdata

    n_blocks, k = table.shape
    if n_blocks:
        ranks = rankdata(-table, axis=1)  # 1 = best; -inf (diverged) ranks last, tied
        mean_ranks = ranks.mean(axis=0)
    else:
        mean_ranks = np.full(k, math.nan)
    order = sorted(range(k), key=lambda i: (mean_ranks[i], names[i]))
    activations = tuple(names[i] for i in order)
    ordered_ranks = tuple(float(mean_ranks[i]) for i in order)
    statistic = p_value = cd = None
    if k >= 3 and n_blocks >= 2:
        statistic, p_value = _friedman(table)
        cd = nemenyi_critical_difference(k, n_blocks, alpha)
    if p_value is not None and p_value < alpha and cd is not None:
        groups = cd_groups(activations, ordered_ranks, cd)
    else:  # no test, or no difference: everything ties
        groups = (activations,) if k >= 2 else ()
    return RankSummary(activations=activations, mean_ranks=ordered_ranks, block_kind=blocks,
                       blocks=n_blocks, dropped_blocks=dropped, excluded=excluded, tasks=tasks,
                       friedman_statistic=statistic, friedman_p=p_value,
                       critical_difference=cd, groups=groups, alpha=alpha)


def _friedman(table: np.ndarray) -> tuple[float, float]:
    from scipy.stats import friedmanchisquare

    if np.all(table == table[:, :1]):  # every block a complete tie: nothing differs
        return 0.0, 1.0
    # rank-based, so -inf (diverged) is ranked like any value; a finite stand-in keeps
    # scipy's arithmetic free of infinities without changing any rank
    finite = np.where(np.isfinite(table), table, np.nan)
    floor = float(np.nanmin(finite)) - 1.0 if np.isfinite(finite).any() else 0.0
    table = np.where(np.isfinite(table), table, floor)
    result = friedmanchisquare(*table.T)
    return float(result.statistic), float(result.pvalue)


def nemenyi_critical_difference(k: int, n_blocks: int, alpha: float = ALPHA) -> float:
    """Nemenyi's critical difference of mean ranks for k treatments over N blocks."""
    from scipy.stats import studentized_range

    q_alpha = float(studentized_range.ppf(1 - alpha, k, np.inf)) / math.sqrt(2)
    return q_alpha * math.sqrt(k * (k + 1) / (6 * n_blocks))


def cd_groups(activations: Sequence[str], mean_ranks: Sequence[float],
              cd: float) -> tuple[tuple[str, ...], ...]:
    """Maximal runs of consecutive activations (in mean-rank order) whose mean ranks lie
    within ``cd`` of each other: the bars of a critical-difference diagram."""
    groups: list[tuple[str, ...]] = []
    for start in range(len(activations)):
        end = start
        while end + 1 < len(activations) and mean_ranks[end + 1] - mean_ranks[start] < cd:
            end += 1
        group = tuple(activations[start:end + 1])
        if len(group) > 1 and not any(set(group) <= set(g) for g in groups):
            groups.append(group)
    return tuple(groups)


def task_rank_table(boards: Sequence[Leaderboard]) -> tuple[list[str], list[str], np.ndarray]:
    """Activations x (task, model) mean ranks over seeds, for the heat map: (row names,
    column names, values with NaN where an activation was not run on a task)."""
    names = sorted({row.activation for board in boards for row in board.rows})
    columns = [f"{board.task} / {board.model}" for board in boards]
    values = np.full((len(names), len(boards)), np.nan)
    for j, board in enumerate(boards):
        for row in board.rows:
            values[names.index(row.activation), j] = row.mean_rank
    return names, columns, values


def _p(p: float) -> str:
    return f"{p:.2g}" if p >= 1e-3 else f"{p:.1e}"
