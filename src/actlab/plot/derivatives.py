"""Figures of the ``derivatives`` experiment: the V-shaped error curve, and the lecture
notes' plot."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result
from actlab.plot.style import new_figure


def figures(result: Result) -> dict[str, Figure]:
    """``error_vs_h``: error against step h per function; ``seed_plot_<name>``: analytic and
    numerical derivative with the lecture notes' h = 1e-15."""
    out = {"error_vs_h": error_vs_h(result)}
    for key, data in result.curves.items():
        if key.startswith("seed_plot_"):
            out[key] = seed_plot(key.removeprefix("seed_plot_"), data)
    return out


def error_vs_h(result: Result) -> Figure:
    names = [k.removeprefix("error_vs_h_") for k in result.curves if k.startswith("error_vs_h_")]
    fig, grid = new_figure(1, len(names), size=(6.0 * len(names), 4.6))
    axes = grid[0]
    seed_h = result.config.get("seed_h", 1e-15)
    for ax, name in zip(axes, names, strict=True):
        data = result.curves[f"error_vs_h_{name}"]
        h = np.asarray(data["h"])
        for kind, colour in (("forward", "tab:blue"), ("central", "tab:orange")):
            err = np.asarray(data[kind], dtype=float)
            best = int(np.nanargmin(err))
            ax.loglog(h, err, color=colour, label=f"{kind} difference")
            ax.plot(h[best], err[best], "o", color=colour, ms=7,
                    label=f"{kind} optimum h = {h[best]:.1e}")
        ax.axvline(seed_h, color="red", ls="--", lw=1, label=f"lecture notes' h = {seed_h:g}")
        for ref, text in ((1e-8, "√eps ≈ 1e-8"), (1e-5, "eps^(1/3) ≈ 1e-5")):
            ax.axvline(ref, color="grey", ls=":", lw=1)
            ax.text(ref, 0.45, text, rotation=90, va="center", ha="right", fontsize=8,
                    color="grey", transform=ax.get_xaxis_transform())
        ax.invert_xaxis()
        ax.set_xlabel("step h (float64)")
        ax.set_ylabel("max |numerical − analytic| / max |f′|")
        ax.set_title(f"{name}′ by finite differences: error vs step")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=7.5, loc="upper center", framealpha=0.9)
    return fig


def seed_plot(name: str, data: dict[str, Any]) -> Figure:
    """The lecture notes' figure: analytic and numerical derivative and their difference."""
    fig, axes = new_figure(1, 1, size=(7.0, 4.6))
    ax = axes[0, 0]
    x = np.asarray(data["x"])
    analytic = np.asarray(data["analytic"])
    numerical = np.asarray(data["numerical"])
    ax.plot(x, numerical, lw=0.8, label=f"forward difference, h = {data['h']:g}")
    ax.plot(x, analytic, lw=2, label="analytic")
    ax.plot(x, analytic - numerical, lw=0.8, label="difference")
    ax.set_xlabel("x")
    ax.set_ylabel(f"{name}′(x)")
    ax.set_title(f"{name}′: analytic vs forward difference with h = {data['h']:g}")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return fig
