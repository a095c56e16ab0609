"""Figures of the temperature-neuron experiment: the notes' neuron, and the learned one."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result

BLUE, RED, GREY = "#3b6ea8", "#c0392b", "#7f8c8d"


def figures(result: Result) -> dict[str, Figure]:
    return {"neuron": _neuron(result), "learning": _learning(result),
            "recovered_weights": _recovered(result)}


def _neuron(result: Result) -> Figure:
    """F against C: the clamped neuron, the straight formula, the notes' test points."""
    neuron, notes = result.curves["neuron"], result.curves["notes"]
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.subplots()
    ax.plot(neuron["celsius"], neuron["formula"], ls="--", color=GREY, lw=1,
            label="9/5 · C + 32 (no activation)")
    ax.plot(neuron["celsius"], neuron["fixed"], color=BLUE, lw=2,
            label="the neuron: clamped at 32 °F")
    ax.plot(notes["celsius"], notes["fahrenheit"], "o", color=RED, ms=6,
            label="the lecture notes' printed outputs")
    for c, f in zip(notes["celsius"], notes["fahrenheit"], strict=True):
        ax.annotate(f"{f:g}", (c, f), textcoords="offset points", xytext=(4, -12), fontsize=7)
    ax.set_xlim(-40, 110)
    ax.set_ylim(-40, 240)
    ax.set_xlabel("Celsius")
    ax.set_ylabel("Fahrenheit")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title("The C2F neuron with fixed weights", fontsize=10)
    return fig


def _learning(result: Result) -> Figure:
    """w and b against the gradient-descent step, one line per seed, with the tolerance."""
    path, target = result.curves["path"], result.curves["target"]
    steps = np.asarray(path["step"], dtype=float)
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    axes = fig.subplots(1, 2)
    for ax, key, unit, corner in ((axes[0], "w", "°F per °C", "lower left"),
                                  (axes[1], "b", "°F", "lower right")):
        values = np.asarray(path[key], dtype=float)  # (snapshots, seeds)
        shown = steps > 0
        ax.plot(steps[shown], values[shown], color=BLUE, lw=0.8, alpha=0.7)
        goal, tol = target[key], target[f"{key}_tolerance"]
        ax.axhline(goal, color=RED, lw=1, label=f"{key} = {goal:g}")
        ax.axhspan(goal - tol, goal + tol, color=RED, alpha=0.12, label=f"tolerance ± {tol:g}")
        ax.set_xscale("log")
        ax.set_xlabel("gradient-descent step")
        ax.set_ylabel(f"learned {key} ({unit})")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc=corner)
    cfg = result.config
    fig.suptitle(f"Learning the neuron from {cfg['readings']} noisy readings "
                 f"({cfg['seeds']} seeds, one line each): w overshoots while b is still near 0;\n"
                 "inputs far from zero make the intercept slow, both settle after ~10⁴ steps",
                 fontsize=10)
    return fig


def _recovered(result: Result) -> Figure:
    """The final (w, b) of every seed beside least squares on the same readings."""
    final, target = result.curves["final"], result.curves["target"]
    fig = Figure(figsize=(5.2, 4.2), layout="constrained")
    ax = fig.subplots()
    tw, tb = target["w_tolerance"], target["b_tolerance"]
    ax.add_patch(_box(target["w"] - tw, target["b"] - tb, 2 * tw, 2 * tb))
    ax.plot(final["least_squares_w"], final["least_squares_b"], "x", color=GREY, ms=7,
            label="least squares (exact minimum)")
    ax.plot(final["w"], final["b"], "o", color=BLUE, ms=5, mfc="none",
            label="gradient descent, one per seed")
    ax.plot(target["w"], target["b"], "*", color=RED, ms=14, label="9/5 and 32")
    ax.set_xlim(target["w"] - 1.6 * tw, target["w"] + 1.6 * tw)
    ax.set_ylim(target["b"] - 1.6 * tb, target["b"] + 1.6 * tb)
    ax.set_xlabel("learned w (°F per °C)")
    ax.set_ylabel("learned b (°F)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title("Recovered weights; the shaded box is the claims' tolerance", fontsize=10)
    return fig


def _box(x: float, y: float, width: float, height: float):  # type: ignore[no-untyped-def]
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), width, height, color=RED, alpha=0.12, lw=0)
