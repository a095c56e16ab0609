"""The docstring of a catalogue entry, generated from its documentation record.

``help(actlab.get("gelu"))`` then reads like a PyTorch or JAX docstring: summary,
formula, parameters with their defaults, properties, library equivalents and
references -- always in step with the metadata the atlas and the CLI show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from actlab.catalogue.activation import Activation


def entry_docstring(cls: type[Activation]) -> str:
    """The docstring for an entry class (its ``doc``, ``parameters`` and ``family``)."""
    doc = cls.doc
    props = doc.properties
    lines = [doc.summary, "", f"Family: {cls.family.heading}.", "", "Formula (LaTeX)::", "",
             f"    f(x) = {doc.formula}"]
    if doc.derivative_formula:
        lines.append(f"    f'(x) = {doc.derivative_formula}")
    lines += ["", "Parameters", "----------"]
    if not cls.parameters:
        lines.append("none")
    for spec in cls.parameters:
        learnable = " (an nn.Parameter in the PyTorch module)" if spec.learnable else ""
        kind = spec.kind.replace("_", " ")
        lines += [f"{spec.name} : {kind}, default {spec.default!r}",
                  f"    {spec.doc}{learnable}"]
    lo, hi = props.range
    lines += [
        "",
        "Properties (default parameters; ``act.properties`` for the bound ones)",
        "----------------------------------------------------------------------",
        f"range [{lo:g}, {hi:g}], {'monotonic' if props.monotonic else 'not monotonic'}, "
        f"smoothness {props.smoothness}, {props.cost} transcendental call(s) per element.",
    ]
    if doc.equivalents:
        lines += ["", "Library equivalents", "-------------------"]
        for eq in doc.equivalents:
            differs = f" -- differs: {eq.differences}" if eq.differences else ""
            lines.append(f"{eq.library}: {eq.api}{differs}")
    if doc.references:
        lines += ["", "References", "----------"]
        lines += [f"- {ref}" + (f" {ref.url}" if ref.url else "") for ref in doc.references]
    lines += ["", "Example", "-------", f">>> act = actlab.get({cls.name!r})",
              ">>> act(x), act.derivative(x)" if cls.elementwise else
              ">>> act(x), act.vjp(x, grad_out)", ">>> module = act.to_torch()"]
    return "\n".join(lines)
