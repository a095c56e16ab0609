"""Figures of the self-normalisation experiment: mean and variance against depth."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result


def figures(result: Result) -> dict[str, Figure]:
    fig = Figure(figsize=(10, 3.6), layout="constrained")
    ax_mean, ax_var = fig.subplots(1, 2)
    for name, series in result.curves.items():
        layers = range(1, len(series["mean"]) + 1)
        style = {"lw": 2.4, "color": "black"} if name == "selu" else {"lw": 1.2}
        line, = ax_mean.plot(layers, series["mean"], label=name, **style)
        ax_mean.fill_between(layers, series["mean_low"], series["mean_high"],
                             color=line.get_color(), alpha=0.2, linewidth=0)
        # variance can reach exactly 0 (all units dead): floor it for the log axis
        ax_var.plot(layers, np.maximum(series["variance"], 1e-12), label=name, **style)
        ax_var.fill_between(layers, np.maximum(series["variance_low"], 1e-12),
                            np.maximum(series["variance_high"], 1e-12),
                            color=line.get_color(), alpha=0.2, linewidth=0)
    ax_mean.axhline(0.0, ls=":", color="grey")
    ax_var.axhline(1.0, ls=":", color="grey")
    ax_mean.set_ylabel("mean of activations")
    ax_var.set_ylabel("variance of activations")
    ax_var.set_yscale("log")
    ax_var.set_ylim(1e-12, 10)
    for ax in (ax_mean, ax_var):
        ax.set_xlabel("layer")
        ax.grid(alpha=0.3)
    ax_var.legend(fontsize=8, ncol=2)
    cfg = result.config
    fig.suptitle(f"Activations through {cfg['depth']} layers of width {cfg['width']}, "
                 f"LeCun-normal weights: mean over {cfg['seeds']} seeds, band min–max")
    return {"moments": fig}
