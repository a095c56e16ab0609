"""Figures of the ``gates`` experiment: decision regions, 3-D output surfaces, accuracies."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result
from actlab.plot.style import COLOURS, new_figure

TRUE_COLOUR, FALSE_COLOUR = COLOURS[0], COLOURS[1]


def figures(result: Result) -> dict[str, Figure]:
    """``regions``: 2-D decision regions (model × gate); ``surfaces``: the same outputs as
    3-D surfaces; ``accuracy``: accuracy over seeds per model and gate."""
    return {"regions": regions(result), "surfaces": surfaces(result),
            "accuracy": accuracy(result)}


def _layout(result: Result) -> tuple[list[str], list[str], np.ndarray]:
    models = list(result.curves["surfaces"])
    gates = list(result.config["gates"])
    return models, gates, np.asarray(result.curves["grid"]["axis"], dtype=float)


def _targets(result: Result, gate: str) -> tuple[np.ndarray, np.ndarray]:
    points = result.curves["points"]
    return np.asarray(points["X"], dtype=float), np.asarray(points[gate], dtype=float)


def regions(result: Result) -> Figure:
    models, gates, axis = _layout(result)
    labels = result.curves["model_labels"]
    fig, axes = new_figure(len(models), len(gates),
                           size=(3.3 * len(gates) + 1.2, 2.9 * len(models)))
    shown = None
    for i, key in enumerate(models):
        for j, gate in enumerate(gates):
            ax = axes[i, j]
            z = np.asarray(result.curves["surfaces"][key][gate], dtype=float)
            shown = ax.pcolormesh(axis, axis, np.clip(z, -0.5, 1.5), cmap="RdBu",
                                  vmin=-0.5, vmax=1.5, shading="auto")
            if np.nanmin(z) < 0.5 < np.nanmax(z):
                ax.contour(axis, axis, z, levels=[0.5], colors="k", linewidths=1.2)
            X, y = _targets(result, gate)
            ax.scatter(X[y == 1, 0], X[y == 1, 1], s=70, marker="o", c=TRUE_COLOUR,
                       edgecolors="white", label="target 1", zorder=3)
            ax.scatter(X[y == 0, 0], X[y == 0, 1], s=70, marker="X", c=FALSE_COLOUR,
                       edgecolors="white", label="target 0", zorder=3)
            acc = result.curves["accuracy"][key][gate][0]
            ax.set_title(f"{labels[key]}\n{gate.upper()}: accuracy {acc:.2f}", fontsize=9)
            ax.set_xlabel("x₁")
            ax.set_ylabel("x₂")
            ax.set_aspect("equal")
            ax.grid(False)
    axes[0, 0].legend(fontsize=7, loc="center", framealpha=0.9)
    if shown is not None:
        fig.colorbar(shown, ax=axes, shrink=0.5, label="model output (black line: 0.5)")
    fig.suptitle(f"Decision regions (seed {result.config['seed']}): output ≥ 0.5 ⇒ 1",
                 fontsize=12)
    return fig


def surfaces(result: Result) -> Figure:
    models, gates, axis = _layout(result)
    labels = result.curves["model_labels"]
    fig = Figure(figsize=(3.4 * len(gates), 3.0 * len(models)), layout="constrained")
    gx, gy = np.meshgrid(axis, axis)
    for i, key in enumerate(models):
        for j, gate in enumerate(gates):
            ax: Any = fig.add_subplot(len(models), len(gates), i * len(gates) + j + 1,
                                      projection="3d")
            z = np.asarray(result.curves["surfaces"][key][gate], dtype=float)
            ax.plot_surface(gx, gy, z, cmap="RdBu", vmin=-0.5, vmax=1.5, linewidth=0,
                            antialiased=True, alpha=0.85)
            X, y = _targets(result, gate)
            ax.scatter(X[:, 0], X[:, 1], y, c=[TRUE_COLOUR if t else FALSE_COLOUR for t in y],
                       s=30, depthshade=False)
            ax.set_title(f"{labels[key]} — {gate.upper()}", fontsize=8)
            ax.set_xlabel("x₁", fontsize=7, labelpad=-8)
            ax.set_ylabel("x₂", fontsize=7, labelpad=-8)
            ax.set_zlabel("output", fontsize=7, labelpad=-6)
            ax.tick_params(labelsize=6, pad=-3)
            ax.view_init(elev=25, azim=-60)
    fig.suptitle("Model output over the input square (dots: the gate's targets)", fontsize=12)
    return fig


def accuracy(result: Result) -> Figure:
    models, gates, _ = _layout(result)
    labels = result.curves["model_labels"]
    fig, axes = new_figure(1, 1, size=(9.0, 4.8))
    ax = axes[0, 0]
    width = 0.8 / len(models)
    idx = np.arange(len(gates))
    for k, key in enumerate(models):
        accs = [np.asarray(result.curves["accuracy"][key][g], dtype=float) for g in gates]
        means = [a.mean() for a in accs]
        ax.bar(idx + (k - (len(models) - 1) / 2) * width, means, width, color=COLOURS[k],
               label=labels[key], yerr=[[m - a.min() for m, a in zip(means, accs, strict=True)],
                                        [a.max() - m for m, a in zip(means, accs, strict=True)]],
               capsize=2, error_kw={"elinewidth": 0.8})
    ax.axhline(0.75, color="grey", ls="--", lw=1, label="best any linear separator does on XOR")
    ax.set_xticks(idx, [g.upper() for g in gates])
    ax.set_ylim(0, 1.1)
    ax.set_ylabel(f"accuracy (mean, range over {result.config['n_seeds']} seeds)")
    ax.set_title("Who learns which gate")
    ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=3,
              frameon=False)
    return fig
