"""Formula rendering: offline SVG from mathtext, cases laid out in HTML, never a crash."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import actlab
from actlab.report.formula import FormulaRenderer, rewrite_for_mathtext, split_cases


def _images(html: str) -> list[str]:
    return re.findall(r'<img class="tex" src="img/([^"]+)"', html)


def test_plain_formula_becomes_one_svg_image(tmp_path: Path) -> None:
    html = FormulaRenderer(tmp_path, "img/").html(r"\frac{1}{1 + e^{-x}}")
    (name,) = _images(html)
    root = ET.parse(tmp_path / name).getroot()
    assert root.tag.endswith("svg")
    assert float(root.get("width")) > 10 and float(root.get("height")) > 10
    # drawn as glyph outlines: no font needed, nothing to download
    assert root.find("{http://www.w3.org/2000/svg}path").get("d").startswith("M")


def test_cases_become_a_table_with_a_brace_and_one_image_per_cell(tmp_path: Path) -> None:
    latex = r"\lambda\begin{cases}x & x > 0\\ \alpha(e^x - 1) & x \le 0\end{cases}"
    html = FormulaRenderer(tmp_path, "img/").html(latex)
    assert html.count('class="brace"') == 1
    assert html.count("<tr>") == 2
    assert len(_images(html)) == 5  # lambda, and value + condition for each row
    assert "<code" not in html


def test_split_cases_keeps_text_around_several_environments() -> None:
    segments = split_cases(r"a = \begin{cases}1 & x>0\\ 0 & x\le 0\end{cases},\ "
                           r"b = \begin{cases}2 & y\end{cases}")
    assert segments[0] == "a ="
    assert segments[1] == [("1", "x>0"), ("0", r"x\le 0")]
    assert segments[2] == r",\ b ="
    assert segments[3] == [("2", "y")]


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"x \le 0", r"x \leq 0"),
        (r"\left(x\right) \ge 1", r"\left(x\right) \geq 1"),  # \left is not \le + ft
        (r"\tfrac12 x", r"\frac{1}{2} x"),
        (r"\sqrt2", r"\sqrt{2}"),
        (r"\text{if } x", r"\mathrm{if\ } x"),
        (r"\big(x\big)", "(x)"),
    ],
)
def test_rewrites_for_mathtext(latex: str, expected: str) -> None:
    assert rewrite_for_mathtext(latex) == expected


def test_unrenderable_latex_falls_back_to_its_source(tmp_path: Path) -> None:
    html = FormulaRenderer(tmp_path, "img/").html(r"\begin{pmatrix} a & b \end{pmatrix}")
    assert '<code class="latex">' in html
    assert r"\begin{pmatrix}" in html
    assert list(tmp_path.glob("*.svg")) == []


def test_markup_in_latex_is_escaped(tmp_path: Path) -> None:
    html = FormulaRenderer(tmp_path, "img/").html(r"\unknownmacro{<script>}")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_every_catalogue_formula_renders_as_images(tmp_path: Path) -> None:
    renderer = FormulaRenderer(tmp_path, "img/")
    for name in actlab.names():
        doc = actlab.get(name).doc
        for latex in (doc.formula, doc.derivative_formula):
            html = renderer.html(latex)
            assert "<code" not in html, f"{name}: {latex}"
