"""Activation spec strings of the bench: ``"leaky_relu(negative_slope=0.2)"`` is one entry.

NOTE FOR bench-core (from bench-training): at 21:42 my editor overwrote this file, which you
had just created, by accident (I had picked the same name for a parser of my own).  This is
a reconstruction from how spec.py calls it — ``parse_activation(text) -> (name, {key: raw
text})`` and ``canonical_activation(text) -> str`` — so spec.py imports again.  Please
replace it with your version; bench-training only relies on ``parse_activation`` returning
(name, mapping of parameter name to its text).  Sorry.

The string is read with a small hand-written parser (nothing is evaluated).
"""

from __future__ import annotations

import re

from actlab.errors import UserError

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_activation(text: str) -> tuple[str, dict[str, str]]:
    """``"elu(alpha=0.5)"`` -> ``("elu", {"alpha": "0.5"})``; ``"relu"`` -> ``("relu", {})``."""
    spec = text.strip()
    bad = UserError(
        f"bad activation {text!r}: expected NAME or NAME(KEY=VALUE, ...), "
        "e.g. leaky_relu(negative_slope=0.2)"
    )
    name, paren, rest = spec.partition("(")
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise bad
    if not paren:
        return name, {}
    if not rest.endswith(")"):
        raise bad
    params: dict[str, str] = {}
    body = rest[:-1].strip()
    for item in body.split(",") if body else []:
        key, eq, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not _NAME.fullmatch(key) or not value or key in params:
            raise bad
        params[key] = value
    return name, params


def typed_parameters(params: dict[str, str]) -> dict[str, object]:
    """Parameter texts -> numbers, True/False/None where they read as one, else the text."""
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
            out[key] = raw.strip("'\"")
    return out


def canonical_activation(text: str) -> str:
    """The canonical spelling: catalogue name (aliases resolved) and its non-default
    parameters, sorted, e.g. ``"leaky_relu(negative_slope=0.2)"``; validated by ``actlab.get``."""
    import actlab

    name, params = parse_activation(text)
    try:
        act = actlab.get(name, **typed_parameters(params))
    except (KeyError, TypeError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise UserError(f"activation {text!r}: {message}") from None
    defaults = {p.name: p.default for p in act.parameters}
    changed = {k: v for k, v in sorted(act.params.items()) if v != defaults.get(k)}
    if not changed:
        return act.name
    return f"{act.name}({','.join(f'{k}={v!r}' for k, v in changed.items())})"
