"""The shared look of every actlab figure: sizes, colours, and a figure factory.

Figures are built on :class:`matplotlib.figure.Figure` directly, never through
``pyplot``: no global state, no GUI back end, safe in threads and in the CLI.
Every figure builder in :mod:`actlab.plot` calls :func:`new_figure` so that the
atlas, the lab figures and the notebook previews look like one family.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import cycle
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe & Ito's colour-blind-safe palette (black moved last: it is for reference lines).
COLOURS: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
REFERENCE_LINE = "#999999"  # axes through the origin, asymptotes
LINE_STYLES: tuple[str, ...] = ("-", "--", "-.", ":")

# Sizes in inches (width, height) for the figure kinds the project makes.
SIZE_PANEL = (5.0, 3.6)  # one panel of a CLI plot
SIZE_THUMBNAIL = (4.2, 1.9)  # f and f' side by side, for notebooks and the atlas
DPI = 110
DPI_THUMBNAIL = 100

FONT_SIZE = 9.0
LINE_WIDTH = 1.6

def new_figure(
    nrows: int = 1,
    ncols: int = 1,
    size: tuple[float, float] | None = None,
    dpi: int = DPI,
    sharex: bool = False,
) -> tuple[Figure, np.ndarray]:
    """A pyplot-free Figure with an ``nrows x ncols`` grid of styled axes.

    ``size`` is the size of the whole figure; by default each panel gets
    :data:`SIZE_PANEL`.  Returns the figure and a 2-D array of its axes.
    """
    from matplotlib.figure import Figure

    if size is None:
        size = (SIZE_PANEL[0] * ncols, SIZE_PANEL[1] * nrows)
    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=sharex)
    # Set explicitly rather than through rcParams: ticks and labels are created lazily,
    # at draw time, when an rc_context would already be gone.
    for ax in axes.flat:
        style_axes(ax)
    return fig, axes


def style_axes(ax: Axes) -> None:
    """Light grid, no top/right spines, the project's font sizes."""
    ax.grid(True, alpha=0.25, linewidth=0.6)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=FONT_SIZE - 1)
    ax.xaxis.label.set_fontsize(FONT_SIZE)
    ax.yaxis.label.set_fontsize(FONT_SIZE)
    ax.title.set_fontsize(FONT_SIZE + 1)


def colour_cycle() -> Iterator[str]:
    """The palette, repeated (for figures with more curves than colours)."""
    return cycle(COLOURS)


def style_for(index: int) -> dict[str, Any]:
    """Colour and line style of the ``index``-th curve: colour first, then dash pattern,
    so that curves 0-7 differ in colour and curves beyond still differ in dash."""
    return {
        "color": COLOURS[index % len(COLOURS)],
        "linestyle": LINE_STYLES[(index // len(COLOURS)) % len(LINE_STYLES)],
        "linewidth": LINE_WIDTH,
    }


def draw_origin_axes(ax: Axes) -> None:
    """Thin grey lines at x = 0 and y = 0, behind the curves."""
    ax.axhline(0.0, color=REFERENCE_LINE, linewidth=0.8, zorder=0)
    ax.axvline(0.0, color=REFERENCE_LINE, linewidth=0.8, zorder=0)


def figure_to_png(fig: Figure, dpi: int | None = None) -> bytes:
    """PNG bytes of a figure (for inline HTML, tests and the report)."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi or fig.dpi)
    return buffer.getvalue()
