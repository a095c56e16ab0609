"""LaTeX -> plain text for `actlab show`."""

import pytest

import actlab
from actlab.cli.plain_formula import to_plain


@pytest.mark.parametrize(
    ("latex", "plain"),
    [
        (r"\begin{cases}x & x > 0\\ \alpha\,(e^{x} - 1) & x \le 0\end{cases}",
         "x if x > 0; α (e^x - 1) if x ≤ 0"),
        (r"\begin{cases}1 & x \ge t\\ 0 & \text{otherwise}\end{cases}", "1 if x ≥ t; 0 otherwise"),
        (r"\frac{x}{1 + |x|}", "x/(1 + |x|)"),
        (r"\frac{1}{\beta}\log\left(1 + e^{\beta x}\right)", "1/β log(1 + e^(β x))"),
        (r"\frac{x}{\sqrt{1 + \alpha x^{2}}}", "x/√(1 + α x²)"),
        (r"x\operatorname{erf}(x)", "x erf(x)"),
        (r"\frac{x}{2\sqrt{x^2 + 1}}", "x/(2√(x² + 1))"),  # not (x/2)·√
        (r"(g^\top J)_j", "(gᵀ J)_j"),
        (r"\max(0, x)", "max(0, x)"),
    ],
)
def test_to_plain(latex: str, plain: str) -> None:
    assert to_plain(latex) == plain


def test_every_catalogue_formula_converts_without_latex_commands_left() -> None:
    for name in actlab.names():
        doc = actlab.get(name).doc
        for formula in (doc.formula, doc.derivative_formula):
            text = to_plain(formula)
            assert "\\" not in text, (name, text)
