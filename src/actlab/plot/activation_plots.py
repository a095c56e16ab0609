"""Figures of activation functions and their derivatives (data in, Figure out).

Elementwise entries are drawn as y = f(x).  Vector-valued entries (softmax,
GLU, maxout, ...) have no single curve, so they are drawn along a 2-vector
slice, labelled as such:

* entries whose output keeps the input's size (softmax, sparsemax, ...):
  the first output of f([x, 0]);
* entries that halve the input: f([x, x]) for the GLU family (the value
  gated by itself: glu([x, x]) = x·σ(x)); when that slice is just x (a pooling
  such as maxout, max(x, x) = x), f([x, 0]) instead (maxout([x, 0]) = relu).

The derivative of a slice is the exact directional derivative, taken from the
entry's vector-Jacobian product, so it is as accurate as the entry itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from actlab.plot.style import (
    DPI_THUMBNAIL,
    FONT_SIZE,
    SIZE_PANEL,
    SIZE_THUMBNAIL,
    draw_origin_axes,
    new_figure,
    style_for,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from actlab.catalogue.activation import Activation

DEFAULT_RANGE = (-5.0, 5.0)
DEFAULT_POINTS = 1001  # odd, so that x = 0 (where most kinks are) is sampled


@dataclass(frozen=True)
class Curve:
    """One activation sampled on a grid: what a figure draws."""

    label: str
    x: np.ndarray
    y: np.ndarray
    dy: np.ndarray  # dy/dx along the same grid


def default_grid(xmin: float = DEFAULT_RANGE[0], xmax: float = DEFAULT_RANGE[1],
                 points: int = DEFAULT_POINTS) -> np.ndarray:
    """An evenly spaced float64 grid; raises ValueError when the range is empty."""
    if not (np.isfinite(xmin) and np.isfinite(xmax)) or xmin >= xmax:
        raise ValueError(f"plot range must satisfy xmin < xmax (got {xmin} and {xmax})")
    return np.linspace(xmin, xmax, points)


def label_of(act: Activation) -> str:
    """The entry's name, with the parameters that differ from their defaults."""
    changed = [
        f"{p.name}={act.params[p.name]:g}" if isinstance(act.params[p.name], float)
        else f"{p.name}={act.params[p.name]!r}"
        for p in act.parameters
        if act.params[p.name] != p.default
    ]
    return f"{act.name}({', '.join(changed)})" if changed else act.name


def activation_curve(act: Activation, x: np.ndarray | None = None) -> Curve:
    """Sample ``act`` and its derivative on ``x`` (a 1-D grid; default [-5, 5])."""
    x = default_grid() if x is None else np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"the plot grid must be one-dimensional (got shape {x.shape})")
    if act.elementwise:
        return Curve(label_of(act), x, np.asarray(act(x)), np.asarray(act.derivative(x)))
    return _vector_slice_curve(act, x)


def _vector_slice_curve(act: Activation, x: np.ndarray) -> Curve:
    """A vector-valued entry along the slice described in the module docstring."""
    zeros = np.zeros_like(x)
    probe = act(np.stack([x, zeros], axis=-1))  # rows of 2-vectors along the last axis
    width = probe.shape[-1] if probe.ndim == 2 else None
    if width == 2:
        direction = np.array([1.0, 0.0])
        slice_label = f"{label_of(act)}([x, 0])₀"
        inputs = np.stack([x, zeros], axis=-1)
    elif width == 1:
        inputs = np.stack([x, x], axis=-1)
        if np.allclose(np.asarray(act(inputs))[:, 0], x, equal_nan=True):
            direction = np.array([1.0, 0.0])
            slice_label = f"{label_of(act)}([x, 0])"
            inputs = np.stack([x, zeros], axis=-1)
        else:
            direction = np.array([1.0, 1.0])
            slice_label = f"{label_of(act)}([x, x])"
    else:
        raise ValueError(
            f"{act.name} is vector-valued and maps a 2-vector to shape {probe.shape[1:]}; "
            "it has no curve to plot"
        )
    y_all = np.asarray(act(inputs))
    # d/dx of output 0 along the slice = <vjp(inputs, e0), direction>
    e0 = np.zeros_like(y_all)
    e0[:, 0] = 1.0
    grad = np.asarray(act.vjp(inputs, e0))
    return Curve(slice_label, x, y_all[:, 0], grad @ direction)


def plot_activations(
    acts: Sequence[Activation],
    derivative: bool = False,
    x: np.ndarray | None = None,
) -> Figure:
    """Overlay of several activations; with ``derivative``, their derivatives in a
    second panel to the right (same x axis)."""
    if not acts:
        raise ValueError("plot_activations needs at least one activation")
    curves = [activation_curve(act, x) for act in acts]
    ncols = 2 if derivative else 1
    fig, axes = new_figure(1, ncols, size=(SIZE_PANEL[0] * ncols, SIZE_PANEL[1]))
    panels = [(axes[0, 0], "y", "f(x)")]
    if derivative:
        panels.append((axes[0, 1], "dy", "f′(x)"))
    for ax, field, title in panels:
        draw_origin_axes(ax)
        for i, curve in enumerate(curves):
            ax.plot(curve.x, getattr(curve, field), label=curve.label, **style_for(i))
        ax.set_title(title, fontsize=FONT_SIZE + 1)
        ax.set_xlabel("x", fontsize=FONT_SIZE)
        ax.set_xlim(curves[0].x[0], curves[0].x[-1])
        ax.legend(fontsize=FONT_SIZE - 1, loc="best", frameon=False)
    return fig


def plot_function_and_derivative(act: Activation, x: np.ndarray | None = None) -> Figure:
    """A small two-panel thumbnail, f on the left and f' on the right (notebooks, atlas)."""
    curve = activation_curve(act, x)
    fig, axes = new_figure(1, 2, size=SIZE_THUMBNAIL, dpi=DPI_THUMBNAIL)
    for ax, values, title, index in (
        (axes[0, 0], curve.y, curve.label, 0),
        (axes[0, 1], curve.dy, "derivative", 1),
    ):
        draw_origin_axes(ax)
        ax.plot(curve.x, values, **style_for(index))
        ax.set_title(title, fontsize=FONT_SIZE)
        ax.set_xlim(curve.x[0], curve.x[-1])
        ax.tick_params(labelsize=FONT_SIZE - 2)
    return fig
