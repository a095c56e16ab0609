"""Figures of the ``saturation_basics`` experiment."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result
from actlab.plot.style import new_figure

EPS = float(np.finfo(np.float64).eps)


def figures(result: Result) -> dict[str, Figure]:
    """``functions``: σ, σ′, tanh, tanh′; ``identities``: the identity gaps in units of eps;
    ``step_pitfall``: the naive step's error and the vectorised fix."""
    return {"functions": functions(result), "identities": identities(result),
            "step_pitfall": step_pitfall(result)}


def functions(result: Result) -> Figure:
    data = result.curves["functions"]
    x = np.asarray(data["x"])
    fig, axes = new_figure(1, 2, size=(11, 4.4))
    left, right = axes[0]
    left.plot(x, data["sigmoid"], label="σ(x)")
    left.plot(x, data["sigmoid_prime"], label="σ′(x) = σ(x)(1 − σ(x))")
    peak, at = result.metrics["sigmoid_prime_peak"], result.metrics["sigmoid_prime_peak_at"]
    left.plot([at], [peak], "o", color="tab:red")
    left.annotate(f"max σ′ = {peak:.6g} at x = {at:.3g}", (at, peak), xytext=(1.5, 0.4),
                  arrowprops={"arrowstyle": "->"}, fontsize=9)
    left.set_title("sigmoid and its derivative")
    right.plot(x, data["tanh"], label="tanh(x)")
    right.plot(x, data["tanh_prime"], label="tanh′(x) = 1 − tanh²(x)")
    right.set_title("tanh and its derivative (peak 1 at 0)")
    for ax in (left, right):
        ax.set_xlabel("x")
        ax.set_ylabel("value")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=9, loc="upper left")
    return fig


def identities(result: Result) -> Figure:
    data = result.curves["identities"]
    x = np.asarray(data["x"])
    fig, axes = new_figure(1, 1, size=(8, 4.2))
    ax = axes[0, 0]
    ax.plot(x, np.asarray(data["tanh_minus_2sigma2x_minus_1"]) / EPS, ".", ms=2,
            label="tanh(x) − (2σ(2x) − 1)")
    ax.plot(x, np.asarray(data["tanh_prime_minus_1_minus_tanh2"]) / EPS, ".", ms=2,
            label="tanh′(x) − (1 − tanh²(x))")
    tol = result.metrics["tolerance"] / EPS
    for sign in (-1, 1):
        ax.axhline(sign * tol, color="red", ls="--", lw=1,
                   label="tolerance" if sign > 0 else None)
    ax.set_xlabel("x")
    ax.set_ylabel("difference / machine epsilon")
    ax.set_title("Both identities hold to a few float64 epsilons")
    ax.set_ylim(-1.6 * tol, 1.6 * tol)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, markerscale=5, loc="upper center", ncols=3)
    return fig


def step_pitfall(result: Result) -> Figure:
    ex = result.curves["step_pitfall"]
    fig = Figure(figsize=(12, 4.6), layout="constrained")
    code_ax, plot_ax = fig.subplots(1, 2, width_ratios=[1.4, 1])
    code_ax.axis("off")
    text = ("# the lecture notes' step function\n" + ex["naive_code"]
            + "\n\nnaive_step(np.array([-2., -0.5, 0., 0.5, 2.]))\n→ "
            + _wrap(ex["naive_array_error"], 58)
            + "\n\n# the fix: compare the whole array at once\n" + ex["fixed_code"])
    code_ax.text(0.0, 0.95, text, family="monospace", fontsize=10, va="top",
                 transform=code_ax.transAxes)
    code_ax.set_title("The pitfall: a Python `if` on an array", loc="left")
    x = np.asarray(ex["input"])
    plot_ax.plot(ex["curve_x"], ex["curve_y"], color="tab:blue", alpha=0.4,
                 label="np.where(x > 0, 1.0, 0.0) on a grid")
    plot_ax.plot(x, ex["fixed_output"], "o", ms=10, label="vectorised step (whole array)")
    plot_ax.plot(x, ex["naive_scalar_results"], "x", ms=10, color="tab:red",
                 label="naive step, one number at a time")
    plot_ax.set_xlabel("x")
    plot_ax.set_ylabel("step(x)")
    plot_ax.set_title("Same values: the fix needs no loop")
    plot_ax.grid(True, alpha=0.3)
    plot_ax.legend(fontsize=9, loc="center right")
    return fig


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n  ".join(lines)
