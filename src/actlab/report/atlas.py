"""The atlas: one page of facts per catalogue entry, and its small plots.

Everything here comes from the catalogue's metadata (``act.doc``) and its NumPy
reference; the gallery experiment's panel is added when that experiment ran.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from markupsafe import Markup

import actlab
from actlab.report.formatting import format_interval, format_value
from actlab.report.formula import FormulaRenderer

PLOT_RANGE = (-5.0, 5.0)
FUNCTION_COLOUR = "#1f5fa8"
DERIVATIVE_COLOUR = "#d9822b"
PLOT_STYLE = "v2"  # change to redraw every cached atlas plot after a style change


@dataclass
class AtlasEntry:
    """What the atlas page and the index card of one activation show."""

    name: str
    family: str  # a Family value, "unknown" when the entry could not be documented
    summary: str
    elementwise: bool
    formula_lhs: Markup  # "f(x) =" unless the formula names its own left-hand side
    formula: Markup
    derivative_lhs: Markup
    derivative_formula: Markup
    formula_source: str
    derivative_source: str
    properties: list[tuple[str, str]]
    parameters: list[dict[str, Any]]
    kinks: list[dict[str, Any]]
    equivalents: list[dict[str, str]]
    references: list[dict[str, Any]]
    notes: list[str]
    aliases: list[str]
    plot: str = ""  # file name under atlas/img, "" when the function could not be drawn
    thumbnail: str = ""
    plot_note: str = ""  # how a vector-valued entry was drawn
    range_text: str = ""
    gallery: list[str] = field(default_factory=list)  # paths relative to the atlas page
    family_title: str = "not documented"


PROPERTY_LABELS = {
    "range": "Range",
    "monotonic": "Monotonic",
    "smoothness": "Smoothness",
    "zero_centred": "Zero-centred (f(0) = 0 and f takes both signs)",
    "normal_mean": "Mean of f(z), z ~ N(0, 1)",
    "normal_variance": "Variance of f(z), z ~ N(0, 1)",
    "bounded_below": "Bounded below",
    "bounded_above": "Bounded above",
    "saturates_left": "Saturates as x → −∞",
    "saturates_right": "Saturates as x → +∞",
    "learnable": "Learnable parameters",
    "cost": "Transcendental calls / element",
}


def build_entries(
    image_dir: Path, image_prefix: str, names: Sequence[str] | None = None
) -> list[AtlasEntry]:
    """An entry per catalogue name (or per name in ``names``), with its formulas and plots
    drawn into ``image_dir``."""
    renderer = FormulaRenderer(image_dir, image_prefix)
    aliases_of: dict[str, list[str]] = {}
    for alias, target in actlab.aliases().items():
        aliases_of.setdefault(target, []).append(alias)
    entries = []
    for name in actlab.names() if names is None else names:
        try:
            entries.append(build_entry(name, renderer, image_dir, aliases_of.get(name, [])))
        except Exception as err:  # one broken entry must not take the report down
            entries.append(_broken_entry(name, err))
    return entries


def _broken_entry(name: str, err: Exception) -> AtlasEntry:
    """A page that says what went wrong instead of the facts."""
    return AtlasEntry(
        name=name, family="unknown", summary=f"This entry could not be documented: "
        f"{type(err).__name__}: {err}", elementwise=True, formula_lhs=Markup(""),
        formula=Markup(""), derivative_lhs=Markup(""), derivative_formula=Markup(""),
        formula_source="", derivative_source="", properties=[], parameters=[], kinks=[],
        equivalents=[], references=[], notes=[], aliases=[], plot_note="not available",
        range_text="?")


def build_entry(
    name: str, renderer: FormulaRenderer, image_dir: Path, aliases: list[str]
) -> AtlasEntry:
    act = actlab.get(name)
    doc = act.doc
    props = act.properties.as_dict()
    # the Gaussian moments next to the zero-centred flag they qualify
    order = [k for k in props if k not in ("normal_mean", "normal_variance")]
    at = order.index("zero_centred") + 1
    order[at:at] = ["normal_mean", "normal_variance"]
    properties = []
    for key, value in ((k, props[k]) for k in order):
        if key == "range":
            text = format_interval(value)
        elif key == "learnable":
            text = ", ".join(value) if value else "none"
        elif key in ("normal_mean", "normal_variance"):
            why = "vector-valued" if not act.elementwise else "defined on part of the line"
            text = f"not defined ({why})" if value is None else f"{value:.4g}"
        else:
            text = format_value(value)
        properties.append((PROPERTY_LABELS.get(key, key.replace("_", " ")), text))
    entry = AtlasEntry(
        name=name,
        family=act.family.value,
        family_title=act.family.heading,
        summary=doc.summary,
        elementwise=act.elementwise,
        formula_lhs=Markup("") if has_lhs(doc.formula) else renderer.html("f(x) ="),
        formula=renderer.html(doc.formula),
        derivative_lhs=Markup("") if has_lhs(doc.derivative_formula) else renderer.html("f'(x) ="),
        derivative_formula=renderer.html(doc.derivative_formula),
        formula_source=doc.formula,
        derivative_source=doc.derivative_formula,
        properties=properties,
        parameters=[
            {"name": p.name, "default": format_value(act.params.get(p.name, p.default)),
             "doc": p.doc, "learnable": p.learnable}
            for p in act.parameters
        ],
        kinks=[
            {"at": format_value(k.at), "value": format_value(k.value),
             "derivative": format_value(k.derivative), "note": k.note}
            for k in doc.kinks
        ],
        equivalents=[
            {"library": e.library, "api": e.api, "differences": e.differences}
            for e in doc.equivalents
        ],
        references=[
            {"text": str(r), "url": r.url} for r in doc.references
        ],
        notes=list(doc.notes),
        aliases=sorted(aliases),
        range_text=format_interval(act.properties.range),
    )
    _draw_plots(act, entry, image_dir)
    return entry


def has_lhs(latex: str) -> bool:
    """Does the formula start with its own left-hand side (``\\mathrm{GLU}(x) = ...``,
    ``\\frac{\\partial f}{\\partial x} = ...``)?  Then no "f(x) =" is put before it."""
    head = latex.split("=", 1)[0] if "=" in latex else ""
    if "\\begin{cases}" in head:
        return False
    return bool(re.search(r"\(x\)(_i)?\s*$|\\partial", head))


def curves(act: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, str]:
    """(f(x), f'(x) or None, note) on a 1-D grid; vector-valued entries on a 2-vector."""
    if act.elementwise:
        return np.asarray(act(x), dtype=float), np.asarray(act.derivative(x), dtype=float), ""
    pair = np.stack([x, np.zeros_like(x)], axis=-1)
    y = np.asarray(act(pair), dtype=float)
    if y.shape[-1] == 2:
        return y[..., 0], None, "The first component of f([x, 0])"
    pair = np.stack([x, x], axis=-1)  # gated entries halve the axis: f([x, x]) = x·g(x)
    note = "The output of f([x, x]) (both halves x)"
    return np.asarray(act(pair), dtype=float)[..., 0], None, note


def _draw_plots(act: Any, entry: AtlasEntry, image_dir: Path) -> None:
    """The page's plot (f and f') and the index card's thumbnail; none when drawing fails."""
    x = np.linspace(*PLOT_RANGE, 801)
    try:
        y, dy, note = curves(act, x)
    except Exception:
        entry.plot_note = "could not be evaluated on a 1-D grid"
        return
    entry.plot_note = note
    image_dir.mkdir(parents=True, exist_ok=True)
    # Named by what is drawn, so a re-run of the report redraws only what changed.
    digest = hashlib.sha1(
        b"".join([PLOT_STYLE.encode(), y.tobytes(), b"" if dy is None else dy.tobytes()])
    ).hexdigest()[:12]
    entry.plot = f"plot-{entry.name}-{digest}.png"
    entry.thumbnail = f"thumb-{entry.name}-{digest}.png"
    if not (image_dir / entry.plot).is_file():
        _plot(x, y, dy, image_dir / entry.plot, small=False)
    if not (image_dir / entry.thumbnail).is_file():
        _plot(x, y, dy, image_dir / entry.thumbnail, small=True)


def _break_jumps(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Insert a gap where the curve jumps (a step, or the derivative of a kink), so no
    vertical line is drawn.  On this grid (step 0.0125) no continuous entry moves by a
    fifth of its span between neighbours."""
    finite = y[np.isfinite(y)]
    if finite.size < 2:
        return x, y
    span = float(np.ptp(finite)) or 1.0
    jumps = np.flatnonzero(np.abs(np.diff(y)) > 0.2 * span) + 1
    return np.insert(x, jumps, np.nan), np.insert(y, jumps, np.nan)


def _plot(x: np.ndarray, y: np.ndarray, dy: np.ndarray | None, path: Path, small: bool) -> None:
    from matplotlib.figure import Figure

    # Fixed margins: a layout engine would triple the drawing time of these small plots.
    if small:
        fig = Figure(figsize=(2.6, 1.7))
        fig.subplots_adjust(left=0.13, right=0.97, bottom=0.13, top=0.95)
    else:
        fig = Figure(figsize=(6.0, 3.4))
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14, top=0.96)
    ax = fig.add_subplot()
    fx, fy = _break_jumps(x, y)
    ax.plot(fx, fy, color=FUNCTION_COLOUR, lw=2.0 if small else 2.2, label="f(x)")
    if dy is not None:
        gx, gy = _break_jumps(x, dy)
        ax.plot(gx, gy, color=DERIVATIVE_COLOUR, lw=1.4, ls="--", label="f′(x)")
    ax.axhline(0, color="#999", lw=0.6, zorder=0)
    ax.axvline(0, color="#999", lw=0.6, zorder=0)
    ax.set_xlim(*PLOT_RANGE)
    _limit_y(ax, y, dy)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if small:
        ax.tick_params(labelsize=7, length=2, pad=1)
    else:
        ax.grid(alpha=0.25)
        ax.set_xlabel("x")
        ax.legend(frameon=False, loc="best")
    fig.savefig(path, dpi=110 if small else 100, facecolor="white")


def _limit_y(ax: Any, y: np.ndarray, dy: np.ndarray | None) -> None:
    """Fit the function (and a sensible share of the derivative), ignoring inf and NaN."""
    values = [v[np.isfinite(v)] for v in (y, dy) if v is not None]
    values = [v for v in values if v.size]
    if not values:
        return
    lo = min(float(v.min()) for v in values)
    hi = max(float(v.max()) for v in values)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return
    pad = 0.08 * (hi - lo) if hi > lo else 0.5
    ax.set_ylim(lo - pad, hi + pad)
