"""Activation entries of a bench: ``"leaky_relu(negative_slope=0.2)"`` is one entry.

A user may write an alias, parameters in any order, or a default spelled out;
the bench keys runs by a *canonical* spelling so that the same function always
gives the same key: the catalogue's own name, then the parameters that differ
from the entry's defaults, sorted by name (``"Leaky-ReLU(negative_slope=0.01)"``
and ``"leaky_relu"`` are the same run).  Values are validated by ``actlab.get``.
No text is evaluated: the parser splits on brackets, commas and ``=`` only.

(Shared: bench-training's models.py uses :func:`parse_activation`.)
"""

from __future__ import annotations

import re
from typing import Any

from actlab.errors import UserError

_ENTRY = re.compile(r"^\s*([A-Za-z][\w\- ]*?)\s*(?:\((.*)\))?\s*$")
_TRUTH = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def parse_activation(text: str) -> tuple[str, dict[str, str]]:
    """``"elu(alpha=0.5)"`` -> ``("elu", {"alpha": "0.5"})``; values stay strings."""
    match = _ENTRY.match(text)
    if match is None:
        raise UserError(f"bad activation {text!r}: expected NAME or NAME(key=value, ...)")
    name, inside = match.group(1), match.group(2)
    params: dict[str, str] = {}
    for item in (inside or "").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip() or key.strip() in params:
            raise UserError(f"bad activation {text!r}: parameters are key=value, "
                            "e.g. elu(alpha=0.5)")
        params[key.strip()] = value.strip().strip("'\"")
    return name, params


def typed_parameters(params: dict[str, str]) -> dict[str, object]:
    """Parameter texts -> numbers, True/False/None where they read as one, else the text
    (for callers that do not know the entry's parameter kinds)."""
    out: dict[str, object] = {}
    for key, raw in params.items():
        lowered = raw.lower()
        if lowered in ("true", "false", "none"):
            out[key] = {"true": True, "false": False, "none": None}[lowered]
            continue
        for kind in (int, float):
            try:
                out[key] = kind(raw)
                break
            except ValueError:
                continue
        else:
            out[key] = raw
    return out


def _typed(entry: str, name: str, kind: str, raw: str) -> Any:
    """A parameter's text -> the Python value its kind asks for."""
    try:
        if kind == "optional_float" and raw.lower() == "none":
            return None
        if kind in ("float", "optional_float"):
            return float(raw)
        if kind == "int":
            return int(raw)
        if kind == "bool":
            return _TRUTH[raw.lower()]
        return raw
    except (ValueError, KeyError):
        raise UserError(f"{entry}: parameter {name}={raw!r} is not a valid {kind}") from None


def _spelled(value: Any) -> str:
    """One parameter value as canonical text (floats by repr, so 0.2 stays 0.2)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def canonical_activation(text: str) -> str:
    """The canonical spelling of one activation entry; a bad name or value is a UserError.

    The bench trains elementwise activations inside ordinary layers, so vector-valued
    entries (softmax, the GLU family, maxout) are refused here rather than failing later.
    """
    import actlab
    from actlab.catalogue.registry import ActivationNotFound

    name, raw = parse_activation(text)
    try:
        cls = actlab.entry(name)
        specs = {p.name: p for p in cls.parameters}
        unknown = sorted(set(raw) - set(specs))
        if unknown:
            allowed = ", ".join(specs) or "none"
            raise UserError(f"{cls.name} has no parameter {unknown[0]!r} (parameters: {allowed})")
        values = {k: _typed(cls.name, k, specs[k].kind, v) for k, v in raw.items()}
        act = actlab.get(name, **values)
    except ActivationNotFound as err:
        raise UserError(str(err)) from None
    except (TypeError, ValueError) as err:
        raise UserError(str(err)) from None
    if not act.elementwise:
        raise UserError(f"{act.name} is not elementwise; the bench compares elementwise "
                        "activations inside the same layers")
    changed = {}
    for spec in act.parameters:
        value = act.params[spec.name]
        if value != spec.default:  # 1.0 == 1: a default spelled out is no change
            changed[spec.name] = value
    if not changed:
        return act.name
    inside = ",".join(f"{k}={_spelled(changed[k])}" for k in sorted(changed))
    return f"{act.name}({inside})"
