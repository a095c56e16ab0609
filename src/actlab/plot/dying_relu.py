"""Figures of the dying-ReLU experiment: born-dead probability, dead units after training."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result


def figures(result: Result) -> dict[str, Figure]:
    shown = {"born_dead": _born_dead(result)}
    if "lu_2019" in result.curves:  # results saved before the comparison existed lack it
        shown["lu_2019_born_dead"] = _lu_2019(result)
    shown["dead_after_training"] = _trained(result)
    return shown


def _born_dead(result: Result) -> Figure:
    born = result.curves["born_dead"]
    depths = np.asarray(born["depths"])
    fig = Figure(figsize=(10, 3.6), layout="constrained")
    ax_domain, ax_point = fig.subplots(1, 2, sharey=True)
    for width, c in born["domain"].items():
        line, = ax_domain.plot(depths, c["p"], label=f"width {width}")
        ax_domain.fill_between(depths, c["low"], c["high"], color=line.get_color(), alpha=0.2)
    for width, c in born["single_point"].items():
        line, = ax_point.plot(depths, c["p"], label=f"width {width} (Monte Carlo)")
        ax_point.fill_between(depths, c["low"], c["high"], color=line.get_color(), alpha=0.2)
        ax_point.plot(depths, c["theory"], ls="--", color=line.get_color(), lw=1)
    cfg = result.config
    ax_domain.set_title(f"{cfg['inputs']} inputs on [-√3, √3]^{cfg['input_dim']}", fontsize=10)
    ax_point.set_title("one input point (dashed: 1 − (1 − 2^−N)^L)", fontsize=10)
    ax_domain.set_ylabel("P(born dead)")
    for ax in (ax_domain, ax_point):
        ax.set_xlabel("depth (hidden layers)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"Deep ReLU nets born dead: {cfg['nets']} random He-normal nets per width, "
                 "95 % Wilson intervals")
    return fig


def _lu_2019(result: Result) -> Figure:
    """Ours (line and 95 % band) beside Lu et al.'s simulated points and their bounds."""
    lu = result.curves["lu_2019"]
    depths = np.asarray(lu["hidden_layers"])
    fig = Figure(figsize=(8.2, 4.2), layout="constrained")
    ax = fig.subplots()
    markers = "soDv^<>"
    for k, (width, c) in enumerate(lu["widths"].items()):
        line, = ax.plot(depths, c["p"], lw=1.2, label=f"width {width}: ours")
        colour = line.get_color()
        ax.fill_between(depths, c["low"], c["high"], color=colour, alpha=0.25, lw=0)
        ax.plot(depths, c["published"], ls="none", marker=markers[k % len(markers)], ms=4,
                mfc="none", color=colour, label=f"width {width}: Lu et al.")
        ax.plot(depths, c["lower_bound"], ls=":", lw=0.9, color=colour)
        ax.plot(depths, c["upper_bound"], ls="--", lw=0.9, color=colour)
    ax.set_xlabel("hidden layers")
    ax.set_ylabel("P(born dead)")
    ax.set_xticks(depths[depths % 2 == 0])
    ax.set_title(f"Lu et al.'s setting (one input, no biases): {lu['nets']} nets per width;\n"
                 "markers: their simulation; dotted / dashed: their lower / upper bound",
                 fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def _trained(result: Result) -> Figure:
    training = result.curves["training"]
    lrs = training["learning_rates"]
    fig = Figure(figsize=(5.5, 3.6), layout="constrained")
    ax = fig.subplots()
    for name, c in training["activations"].items():
        # None marks a learning rate at which every run diverged
        mean, low, high = (np.array([np.nan if v is None else v for v in c[k]], dtype=float)
                           for k in ("dead_mean", "dead_min", "dead_max"))
        err = [mean - low, high - mean]
        ax.errorbar(lrs, mean, yerr=err, marker="o", capsize=3, label=name)
    ax.set_xscale("log")
    ax.set_xlabel("SGD learning rate")
    ax.set_ylabel("fraction of dead hidden units")
    ax.set_title("Dead units after training on digits (bars: min–max over seeds)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig
