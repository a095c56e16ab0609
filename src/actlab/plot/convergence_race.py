"""Figures of the convergence race: training error against iterations, iterations per activation."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result
from actlab.plot.style import REFERENCE_LINE, new_figure, style_for


def figures(result: Result) -> dict[str, Figure]:
    return {"training_error": _training_error(result), "iterations": _iterations(result)}


def _training_error(result: Result) -> Figure:
    races = result.curves["races"]
    threshold = result.curves["threshold"]
    fig, axes = new_figure(1, len(races), size=(5.2 * len(races), 3.9))
    for ax, race in zip(axes[0], races.values(), strict=True):
        longest = 0
        for i, (name, s) in enumerate(race["activations"].items()):
            steps = np.asarray(s["steps"])
            if steps.size == 0:
                continue
            style = style_for(i)
            ax.plot(steps, s["median_error"], label=f"{name} (lr {s['best_lr']:g})", **style)
            ax.fill_between(steps, s["min_error"], s["max_error"], color=style["color"],
                            alpha=0.15, linewidth=0)
            longest = max(longest, int(steps[-1]))
        ax.axhline(threshold, color=REFERENCE_LINE, linestyle="--", linewidth=1)
        ax.text(longest or 1, threshold, f" {threshold:.0%}", va="bottom", ha="right",
                fontsize=8, color="dimgrey")
        ax.set_ylim(0, 1)
        ax.set_xlabel("SGD iterations")
        ax.set_title(race["title"])
        ax.legend(fontsize=7, ncol=2)
    axes[0][0].set_ylabel("training error (fixed subset)")
    cfg = result.config
    fig.suptitle(f"Training error at each activation's best learning rate: median of "
                 f"{cfg['seeds']} seeds, band min–max (curves stop when every seed has "
                 "reached the threshold)", fontsize=9)
    return fig


def _iterations(result: Result) -> Figure:
    races = result.curves["races"]
    max_steps = result.curves["max_steps"]
    fig, axes = new_figure(1, len(races), size=(5.2 * len(races), 3.9))
    for ax, race in zip(axes[0], races.values(), strict=True):
        names = list(race["activations"])
        acts = race["activations"]
        medians = np.array([acts[n]["median"] for n in names])
        low = np.array([acts[n]["interval"][0] for n in names])
        high = np.array([acts[n]["interval"][1] for n in names])
        colours = [style_for(i)["color"] for i in range(len(names))]
        bars = ax.bar(range(len(names)), medians, color=colours, alpha=0.8,
                      yerr=[medians - low, high - medians], capsize=3, ecolor="black")
        for bar, n in zip(bars, names, strict=True):
            if acts[n]["censored"]:  # some seeds never got there: a lower bound
                bar.set_hatch("//")
        for k, n in enumerate(names):  # every seed, so the spread is visible
            its = acts[n]["iterations"]
            ax.plot(np.full(len(its), k) + np.linspace(-0.2, 0.2, len(its)), its, "k.",
                    markersize=3)
        if any(max(acts[n]["iterations"]) >= max_steps for n in names):  # the step budget
            ax.axhline(max_steps, color=REFERENCE_LINE, linestyle=":", linewidth=1)
        ax.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize=8)
        ax.set_ylabel("iterations to threshold")
        title = race["title"]
        if "ratio" in race:
            r = race["ratio"]
            title += (f"\ntanh / ReLU = {r['tanh_over_relu']:.2f} "
                      f"[{r['interval'][0]:.2f}, {r['interval'][1]:.2f}] (Krizhevsky: 6)")
        ax.set_title(title, fontsize=9)
    fig.suptitle(f"Iterations to {result.curves['threshold']:.0%} training error: median at "
                 "the best learning rate, 95 % bootstrap interval, dots = seeds; hatched = "
                 f"some seeds censored (budget {max_steps} steps, or "
                 f"{result.config['patience']:g}× the median)", fontsize=9)
    return fig
