"""Figures of the MNIST-1D baselines: accuracy against the published numbers, learning
curves, and the bench's figure of the activation comparison."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.mnist1d_baselines import (
    MODEL_TITLES,
    PUBLISHED_ACCURACY,
    PUBLISHED_MEAN_LOSS,
    ActivationComparison,
)
from actlab.lab.result import Result
from actlab.lab.statistics import t_interval
from actlab.plot.bench import plot_seed_outcomes
from actlab.plot.style import new_figure, style_for


def figures(result: Result) -> dict[str, Figure]:
    out = {"accuracy": _accuracy(result), "learning_curves": _learning_curves(result)}
    if "activations" in result.curves:
        out["activation_comparison"] = _activation_comparison(result)
    return out


def _activation_comparison(result: Result) -> Figure:
    """The bench's per-seed figure of the comparison: mean training loss (the claim's
    quantity, with the published values) and test accuracy, per activation."""
    loss, accuracy = ActivationComparison.from_dict(result.curves["activations"]).boards()
    fig = plot_seed_outcomes([loss, accuracy])
    loss_axes, accuracy_axes = fig.axes[:2]
    published = [(i, PUBLISHED_MEAN_LOSS[row.activation]) for i, row in enumerate(loss.rows)
                 if row.activation in PUBLISHED_MEAN_LOSS]
    if published:
        x, y = zip(*published, strict=True)
        loss_axes.scatter(np.asarray(x) - 0.28, y, marker="s", s=28, color="#666666",
                          zorder=4, label="published (one run)")
        low, high = loss_axes.get_ylim()
        loss_axes.set_ylim(min(low, min(y) - 0.02), max(high, max(y) + 0.02))
        loss_axes.legend(fontsize=7, loc="upper left")
    lead = "bold: the tied leaders (Wilcoxon, Holm)"
    for axes, board, what in ((loss_axes, loss, "mean training loss over the run"),
                              (accuracy_axes, accuracy, "test accuracy")):
        axes.set_ylabel(what.split(" over")[0])
        axes.set_title(f"{what}, {board.seeds} paired seeds; {lead}", fontsize=8)
    fig.suptitle(f"MNIST-1D MLP, run with the bench: {loss.model}, RMSprop\n"
                 "every seed (dots), mean and 95 % interval (bars)", fontsize=8)
    return fig


def _accuracy(result: Result) -> Figure:
    models = result.curves["models"]
    names = list(models)
    fig, axes = new_figure(1, 1, size=(5.5, 3.8))
    ax = axes[0][0]
    x = np.arange(len(names))
    ours = [np.asarray(models[n]["test"][-1]) for n in names]
    means = np.array([v.mean() for v in ours])
    intervals = np.array([t_interval(v.tolist()) for v in ours])
    ax.bar(x - 0.2, [PUBLISHED_ACCURACY[n] for n in names], width=0.4, color="#999999",
           label="published (Greydanus 2020)")
    ax.bar(x + 0.2, means, width=0.4, color=style_for(0)["color"],
           yerr=[means - intervals[:, 0], intervals[:, 1] - means], capsize=4,
           label="ours: mean, 95 % t-interval")
    for k, v in enumerate(ours):  # every seed
        ax.plot(np.full(v.size, k + 0.2) + np.linspace(-0.1, 0.1, v.size), v, "k.",
                markersize=3)
    for k, n in enumerate(names):
        ax.text(k + 0.2, means[k] + 2, f"{means[k]:.1f}", ha="center", fontsize=8)
        ax.text(k - 0.2, PUBLISHED_ACCURACY[n] + 2, f"{PUBLISHED_ACCURACY[n]:.0f}",
                ha="center", fontsize=8)
    ax.set_xticks(x, [MODEL_TITLES[n] for n in names], fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel("test accuracy (%)")
    cfg = result.config
    ax.set_title(f"MNIST-1D test accuracy, {cfg['seeds']} seeds, {cfg['steps']} Adam steps")
    ax.legend(fontsize=7, loc="upper left")
    return fig


def _learning_curves(result: Result) -> Figure:
    models = result.curves["models"]
    fig, axes = new_figure(1, len(models), size=(4.2 * len(models), 3.5))
    for ax, (name, c) in zip(axes[0], models.items(), strict=True):
        steps = np.asarray(c["steps"])
        for kind, k, label in (("train", 1, "train"), ("test", 0, "test")):
            acc = np.asarray(c[kind])  # (evaluations, seeds)
            style = style_for(k)
            ax.plot(steps, acc.mean(axis=1), label=f"{label} (mean)", **style)
            ax.fill_between(steps, acc.min(axis=1), acc.max(axis=1), color=style["color"],
                            alpha=0.2, linewidth=0)
        ax.axhline(PUBLISHED_ACCURACY[name], color="black", linestyle="--", linewidth=1,
                   label=f"published test {PUBLISHED_ACCURACY[name]:.0f} %")
        ax.set_title(f"{MODEL_TITLES[name]} ({c['parameters']:,} parameters)")
        ax.set_xlabel("Adam steps")
        ax.set_ylim(0, 102)
        ax.legend(fontsize=7, loc="lower right")
    axes[0][0].set_ylabel("accuracy (%)")
    fig.suptitle("Learning curves on MNIST-1D: mean over seeds, band min–max", fontsize=9)
    return fig
