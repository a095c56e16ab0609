"""Figures of the ``approximation`` experiment: the trained fits and Yarotsky's construction."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result
from actlab.plot.style import COLOURS, new_figure

TITLES = {"square": "x² + noise", "sin": "sin x + noise", "quintic": "x⁵ + noise",
          "abs": "|x| + noise"}


def figures(result: Result) -> dict[str, Figure]:
    """``fit_<target>``: parallel vs serial fits over the seeds; ``errors``: error per
    target and net; ``yarotsky``: f_m against x² and its error against 2^(-2m-2)."""
    out = {f"fit_{target}": fit(result, target) for target in result.curves["fits"]}
    out["errors"] = errors(result)
    out["yarotsky"] = yarotsky(result)
    return out


def fit(result: Result, target: str) -> Figure:
    data = result.curves["fits"][target]
    x = np.asarray(data["x"], dtype=float)
    fig, axes = new_figure(1, 2, size=(11.0, 4.2))
    for ax, arch, layers in zip(axes[0], ("parallel", "serial"),
                                ("1 → 6 → 1", "1 → 2 → 2 → 2 → 1"), strict=True):
        ax.scatter(x, data["y"], s=1.5, color="#BBBBBB", label="data (with noise)",
                   rasterized=True)
        ax.plot(x, data["clean"], color="black", lw=1, ls="--", label="noise-free curve")
        fits = data[arch]
        for k, prediction in enumerate(fits["predictions"]):
            err = fits["rmse_clean"][k]
            ax.plot(x, prediction, color=COLOURS[k % len(COLOURS)], lw=1.4,
                    label=f"seed {fits['seeds'][k]}: error {err:.3f}, "
                    f"{fits['pieces'][k]} pieces")
        ax.set_title(f"{arch}: ReLU {layers} (19 parameters)")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(fontsize=7, loc="best")
    fig.suptitle(f"ReLU nets fitting {TITLES.get(target, target)} "
                 "(error: RMSE vs the noise-free curve / its std)", fontsize=11)
    return fig


def errors(result: Result) -> Figure:
    fits = result.curves["fits"]
    targets = list(fits)
    fig, axes = new_figure(1, 1, size=(2.4 * len(targets) + 3.0, 4.0))
    ax = axes[0, 0]
    for k, arch in enumerate(("parallel", "serial")):
        for i, target in enumerate(targets):
            errs = np.asarray(fits[target][arch]["rmse_clean"], dtype=float)
            pos = i + (k - 0.5) * 0.3
            ax.scatter(np.full(errs.size, pos), errs, color=COLOURS[k], s=25, zorder=3,
                       label=arch if i == 0 else None)
            ax.hlines(np.median(errs), pos - 0.12, pos + 0.12, color=COLOURS[k], lw=2)
    ax.set_xticks(range(len(targets)), [TITLES.get(t, t) for t in targets])
    ax.set_ylabel("RMSE vs noise-free curve / its std")
    ax.set_ylim(bottom=0)
    ax.set_title("Parallel (1-6-1) vs serial (1-2-2-2-1), 19 parameters each; bars: median")
    ax.legend(fontsize=8)
    return fig


def yarotsky(result: Result) -> Figure:
    data = result.curves["yarotsky"]
    fig, axes = new_figure(1, 2, size=(11.0, 4.2))
    left, right = axes[0]
    examples = data["examples"]
    first = next(iter(examples.values()))
    x = np.asarray(first["x"], dtype=float)
    left.plot(x, x**2, color="black", lw=2, label="x²")
    for k, (m, ex) in enumerate(examples.items()):
        left.plot(ex["x"], ex["approx"], color=COLOURS[k], lw=1.2, ls="--",
                  label=f"f_{m}: {2 ** int(m) + 1} knots")
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.set_title("Yarotsky's ReLU network: the interpolant of x²")
    left.legend(fontsize=8)

    depth = np.asarray(data["depth"])
    right.semilogy(depth, data["formula"], color="black", lw=1, label="2^(−2m−2) (Yarotsky)")
    right.semilogy(depth, data["max_error"], "o", color=COLOURS[1], label="measured max error")
    for m, n in zip(depth, data["n_parameters"], strict=True):
        right.annotate(f"{n}", (m, data["max_error"][list(depth).index(m)]),
                       textcoords="offset points", xytext=(4, 4), fontsize=7, color="grey")
    right.set_xlabel("hidden layers m (width 4)")
    right.set_ylabel("max |f_m(x) − x²| on [0, 1]")
    right.set_title("Error falls 4× per layer (grey: parameters)")
    right.legend(fontsize=8)
    return fig
