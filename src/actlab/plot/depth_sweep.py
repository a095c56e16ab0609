"""Figures of the depth sweep: test accuracy and final training loss against depth."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result


def figures(result: Result) -> dict[str, Figure]:
    depths = result.curves["depths"]
    cfg = result.config
    fig = Figure(figsize=(11, 4), layout="constrained")
    ax_acc, ax_loss = fig.subplots(1, 2)
    for name in result.curves["accuracy"]:
        acc = [np.asarray(result.curves["accuracy"][name][str(d)], dtype=float) for d in depths]
        loss = [np.asarray(result.curves["losses"][name][str(d)], dtype=float) for d in depths]
        line, = ax_acc.plot(depths, [v.mean() for v in acc], marker="o", ms=3, label=name)
        ax_acc.fill_between(depths, [v.min() for v in acc], [v.max() for v in acc],
                            color=line.get_color(), alpha=0.15)
        ax_loss.plot(depths, [np.median(v) for v in loss], marker="o", ms=3,
                     color=line.get_color(), label=name)
    ax_acc.set_ylabel("test accuracy (%)")
    ax_acc.set_ylim(0, 100)
    ax_acc.set_title(f"mean and min–max over {cfg['seeds']} seeds", fontsize=10)
    ax_loss.set_yscale("log")
    ax_loss.set_ylabel("final training loss (median)")
    ax_loss.set_title("training loss (mean of the last steps)", fontsize=10)
    for ax in (ax_acc, ax_loss):
        ax.set_xlabel("hidden layers")
        ax.grid(alpha=0.3, which="both")
    ax_acc.legend(fontsize=8, ncol=2)
    fig.suptitle(f"Depth sweep on digits: width {cfg['width']}, {cfg['steps']} Adam steps "
                 f"(lr {cfg['learning_rate']:g})")
    return {"accuracy_vs_depth": fig}
