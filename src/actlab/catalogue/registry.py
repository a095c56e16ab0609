"""Name -> activation registry, with aliases and "did you mean" suggestions."""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from actlab.catalogue.activation import Activation
from actlab.catalogue.docstring import entry_docstring
from actlab.errors import InvalidType, UnknownName

_ENTRIES: dict[str, type[Activation]] = {}
_ALIASES: dict[str, tuple[str, dict[str, Any]]] = {}

A = TypeVar("A", bound=type[Activation])


class ActivationNotFound(UnknownName):
    """An unknown activation name; the message suggests the closest known names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown activation {name!r}{hint} (see `actlab list`)")


def normalise(name: str) -> str:
    """'Leaky-ReLU' and 'leaky relu' both become 'leaky_relu'."""
    if not isinstance(name, str):
        raise InvalidType(
            f"an activation name must be a string such as 'relu', got {type(name).__name__} "
            f"{name!r} (see actlab.names())"
        )
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def register(cls: A) -> A:
    """Class decorator: add an entry (and its aliases) to the catalogue."""
    if cls.name in _ENTRIES or cls.name in _ALIASES:
        raise ValueError(f"activation {cls.name!r} registered twice")
    _ENTRIES[cls.name] = cls
    cls.__doc__ = entry_docstring(cls)  # help(actlab.get(name)): formula, parameters, ...
    for alias, fixed in cls.aliases.items():
        key = normalise(alias)
        if key in _ENTRIES or key in _ALIASES:
            raise ValueError(f"alias {alias!r} of {cls.name!r} is already taken")
        _ALIASES[key] = (cls.name, dict(fixed))
    return cls


def resolve(name: str) -> tuple[type[Activation], dict[str, Any]]:
    """Name or alias -> (entry class, parameter values the alias fixes)."""
    key = normalise(name)
    if key in _ENTRIES:
        return _ENTRIES[key], {}
    if key in _ALIASES:
        canonical, fixed = _ALIASES[key]
        return _ENTRIES[canonical], fixed
    known = list(_ENTRIES) + list(_ALIASES)
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
    # an alias suggestion is shown as its canonical name
    suggestions = list(dict.fromkeys(_ALIASES[c][0] if c in _ALIASES else c for c in close))
    raise ActivationNotFound(name, suggestions)


def get(name: str, **params: Any) -> Activation:
    """The activation called ``name`` (or an alias), with ``params`` over the defaults."""
    cls, fixed = resolve(name)
    return cls(**{**fixed, **params})


def names() -> list[str]:
    """Canonical names of every entry, sorted (aliases are not listed)."""
    return sorted(_ENTRIES)


def aliases() -> dict[str, str]:
    """alias -> canonical name."""
    return {alias: target for alias, (target, _) in sorted(_ALIASES.items())}


def entry(name: str) -> type[Activation]:
    """The entry class for a name or alias (its metadata, without binding parameters)."""
    return resolve(name)[0]
