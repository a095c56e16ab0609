"""Figures of the zero-centred experiment: weight paths in the plane, same-signed updates."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result


def figures(result: Result) -> dict[str, Figure]:
    paths = result.curves["paths"]
    target = result.curves["target"]
    fig = Figure(figsize=(3.2 * len(paths), 3.4), layout="constrained")
    axes = fig.subplots(1, len(paths), squeeze=False, sharex=True, sharey=True)[0]
    for ax, (name, data) in zip(axes, paths.items(), strict=True):
        path = np.asarray(data["path"])
        ax.plot(path[:, 0], path[:, 1], lw=0.8, color="#3b6ea8")
        ax.plot(*path[0], "o", color="black", ms=4, label="start")
        ax.plot(*target, "*", color="#c0392b", ms=12, label="w*")
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("w₁")
        ax.grid(alpha=0.3)
        ax.set_aspect("equal", adjustable="box")
    axes[0].set_ylabel("w₂")
    axes[0].legend(fontsize=7, loc="lower left")
    fig.suptitle("Per-sample SGD of y = w·f(z) towards w* = (1, −1): "
                 "positive inputs force same-signed steps")
    bars = Figure(figsize=(5, 3), layout="constrained")
    ax = bars.subplots()
    names = list(paths)
    fractions = [result.metrics[f"{n}_same_sign_fraction"] for n in names]
    ax.bar(names, fractions, color="#3b6ea8")
    ax.axhline(0.5, ls=":", color="grey", label="independent signs")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("fraction of same-signed updates")
    ax.legend(fontsize=8)
    return {"weight_paths": fig, "same_signed_updates": bars}
