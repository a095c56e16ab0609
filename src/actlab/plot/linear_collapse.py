"""Figures of the ``linear_collapse`` experiment."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.result import Result
from actlab.plot.style import new_figure


def figures(result: Result) -> dict[str, Figure]:
    """``collapse``: the 1-D slice (deep linear = one line; with ReLU: bent) and the
    deep-vs-collapsed difference against depth."""
    slice_ = result.curves["slice"]
    by_depth = result.curves["by_depth"]
    fig, axes = new_figure(1, 2, size=(11.5, 4.4))
    left, right = axes[0]
    x = np.asarray(slice_["x"])
    left.plot(x, slice_["linear_deep"], lw=3, alpha=0.5, label="4 linear layers")
    left.plot(x, slice_["linear_collapsed"], "k--", lw=1, label="the one collapsed layer")
    left.plot(x, slice_["nonlinear"], lw=1.5,
              label=f"same weights, {slice_['activation']} between layers")
    left.set_xlabel("input x")
    left.set_ylabel("output")
    left.set_title("Linear layers stack to a line; a non-linearity bends it")
    left.legend(fontsize=8)
    left.grid(True, alpha=0.3)

    depth = np.asarray(by_depth["depth"])
    eps = np.finfo(float).eps
    right.semilogy(depth, np.maximum(np.asarray(by_depth["max_rel_diff"], dtype=float),
                                     eps / 100), "o-",
                   label="deep linear vs collapsed (relative)")
    right.axhline(eps, color="grey", ls=":", label="machine epsilon")
    right.axhline(result.config["tolerance"], color="red", ls="--", lw=1,
                  label=f"claim tolerance {result.config['tolerance']:g}")
    right.set_xlabel("number of linear layers")
    right.set_ylabel("max |deep − collapsed| / max |deep|")
    right.set_title("Outputs agree to rounding at every depth (float64)")
    right.legend(fontsize=8)
    right.grid(True, alpha=0.3)
    return {"collapse": fig}
