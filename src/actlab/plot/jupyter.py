"""Rich display of an activation in Jupyter (``Activation._repr_html_``).

One self-contained HTML fragment: the name and summary, the formula and its
derivative in ``$$...$$`` (Jupyter's MathJax typesets them), a compact table
of properties, and a small inline PNG of f and f' (base64, so the notebook
file carries it and nothing is fetched).  ``_repr_latex_`` and
``_repr_markdown_`` are deliberately not defined: a front end that picks one
of those would show the formula without the plot and the table.
"""

from __future__ import annotations

import base64
import html
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from actlab.catalogue.activation import Activation
    from actlab.catalogue.metadata import Properties

SMOOTHNESS_TEXT = {
    "discontinuous": "discontinuous",
    "C0": "continuous (C⁰), kinked",
    "C1": "C¹",
    "C2": "C²",
    "Cinf": "C^∞ (smooth)",
}


def format_bound(value: float) -> str:
    """-inf -> '-∞', 1.0 -> '1', 0.5 -> '0.5' (short, for tables)."""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{value:g}"


def format_range(lo: float, hi: float) -> str:
    """An interval with open ends at infinity: (0, inf) -> '[0, ∞)'."""
    left = "(" if math.isinf(lo) else "["
    right = ")" if math.isinf(hi) else "]"
    return f"{left}{format_bound(lo)}, {format_bound(hi)}{right}"


def format_moment(value: float | None) -> str:
    """A Gaussian moment to 4 significant digits; '–' where it is not defined."""
    return "–" if value is None else f"{value:.4g}"


def property_rows(props: Properties) -> list[tuple[str, str]]:
    """The properties as (label, text) rows, shared by the HTML and the CLI."""

    def sides(left: bool, right: bool, left_word: str, right_word: str) -> str:
        chosen = [word for flag, word in ((left, left_word), (right, right_word)) if flag]
        return " and ".join(chosen) if chosen else "no"

    return [
        ("range", format_range(*props.range)),
        ("monotonic", "yes" if props.monotonic else "no"),
        ("smoothness", SMOOTHNESS_TEXT.get(props.smoothness, props.smoothness)),
        ("E[f(z)]", format_moment(props.normal_mean) + "  (mean for z ~ N(0, 1))"),
        ("Var[f(z)]", format_moment(props.normal_variance) + "  (variance for z ~ N(0, 1))"),
        ("zero-centred", ("yes" if props.zero_centred else "no")
         + "  (f(0) = 0 and both signs; not the mean)"),
        ("bounded", sides(props.bounded_below, props.bounded_above, "below", "above")),
        ("saturates", sides(props.saturates_left, props.saturates_right, "left", "right")),
        ("learnable", ", ".join(props.learnable) or "no"),
        ("cost", f"{props.cost} transcendental call{'s' if props.cost != 1 else ''} "
                 "per element"),
    ]


def thumbnail_png(act: Activation) -> bytes:
    """PNG bytes of the f / f' thumbnail (matplotlib is imported only here)."""
    from actlab.plot.activation_plots import plot_function_and_derivative
    from actlab.plot.style import figure_to_png

    return figure_to_png(plot_function_and_derivative(act))


def activation_html(act: Activation) -> str:
    """The HTML fragment Jupyter shows for ``act``."""
    doc = act.doc
    esc = html.escape
    params = ", ".join(f"{k}={v!r}" for k, v in act.params.items())
    title = f"{act.name}({params})" if params else act.name
    derivative = (
        f"<div>$$f'(x) = {esc(doc.derivative_formula)}$$</div>" if doc.derivative_formula else ""
    )
    rows = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{esc(label)}</th>"
        f"<td style='text-align:left'>{esc(text)}</td></tr>"
        for label, text in property_rows(act.properties)
    )
    refs = "; ".join(esc(str(ref)) for ref in doc.references)
    png = base64.b64encode(thumbnail_png(act)).decode("ascii")
    return (
        "<div class='actlab-activation' style='display:flex;gap:1.5em;flex-wrap:wrap'>"
        "<div style='min-width:18em'>"
        f"<h4 style='margin:0'><code>{esc(title)}</code> "
        f"<small style='font-weight:normal'>({esc(act.family.heading)})</small></h4>"
        f"<p style='margin:0.3em 0'>{esc(doc.summary)}</p>"
        f"<div>$$f(x) = {esc(doc.formula)}$$</div>"
        f"{derivative}"
        f"<table style='font-size:90%'>{rows}</table>"
        f"<p style='font-size:85%;margin:0.3em 0'>{refs}</p>"
        "</div>"
        f"<img alt='{esc(act.name)} and its derivative' "
        f"src='data:image/png;base64,{png}'/>"
        "</div>"
    )
