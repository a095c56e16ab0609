"""Figures of the depth sweep: final training loss against depth, per activation."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result


def figures(result: Result) -> dict[str, Figure]:
    depths = result.curves["depths"]
    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = fig.subplots()
    for name, per_depth in result.curves["losses"].items():
        values = [np.asarray(per_depth[str(d)], dtype=float) for d in depths]
        median = [np.median(v) for v in values]
        line, = ax.plot(depths, median, marker="o", ms=3, label=name)
        ax.fill_between(depths, [v.min() for v in values], [v.max() for v in values],
                        color=line.get_color(), alpha=0.15)
    ax.set_yscale("log")
    ax.set_xlabel("hidden layers")
    ax.set_ylabel("final training loss (cross-entropy)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8, ncol=2)
    cfg = result.config
    ax.set_title(f"Depth sweep on digits: width {cfg['width']}, {cfg['steps']} Adam steps, "
                 f"median and range over {cfg['seeds']} seeds", fontsize=10)
    return {"loss_vs_depth": fig}
