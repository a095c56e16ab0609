"""What the page shows beside an activation choice: formula, parameters, f and f' sampled.

The curves are computed here with the catalogue's NumPy reference and sent as
numbers; the page only draws them.  The formula is the catalogue's LaTeX turned
into plain text (:func:`actlab.cli.plain_formula.to_plain`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

import actlab
from actlab.catalogue import Activation
from actlab.cli.plain_formula import to_plain

SAMPLES = np.linspace(-4.0, 4.0, 81)


def describe(act: Activation) -> dict[str, Any]:
    """Name, plain formula, numeric parameters with their values, and sampled f and f'."""
    with np.errstate(all="ignore"):
        f = np.asarray(act(SAMPLES), dtype=np.float64)
        df = np.asarray(act.derivative(SAMPLES), dtype=np.float64)
    numeric = {p.name: p for p in type(act).parameters if p.kind in ("float", "int")}
    return {
        "name": act.name,
        "formula": to_plain(act.formula),
        "family": type(act).family,
        "params": [{"name": name, "value": float(act.params[name]), "doc": p.doc,
                    "integer": p.kind == "int"}
                   for name, p in numeric.items() if act.params.get(name) is not None],
        "x": SAMPLES.tolist(),
        "f": _finite(f),
        "df": _finite(df),
    }


def _finite(values: np.ndarray) -> list[float | None]:
    return [round(float(v), 5) if np.isfinite(v) else None for v in values]


@lru_cache(maxsize=1)
def catalogue() -> list[dict[str, Any]]:
    """Every elementwise catalogue entry with its default parameters, sorted by name."""
    out = []
    for name in actlab.names():
        act = actlab.get(name)
        if act.elementwise:
            out.append(describe(act))
    return out
