"""Figures of the saturation-in-training experiment (Glorot & Bengio's Fig. 2 and 4, in kind)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result
from actlab.lab.saturation_training import UPDATES_PER_EPOCH


def figures(result: Result) -> dict[str, Figure]:
    names = list(result.curves)
    fig = Figure(figsize=(11, 3.1 * len(names)), layout="constrained")
    axes = fig.subplots(len(names), 2, squeeze=False)
    for row, name in enumerate(names):
        data = result.curves[name]
        # the x axis in the paper's epochs of 20,000 updates, as its Fig. 2
        steps = np.asarray(data["steps"]) / UPDATES_PER_EPOCH
        ax_mean, ax_sat = axes[row]
        for layer, series in data["layers"].items():
            mean, std = np.asarray(series["mean"]), np.asarray(series["std"])
            line, = ax_mean.plot(steps, mean, label=layer)
            ax_mean.fill_between(steps, mean - std, mean + std, color=line.get_color(), alpha=0.12)
            if "mean_low" in series:  # the spread of the mean over seeds
                ax_mean.plot(steps, series["mean_low"], color=line.get_color(), lw=0.6, ls=":")
                ax_mean.plot(steps, series["mean_high"], color=line.get_color(), lw=0.6,
                             ls=":")
            ax_sat.plot(steps, series["saturated"], label=layer)
        ax_mean.set_title(f"{name}: activation mean ± std per layer", fontsize=10)
        threshold = result.config["saturation_threshold"]
        ax_sat.set_title(f"{name}: fraction saturated (|f'| < {threshold:g})", fontsize=10)
        ax_sat.set_ylim(-0.02, 1.02)
        for ax in (ax_mean, ax_sat):
            ax.set_xlabel(f"epoch ({UPDATES_PER_EPOCH:,} SGD updates)")
            ax.grid(alpha=0.3)
        ax_mean.legend(fontsize=7)
    cfg = result.config
    seeds = cfg.get("seeds", 1)
    fig.suptitle(f"Saturation during training on Shapeset-3×2: {cfg['hidden_layers']} hidden "
                 f"layers × {cfg['width']}, {cfg['init']} init, statistics on "
                 f"{cfg['probe_size']} fixed images,\nmean of {seeds} seeds (dotted: min/max); "
                 f"{cfg['steps']:,} updates = {cfg['steps'] / UPDATES_PER_EPOCH:.3g} of the "
                 "paper's epochs",
                 fontsize=9)
    return {"layer_statistics": fig}
