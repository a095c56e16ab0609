"""LaTeX formulas -> SVG images, offline, with matplotlib's mathtext.

mathtext understands a large subset of TeX math but not environments such as
``\\begin{cases}``, and not a few common macros (``\\le``, ``\\tfrac``).  We
rewrite those macros, lay out ``cases`` in HTML (one image per cell beside a
drawn brace), and when a piece still fails we show its LaTeX source in
``<code>``: a formula never breaks the report.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

# Macros mathtext lacks -> an equivalent it has.  (?![A-Za-z]) keeps \le from eating \left.
# a replacement is a template string or a function of the match (re.sub accepts both)
_REWRITES: tuple[tuple[str, str | Callable[[re.Match[str]], str]], ...] = (
    (r"\\le(?![A-Za-z])", r"\\leq"),
    (r"\\ge(?![A-Za-z])", r"\\geq"),
    (r"\\ne(?![A-Za-z])", r"\\neq"),
    (r"\\[td]frac(?![A-Za-z])", r"\\frac"),
    (r"\\displaystyle(?![A-Za-z])", ""),
    (r"\\!", ""),
    (r"\\[bB]igg?[lrm]?(?![A-Za-z])", ""),
    (r"\\frac\s*(\w)\s*(\w)", r"\\frac{\1}{\2}"),
    (r"\\frac\s*(\w)\s*\{", r"\\frac{\1}{"),
    (r"\\frac\s*(\{[^{}]*\})\s*(\w)", r"\\frac\1{\2}"),
    (r"\\sqrt\s*(\w)", r"\\sqrt{\1}"),
    (r"\\textstyle(?![A-Za-z])", ""),
    (r"\\[lr]vert(?![A-Za-z])", "|"),
    (r"\\[lr]Vert(?![A-Za-z])", r"\\|"),
    (r"\\(erf|erfc|sign|softplus|clip|relu|logsumexp|sgn)(?![A-Za-z])", r"\\operatorname{\1}"),
    (r"\\text(?:rm)?\{([^{}]*)\}", lambda m: r"\mathrm{" + m.group(1).replace(" ", r"\ ") + "}"),
)

_CASES = re.compile(r"\\begin\{cases\}(.*?)\\end\{cases\}", re.DOTALL)

# A left curly brace drawn as a path, stretched to the height of the rows it groups.
_BRACE_SVG = (
    '<svg class="brace" viewBox="0 0 12 100" preserveAspectRatio="none" aria-hidden="true">'
    '<path d="M11 1 C5 1 6 6 6 15 L6 40 C6 47 4 50 1 50 C4 50 6 53 6 60 L6 85 '
    'C6 94 5 99 11 99" fill="none" stroke="currentColor" stroke-width="1.6" '
    'vector-effect="non-scaling-stroke"/></svg>'
)


def rewrite_for_mathtext(latex: str) -> str:
    """Replace the macros mathtext does not know by ones it does."""
    text = latex
    for pattern, replacement in _REWRITES:
        text = re.sub(pattern, replacement, text)
    return text.strip()


def split_cases(latex: str) -> list[str | list[tuple[str, str]]]:
    """Split at ``cases`` environments: plain pieces stay strings, each environment
    becomes its rows ``[(value, condition), ...]``."""
    segments: list[str | list[tuple[str, str]]] = []
    position = 0
    for match in _CASES.finditer(latex):
        if latex[position:match.start()].strip():
            segments.append(latex[position:match.start()].strip())
        rows = []
        for line in re.split(r"\\\\", match.group(1)):
            if line.strip():
                value, _, condition = line.partition("&")
                rows.append((value.strip(), condition.strip()))
        segments.append(rows)
        position = match.end()
    if latex[position:].strip():
        segments.append(latex[position:].strip())
    return segments


@dataclass
class FormulaRenderer:
    """Renders formulas into ``directory``; pages refer to it through ``url_prefix``.

    Files are named by a hash of their source, so a formula shared by several
    entries is drawn once and a re-run of the report redraws nothing.
    """

    directory: Path
    url_prefix: str  # how a page reaches ``directory``, e.g. "img/"
    font_size: float = 19.0  # in CSS px: a little larger than the 15 px body text

    def html(self, latex: str) -> Markup:
        """The formula as HTML: images, a cases layout, or its source in <code>."""
        if not latex or not latex.strip():
            return Markup("")
        parts = []
        for segment in split_cases(latex):
            if isinstance(segment, str):
                parts.append(self._piece(segment))
                continue
            cells = Markup("").join(
                Markup('<tr><td class="case-value">{}</td><td class="case-cond">{}</td></tr>')
                .format(self._piece(value), self._piece(condition))
                for value, condition in segment
            )
            parts.append(Markup(
                '<span class="cases">{}<table class="cases-rows"><tbody>{}</tbody></table></span>'
            ).format(Markup(_BRACE_SVG), cells))
        return Markup('<span class="formula">{}</span>').format(Markup("").join(parts))

    def _piece(self, latex: str) -> Markup:
        """One mathtext-sized piece: an <img> when it renders, else its source."""
        if not latex.strip():
            return Markup("")
        source = rewrite_for_mathtext(latex)
        digest = hashlib.sha1(f"{self.font_size}|{source}".encode()).hexdigest()[:16]
        path = self.directory / f"tex-{digest}.svg"
        if not path.exists() and not _render_svg(source, path, self.font_size):
            return Markup('<code class="latex">{}</code>').format(latex)
        return Markup('<img class="tex" src="{src}" alt="{alt}">').format(
            src=self.url_prefix + path.name, alt=latex
        )


def _render_svg(source: str, path: Path, font_size: float) -> bool:
    """Write ``$source$`` as one SVG path, cropped to its ink; False when mathtext refuses it.

    Glyph outlines come from :class:`matplotlib.textpath.TextPath` (no figure is
    drawn, which is 20 times faster than ``savefig``); the SVG needs no font.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    prop = FontProperties(size=font_size, math_fontfamily="cm")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            glyphs = TextPath((0, 0), f"${source}$", prop=prop)
    except (ValueError, RuntimeError, KeyError, IndexError):
        return False
    if len(glyphs.vertices) == 0:
        return False
    # Control points bound the curves (convex hull), and are far cheaper than get_extents.
    low, high = glyphs.vertices.min(axis=0), glyphs.vertices.max(axis=0)
    pad = 1.5
    x0, y0 = low[0] - pad, low[1] - pad
    width, height = high[0] - low[0] + 2 * pad, high[1] - low[1] + 2 * pad
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.2f}" height="{height:.2f}" '
        f'viewBox="0 0 {width:.2f} {height:.2f}" data-depth="{-y0:.2f}">'
        f'<path transform="matrix(1 0 0 -1 {-x0:.2f} {height + y0:.2f})" '
        f'd="{_svg_path_data(glyphs)}" fill="#1d2530"/></svg>'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(svg)
    return True


def _svg_path_data(glyphs: Any) -> str:
    """A matplotlib Path as SVG path data (moves, lines, quadratic and cubic curves)."""
    from matplotlib.path import Path as MplPath

    letters = {MplPath.MOVETO: "M", MplPath.LINETO: "L", MplPath.CURVE3: "Q",
               MplPath.CURVE4: "C"}
    parts = []
    for vertices, code in glyphs.iter_segments(simplify=False, curves=True):
        if code == MplPath.CLOSEPOLY:
            parts.append("Z")
        else:
            parts.append(letters[code] + " ".join(f"{v:.2f}" for v in vertices))
    return "".join(parts)
