"""The bench figures: the critical-difference diagram draws the summary's own groups, and
every figure shows what its data holds (diverged runs included)."""

from __future__ import annotations

import numpy as np

from actlab.bench.ranking import rank_summary
from actlab.bench.statistics import leaderboards
from actlab.plot.bench import (
    CD_GROUP_GID,
    bench_figures,
    plot_critical_difference,
    plot_rank_heatmap,
    plot_seed_outcomes,
)
from actlab.plot.style import figure_to_png
from bench_fake_runs import DIVERGED, runs


def _records() -> list:
    rng = np.random.default_rng(5)
    made = []
    for t, task in enumerate(["digits", "mnist1d", "moons"]):
        table = {name: list(0.9 - 0.01 * i + 0.012 * rng.standard_normal(8) + 0.01 * t)
                 for i, name in enumerate(["relu", "gelu", "silu", "mish", "elu", "tanh"])}
        table["tanh"][3] = DIVERGED
        made += runs(table, task=task)
    return made


def drawn_groups(fig) -> list[tuple[str, ...]]:
    return [tuple(line.get_gid()[len(CD_GROUP_GID):].split(","))
            for ax in fig.axes for line in ax.get_lines()
            if (line.get_gid() or "").startswith(CD_GROUP_GID)]


def test_the_cd_diagram_draws_exactly_the_groups_the_text_names() -> None:
    summary = rank_summary(_records())
    assert summary.significant and len(summary.groups) >= 2  # a non-trivial case
    fig = plot_critical_difference(summary)
    assert drawn_groups(fig) == list(summary.groups)
    text = " ".join(summary.group_lines())
    for group in drawn_groups(fig):
        assert all(name in text for name in group)
    # a bar spans its group's mean ranks
    for line in fig.axes[0].get_lines():
        if (line.get_gid() or "").startswith(CD_GROUP_GID):
            group = line.get_gid()[len(CD_GROUP_GID):].split(",")
            ranks = [summary.mean_rank(n) for n in group]
            xs = line.get_xdata()
            assert min(xs) <= min(ranks) and max(xs) >= max(ranks)


def test_when_nothing_differs_one_bar_covers_every_activation() -> None:
    rng = np.random.default_rng(2)
    table = {name: list(0.8 + 0.01 * rng.standard_normal(5)) for name in "abcd"}
    summary = rank_summary(runs(table))
    assert not summary.significant
    assert drawn_groups(plot_critical_difference(summary)) == [summary.activations]


def test_diverged_runs_are_drawn_and_figures_render() -> None:
    records = _records()
    boards = leaderboards(records)
    fig = plot_seed_outcomes(boards)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts.count("diverged") == 3  # one marker row per panel with a diverged run
    heat = plot_rank_heatmap(boards)
    numbers = [t.get_text() for t in heat.axes[0].texts]
    assert len(numbers) == 6 * 3  # a mean rank per activation and task
    figures = bench_figures(records, boards, rank_summary(records))
    assert sorted(figures) == ["critical_difference", "learning_curves", "rank_heatmap",
                               "seed_outcomes"]
    for fig in figures.values():
        assert len(figure_to_png(fig, dpi=50)) > 2000
