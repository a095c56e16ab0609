"""Figures of the vanishing-gradients experiment: heat maps of the gradient ratio, profiles."""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from actlab.lab.result import Result

PROFILE_ACTIVATIONS = ("relu", "tanh", "sigmoid", "selu", "gelu", "elu", "leaky_relu", "silu")


def figures(result: Result) -> dict[str, Figure]:
    curves = result.curves
    return {
        "ratio_heatmaps": _heatmaps(curves),
        "profiles": _profiles(curves),
    }


def _heatmaps(curves: dict) -> Figure:
    names = curves["activations"]
    depths = curves["depths"]
    inits = list(curves["log10_ratio"])
    height = max(3.0, 0.22 * len(names) + 1.5)
    fig = Figure(figsize=(3.4 * len(inits) + 1.0, height), layout="constrained")
    axes = fig.subplots(1, len(inits), squeeze=False, sharey=True)[0]
    norm = TwoSlopeNorm(vmin=-8, vcenter=0, vmax=8)
    # grey: no gradient at all (zero derivative almost everywhere)
    cmap = colormaps["RdBu"].with_extremes(bad="lightgrey")
    image = None
    for ax, init in zip(axes, inits, strict=True):
        grid = np.array([[np.nan if v is None else v for v in curves["log10_ratio"][init][a]]
                         for a in names], dtype=float)
        image = ax.imshow(np.clip(grid, -8, 8), aspect="auto", cmap=cmap, norm=norm)
        ax.set_xticks(range(len(depths)), [str(d) for d in depths])
        ax.set_xlabel("hidden layers")
        ax.set_title(f"{init} init", fontsize=10)
    axes[0].set_yticks(range(len(names)), names, fontsize=7)
    if image is not None:
        bar = fig.colorbar(image, ax=axes, shrink=0.8)
        bar.set_label("log10 first/last (clipped at ±8)")
    fig.suptitle("‖∂L/∂W₁‖ / ‖∂L/∂W_last‖ at initialisation: blue explodes, red vanishes, "
                 "grey has no gradient")
    return fig


def _profiles(curves: dict) -> Figure:
    inits = list(curves["profile_deepest"])
    fig = Figure(figsize=(3.6 * len(inits), 3.2), layout="constrained")
    axes = fig.subplots(1, len(inits), squeeze=False, sharey=True)[0]
    for ax, init in zip(axes, inits, strict=True):
        for name in PROFILE_ACTIVATIONS:
            norms = curves["profile_deepest"][init].get(name)
            if norms and all(n > 0 for n in norms):
                ax.semilogy(range(1, len(norms) + 1), norms, label=name, lw=1.3)
        ax.set_xlabel("layer (input → output)")
        ax.set_title(f"{init} init, depth {max(curves['depths'])}", fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("‖∂L/∂W_l‖")
    axes[-1].legend(fontsize=7)
    fig.suptitle("Per-layer weight-gradient norm at initialisation")
    return fig
