"""Figures of the vanishing-gradients experiment: heat maps of the backward and forward
scales, and per-layer profiles at the deepest depth."""

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
        "backward_heatmaps": _heatmaps(
            curves, "backward_decades",
            "log10 rms(∂L/∂s₁) / rms(∂L/∂s_top) at initialisation: red vanishes, blue "
            "explodes, grey has no gradient"),
        "forward_heatmaps": _heatmaps(
            curves, "forward_decades",
            "log10 Var(a_deepest) / Var(a₁) at initialisation: red dies out, blue grows, "
            "grey is constant"),
        "profiles": _profiles(curves),
    }


def _heatmaps(curves: dict, key: str, title: str) -> Figure:
    names = curves["activations"]
    depths = curves["depths"]
    inits = list(curves[key])
    height = max(3.0, 0.22 * len(names) + 1.5)
    fig = Figure(figsize=(3.2 * len(inits) + 1.0, height), layout="constrained")
    axes = fig.subplots(1, len(inits), squeeze=False, sharey=True)[0]
    norm = TwoSlopeNorm(vmin=-8, vcenter=0, vmax=8)
    cmap = colormaps["RdBu"].with_extremes(bad="lightgrey")
    image = None
    for ax, init in zip(axes, inits, strict=True):
        grid = np.array([[np.nan if v is None else v for v in curves[key][init][a]]
                         for a in names], dtype=float)
        image = ax.imshow(np.clip(grid, -8, 8), aspect="auto", cmap=cmap, norm=norm)
        ax.set_xticks(range(len(depths)), [str(d) for d in depths])
        ax.set_xlabel("hidden layers")
        ax.set_title(f"{init} init", fontsize=10)
    axes[0].set_yticks(range(len(names)), names, fontsize=7)
    if image is not None:
        bar = fig.colorbar(image, ax=axes, shrink=0.8)
        bar.set_label("decades (clipped at ±8)")
    fig.suptitle(title, fontsize=10)
    return fig


def _profiles(curves: dict) -> Figure:
    inits = list(curves["profile_deepest"])
    fig = Figure(figsize=(3.4 * len(inits), 6.0), layout="constrained")
    axes = fig.subplots(2, len(inits), squeeze=False, sharey="row")
    depth = max(curves["depths"])
    for col, init in enumerate(inits):
        ax_fwd, ax_bwd = axes[0][col], axes[1][col]
        for name in PROFILE_ACTIVATIONS:
            profile = curves["profile_deepest"][init].get(name)
            if not profile:
                continue
            variance = np.asarray(profile["activation_variance"], dtype=float)
            delta = np.asarray(profile["delta_rms"], dtype=float)[:-1]  # hidden layers
            line, = ax_fwd.semilogy(range(1, variance.size + 1),
                                    np.maximum(variance, 1e-300), label=name, lw=1.2)
            ax_bwd.semilogy(range(1, delta.size + 1), np.maximum(delta, 1e-300),
                            color=line.get_color(), lw=1.2)
        ax_fwd.set_title(f"{init} init, {depth} hidden layers", fontsize=10)
        ax_bwd.set_xlabel("hidden layer (input → output)")
        for ax in (ax_fwd, ax_bwd):
            ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("Var(a_l)")
    axes[1][0].set_ylabel("rms ∂L/∂s_l")
    axes[0][-1].legend(fontsize=7)
    fig.suptitle("Absolute scale through depth at initialisation: activation variance (top) "
                 "and back-propagated gradient (bottom)", fontsize=10)
    return fig
