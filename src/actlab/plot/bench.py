"""Figures of a bench: per-seed outcomes, learning curves, the critical-difference
diagram, and a heat map of mean ranks.  Data in (leaderboards, rank summaries, run
records), :class:`~matplotlib.figure.Figure` out; nothing here trains or tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from actlab.bench.ranking import RankSummary, task_rank_table
from actlab.bench.records import RunRecord
from actlab.bench.statistics import Leaderboard
from actlab.plot.style import FONT_SIZE, REFERENCE_LINE, new_figure, style_for

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DIVERGED_COLOUR = "#D55E00"
METRIC_LABELS = {"test_accuracy": "test accuracy", "test_loss": "test loss"}
CD_GROUP_GID = "cd-group:"  # gid prefix of a group bar: tests read the groups drawn back


def bench_figures(records: Sequence[RunRecord], boards: Sequence[Leaderboard],
                  summary: RankSummary) -> dict[str, Figure]:
    """Every bench figure by file stem: the CLI's ``bench plot`` and the report save these."""
    return {
        "seed_outcomes": plot_seed_outcomes(boards),
        "learning_curves": plot_learning_curves(records, summary.activations),
        "critical_difference": plot_critical_difference(summary),
        "rank_heatmap": plot_rank_heatmap(boards),
    }


def plot_seed_outcomes(boards: Sequence[Leaderboard]) -> Figure:
    """One panel per (task, model): every seed's test metric per activation (dots), the
    mean with its 95 % interval (bar), diverged runs as crosses below the axis' finished
    range; activations in leaderboard order, the leaders' names in bold."""
    fig, axes = new_figure(len(boards), 1, size=(7.0, 2.9 * max(len(boards), 1)))
    colours = activation_styles(name for board in boards for name in board.activations)
    for ax, board in zip(axes[:, 0], boards, strict=True):
        _seed_panel(ax, board, colours)
    fig.suptitle("Test metric of every seed (dots), mean and 95 % interval (bars)",
                 fontsize=FONT_SIZE + 1)
    return fig


def activation_styles(names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """One line style per activation, by name, so that an activation has the same colour
    in every panel and figure of a bench."""
    return {name: style_for(i) for i, name in enumerate(sorted(set(names)))}


def _seed_panel(ax: Axes, board: Leaderboard, styles: dict[str, dict[str, Any]]) -> None:
    x = np.arange(len(board.rows))
    finished = [v for row in board.rows for v in row.values]
    low, high = (min(finished), max(finished)) if finished else (0.0, 1.0)
    span = (high - low) or max(abs(high), 1.0) * 0.1
    diverged_at = low - 0.25 * span  # below every finished value: diverged ranks last
    jitter = np.random.default_rng(0)  # fixed: the same figure every time
    for i, row in enumerate(board.rows):
        colour = styles[row.activation]["color"]
        ax.scatter(i + jitter.uniform(-0.12, 0.12, len(row.values)), row.values, s=12,
                   color=colour, alpha=0.75, linewidths=0, zorder=3)
        if row.mean is not None and row.interval is not None:
            ax.errorbar(i + 0.28, row.mean, yerr=[[row.mean - row.interval[0]],
                                                  [row.interval[1] - row.mean]],
                        fmt="o", color="black", markersize=3.5, capsize=3, linewidth=1,
                        zorder=4)
        if row.diverged:
            ax.scatter(i + jitter.uniform(-0.12, 0.12, row.diverged),
                       np.full(row.diverged, diverged_at), marker="x", s=22,
                       color=DIVERGED_COLOUR, zorder=3)
    if board.diverged:
        ax.axhline(low - 0.12 * span, color=REFERENCE_LINE, linewidth=0.8, linestyle="--")
        ax.text(-0.45, diverged_at, "diverged", color=DIVERGED_COLOUR,
                fontsize=FONT_SIZE - 2, ha="left", va="center")
    labels = [row.activation + (f"\n({row.failed} failed)" if row.failed else "")
              for row in board.rows]
    ax.set_xticks(x, labels, fontsize=FONT_SIZE - 1, rotation=30, ha="right")
    for tick, row in zip(ax.get_xticklabels(), board.rows, strict=True):
        if row.activation in board.leaders.members:
            tick.set_fontweight("bold")
    ax.set_xlim(-0.5, len(board.rows) - 0.5)
    ax.set_ylim(diverged_at - 0.15 * span if board.diverged else low - 0.1 * span,
                high + 0.1 * span)
    ax.set_ylabel(METRIC_LABELS.get(board.metric, board.metric))
    seeds = board.seeds
    lead = "best" if board.leaders.best else "tied leaders"
    ax.set_title(f"{board.task} / {board.model}: {seeds} seed{'s' * (seeds != 1)}, "
                 f"bold: {lead}", fontsize=FONT_SIZE)


def plot_learning_curves(records: Sequence[RunRecord], order: Sequence[str] | None = None,
                         ) -> Figure:
    """One panel per (task, model): the mean training loss of each activation over its
    seeds (line) and the range over seeds (band), on a log scale; a diverged run's curve
    stops where it diverged."""
    cells: dict[tuple[str, str], list[RunRecord]] = {}
    for record in records:
        if record.status != "failed" and record.curve_steps:
            cells.setdefault((record.task, record.model), []).append(record)
    keys = sorted(cells)
    fig, axes = new_figure(1, max(len(keys), 1), size=(4.4 * max(len(keys), 1), 3.6))
    styles = activation_styles(r.activation for r in records)
    for ax, key in zip(axes[0], keys, strict=False):
        _curve_panel(ax, key, cells[key], order, styles)
    if not keys:
        axes[0][0].text(0.5, 0.5, "no learning curves recorded", ha="center",
                        transform=axes[0][0].transAxes)
    fig.suptitle("Training loss: mean over seeds (line), range over seeds (band)",
                 fontsize=FONT_SIZE + 1)
    return fig


def _curve_panel(ax: Axes, key: tuple[str, str], records: list[RunRecord],
                 order: Sequence[str] | None, styles: dict[str, dict[str, Any]]) -> None:
    names = sorted({r.activation for r in records})
    if order is not None:
        names = [n for n in order if n in names] + [n for n in names if n not in order]
    for name in names:
        by_step: dict[int, list[float]] = {}
        for r in records:
            if r.activation == name:
                for step, loss in zip(r.curve_steps, r.curve_loss, strict=False):
                    if math.isfinite(loss):
                        by_step.setdefault(int(step), []).append(float(loss))
        steps = np.array(sorted(by_step))
        if steps.size == 0:
            continue
        losses = [np.array(by_step[s]) for s in steps]
        style = styles[name]
        ax.plot(steps, [v.mean() for v in losses], label=name, **style)
        ax.fill_between(steps, [v.min() for v in losses], [v.max() for v in losses],
                        color=style["color"], alpha=0.12, linewidth=0)
    low, high = ax.get_ylim()
    if low > 0 and high / low > 10:  # a log scale only where the loss spans decades
        ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("training loss")
    ax.set_title(f"{key[0]} / {key[1]}", fontsize=FONT_SIZE)
    ax.legend(fontsize=FONT_SIZE - 2.5, ncols=2, loc="upper right")


def plot_critical_difference(summary: RankSummary) -> Figure:
    """The critical-difference diagram: activations on the mean-rank axis (1 = best, on
    the left), a bar under each group in ``summary.groups`` (activations that do not
    differ significantly), and the length of Nemenyi's critical difference above."""
    k = len(summary.activations)
    half = (k + 1) // 2
    fig, axes = new_figure(1, 1, size=(7.0, 1.6 + 0.28 * max(half, 1)))
    ax = axes[0][0]
    ax.set_axis_off()
    ax.grid(False)
    low, high = 1.0, float(max(k, 2))
    ax.set_xlim(low - 0.9, high + 0.9)
    ax.set_ylim(-(half + 1.2), 1.6)
    ax.plot([low, high], [0, 0], color="black", linewidth=1)
    for r in range(1, int(high) + 1):
        ax.plot([r, r], [0, 0.12], color="black", linewidth=1)
        ax.text(r, 0.22, str(r), ha="center", va="bottom", fontsize=FONT_SIZE - 1)
    for i, (name, rank) in enumerate(zip(summary.activations, summary.mean_ranks,
                                         strict=True)):
        left = i < half
        row = -(i + 1 if left else k - i) * 0.9 - 0.6
        end = low - 0.35 if left else high + 0.35
        ax.plot([rank, rank, end], [0, row, row], color="black", linewidth=0.8)
        ax.text(end + (-0.05 if left else 0.05), row, f"{name} ({rank:.2f})",
                ha="right" if left else "left", va="center", fontsize=FONT_SIZE - 0.5)
    for g, group in enumerate(summary.groups):
        ranks = [summary.mean_rank(name) for name in group]
        y = -0.25 - 0.18 * g
        (bar,) = ax.plot([min(ranks) - 0.04, max(ranks) + 0.04], [y, y], color="black",
                         linewidth=3.5, solid_capstyle="round")
        bar.set_gid(CD_GROUP_GID + ",".join(group))
    if summary.critical_difference is not None:
        cd = summary.critical_difference
        ax.plot([low, low + cd], [1.15, 1.15], color="black", linewidth=1.5)
        for x in (low, low + cd):
            ax.plot([x, x], [1.07, 1.23], color="black", linewidth=1)
        ax.text(low + cd / 2, 1.3, f"CD = {cd:.2f}", ha="center", va="bottom",
                fontsize=FONT_SIZE - 1)
    verdict = ("Friedman p = " + f"{summary.friedman_p:.2g}" if summary.friedman_p is not None
               else "too little data for the Friedman test")
    note = "" if summary.significant else "; not significant, so all tie"
    ax.set_title(f"Mean rank over {summary.describe_blocks()} ({verdict}{note})",
                 fontsize=FONT_SIZE)
    return fig


def plot_rank_heatmap(boards: Sequence[Leaderboard]) -> Figure:
    """Activation × (task, model) mean rank over seeds (1 = best), with the numbers."""
    names, columns, values = task_rank_table(boards)
    order = np.argsort(np.nanmean(values, axis=1)) if values.size else np.arange(len(names))
    values = values[order]
    names = [names[i] for i in order]
    fig, axes = new_figure(1, 1, size=(2.2 + 1.5 * max(len(columns), 1),
                                       1.0 + 0.32 * max(len(names), 1)))
    ax = axes[0][0]
    ax.grid(False)
    image = ax.imshow(np.ma.masked_invalid(values), cmap="viridis_r", aspect="auto",
                      vmin=1.0, vmax=max(float(np.nanmax(values)) if values.size else 2.0, 2.0))
    for (i, j), value in np.ndenumerate(values):
        if math.isfinite(value):
            ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=FONT_SIZE - 1.5,
                    color="white" if value > 0.5 * (1 + np.nanmax(values)) else "black")
    ax.set_xticks(np.arange(len(columns)), columns, fontsize=FONT_SIZE - 1.5, rotation=20,
                  ha="right")
    ax.set_yticks(np.arange(len(names)), names, fontsize=FONT_SIZE - 1)
    fig.colorbar(image, ax=ax, label="mean rank (1 = best)", shrink=0.9)
    ax.set_title("Mean rank over seeds per task", fontsize=FONT_SIZE)
    return fig
