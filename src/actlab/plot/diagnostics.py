"""Figures of a diagnostics log: histograms over time, statistics over time, gradient flow.

Pure builders: a :class:`~actlab.diagnostics.DiagnosticsLog` (or its ``to_dict()``) in,
a matplotlib Figure out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure


def _as_dict(log: Any) -> dict[str, Any]:
    return log if isinstance(log, dict) else log.to_dict()


def _series(rows: list[dict[str, Any]], layer: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    picked = [(r["step"], r[column]) for r in rows if r["layer"] == layer and r[column] is not None]
    if not picked:
        return np.array([]), np.array([])
    steps, values = zip(*picked, strict=True)
    return np.array(steps), np.array(values, dtype=float)


def plot_histograms_over_time(
    log: Any, title: str = "Activation histograms over training"
) -> Figure:
    """One heat map per activation layer: step on x, output value on y, density as colour."""
    data = _as_dict(log)
    layers = data["layers"]
    edges = np.array(data["bin_edges"])
    fig = Figure(figsize=(3.2 * len(layers), 3.0), layout="constrained")
    axes = fig.subplots(1, len(layers), squeeze=False)[0]
    for ax, layer in zip(axes, layers, strict=True):
        hist = data["histograms"].get(layer, [])
        if not hist:
            ax.set_axis_off()
            continue
        steps = np.array([s for s, _ in hist])
        counts = np.array([c for _, c in hist], dtype=float)
        density = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
        ax.pcolormesh(
            np.append(steps, steps[-1] + 1), edges, density.T, cmap="viridis", shading="flat"
        )
        ax.set_title(f"layer {layer}", fontsize=9)
        ax.set_xlabel("step")
    axes[0].set_ylabel("activation value")
    fig.suptitle(title)
    return fig


def plot_statistics_over_time(
    log: Any, columns: tuple[str, ...] = ("mean", "std", "saturated", "dead_batch"),
    title: str = "Per-layer activation statistics",
) -> Figure:
    """Mean, std, saturated and dead fractions per layer against the training step."""
    data = _as_dict(log)
    fig = Figure(figsize=(3.3 * len(columns), 3.0), layout="constrained")
    axes = fig.subplots(1, len(columns), squeeze=False)[0]
    for ax, column in zip(axes, columns, strict=True):
        for layer in data["layers"]:
            steps, values = _series(data["rows"], layer, column)
            ax.plot(steps, values, label=f"layer {layer}", lw=1.2)
        ax.set_title(column.replace("_", " "), fontsize=10)
        ax.set_xlabel("step")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.suptitle(title)
    return fig


def plot_gradient_flow(log: Any, step: int | None = None,
                       title: str = "Gradient flow (weight-gradient norm per layer)") -> Figure:
    """Bar chart of each weight layer's gradient norm at one step (default: the mean)."""
    data = _as_dict(log)
    names = data["weight_layers"]
    values = []
    for name in names:
        steps, norms = _series(data["gradient_rows"], name, "weight_grad_norm")
        if step is not None:
            norms = norms[steps == step]
        values.append(float(np.mean(norms)) if norms.size else 0.0)
    fig = Figure(figsize=(max(4.0, 0.5 * len(names) + 2), 3.0), layout="constrained")
    ax = fig.subplots()
    positions = np.arange(len(names))
    ax.bar(positions, values, color="#3b6ea8")
    ax.set_xticks(positions, names, rotation=45, fontsize=8)
    ax.set_yscale("log" if all(v > 0 for v in values) and values else "linear")
    ax.set_xlabel("layer (input → output)")
    ax.set_ylabel("‖∂L/∂W‖")
    ax.set_title(title if step is None else f"{title}, step {step}", fontsize=10)
    return fig
