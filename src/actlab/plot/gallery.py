"""Figures of the ``gallery`` experiment: the lecture notes' six panels, one figure per activation,
keyed by the activation's canonical name (the report's atlas pages embed them)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from actlab.lab.gallery import decode_image
from actlab.lab.result import Result
from actlab.plot.style import COLOURS, draw_origin_axes, new_figure


def figures(result: Result) -> dict[str, Figure]:
    """``{name: Figure}`` for every activation in the run."""
    reserved = {"grid", "sample", "photo"}
    return {name: six_panels(result, name) for name in result.curves if name not in reserved}


def six_panels(result: Result, name: str) -> Figure:
    """Function, derivative, sample histogram before/after, photo before/after."""
    data = result.curves[name]
    x = np.asarray(result.curves["grid"]["x"], dtype=float)
    fig, axes = new_figure(3, 2, size=(9.0, 10.0))
    label = data["label"]
    fig.suptitle(f"{label}" + ("" if data["elementwise"] else "  (vector-valued: along a "
                                                             "2-vector slice)"), fontsize=12)

    ax = axes[0, 0]
    draw_origin_axes(ax)
    ax.plot(x, np.asarray(data["y"], dtype=float), color=COLOURS[0])
    ax.set_title("function")
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")

    ax = axes[0, 1]
    draw_origin_axes(ax)
    ax.plot(x, np.asarray(data["dy"], dtype=float), color=COLOURS[1])
    ax.set_title("derivative")
    ax.set_xlabel("x")
    ax.set_ylabel("f′(x)")

    std = result.config.get("sample_std", 1.0)
    _histogram(axes[1, 0], result.curves["sample"], COLOURS[2],
               f"random sample, N(0, {std:g}²)", "x")
    _histogram(axes[1, 1], data["sample_after"], COLOURS[3],
               "the sample after the activation", "f(x)")

    _image(fig, axes[2, 0], result.curves["photo"], "photo (median at 0, stretched to ±range)")
    _image(fig, axes[2, 1], data["photo_after"], "photo after the activation")
    return fig


def _histogram(ax: Any, hist: dict[str, Any], colour: str, title: str, xlabel: str) -> None:
    counts = np.asarray(hist["counts"], dtype=float)
    edges = np.asarray(hist["edges"], dtype=float)
    if counts.size:
        ax.stairs(counts, edges, fill=True, color=colour, alpha=0.8)
    if hist.get("nonfinite"):
        title += f"\n({hist['nonfinite']} undefined values left out)"
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("count")


def _image(fig: Figure, ax: Any, encoded: dict[str, Any], title: str) -> None:
    import matplotlib as mpl

    image = np.ma.masked_invalid(decode_image(encoded))
    low, high = encoded["low"], encoded["high"]
    cmap = mpl.colormaps["gray"].with_extremes(bad="tab:red")  # undefined pixels in red
    shown = ax.imshow(image, cmap=cmap, vmin=low, vmax=high if high > low else low + 1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    if encoded.get("nonfinite"):
        title += f"\n({encoded['nonfinite']} pixels undefined: red)"
    ax.set_title(title)
    fig.colorbar(shown, ax=ax, shrink=0.85, label="value")
