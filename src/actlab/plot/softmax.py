"""Figures of the ``softmax`` experiment."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result
from actlab.plot.style import new_figure


def figures(result: Result) -> dict[str, Figure]:
    """``overflow``: naive vs shifted softmax at x = [1010, 1000, 990];
    ``sum_to_one``: |Σp − 1| and the naive formula's failures against the logits' scale."""
    return {"overflow": overflow(result), "sum_to_one": sum_to_one(result)}


def overflow(result: Result) -> Figure:
    data = result.curves["big_input"]
    naive = np.asarray(data["naive"], dtype=float)
    shifted = np.asarray(data["shifted"], dtype=float)
    reference = np.asarray(data["reference"], dtype=float)
    x = np.asarray(data["x"], dtype=float)
    idx = np.arange(x.size)
    fig, axes = new_figure(1, 1, size=(8, 4.6))
    ax = axes[0, 0]
    width = 0.27
    ax.bar(idx - width, np.where(np.isfinite(naive), naive, 0.0), width, color="tab:red",
           label="naive exp(x)/Σexp(x)")
    ax.bar(idx, shifted, width, color="tab:blue", label="shifted exp(x − max)/Σ")
    ax.bar(idx + width, reference, width, color="tab:green", label="mpmath, 50 digits")
    ax.set_yscale("log")
    ax.set_ylim(1e-10, 5)
    for i, value in enumerate(naive):
        if not np.isfinite(value):
            ax.text(i - width, 2e-10, "nan", rotation=90, color="tab:red", ha="center",
                    va="bottom", fontsize=11, fontweight="bold")
    for i, value in enumerate(shifted):
        ax.text(i, value * 1.5, f"{value:.3g}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(idx, [f"x{i + 1} = {v:g}" for i, v in enumerate(x)])
    ax.set_ylabel("probability (log scale)")
    warned = "; ".join(data.get("naive_warnings") or []) or "no warning"
    ax.set_title(f"softmax at x = {[float(v) for v in x]}\nnaive formula: nan ({warned})",
                 fontsize=10)
    ax.legend(fontsize=9, loc="center right")
    ax.grid(True, axis="y", alpha=0.3)
    return fig


def sum_to_one(result: Result) -> Figure:
    data = result.curves["sum_to_one"]
    scale = np.asarray(data["scale"], dtype=float)
    fig, axes = new_figure(1, 2, size=(11, 4.2))
    left, right = axes[0]
    tiny = 1e-18  # exact sums plot at the bottom of the log axis
    left.semilogx(scale, np.maximum(np.asarray(data["shifted"], dtype=float), tiny), "o-",
                  label="shifted")
    left.semilogx(scale, np.maximum(np.asarray(data["naive"], dtype=float), tiny), "s--",
                  label="naive (finite outputs only)")
    left.set_yscale("log")
    left.axhline(np.finfo(float).eps, color="grey", ls=":", label="machine epsilon")
    left.set_xlabel("std of the random logits")
    left.set_ylabel("max |Σ p − 1|")
    left.set_title("The probabilities sum to 1 (to rounding)")
    right.semilogx(scale, 100 * np.asarray(data["naive_nan_fraction"], dtype=float), "s-",
                   color="tab:red", label="naive")
    right.semilogx(scale, np.zeros_like(scale), "o-", color="tab:blue", label="shifted")
    right.set_xlabel("std of the random logits")
    right.set_ylabel("vectors with nan/inf output (%)")
    right.set_title("The naive formula breaks once logits exceed ~709")
    for ax in (left, right):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=9)
    return fig
