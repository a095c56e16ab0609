"""What the user sets on the command line for the experiments: a seed, a data directory,
and (``actlab lab run --set FIELD=VALUE``) any field of one experiment's Config.

``actlab lab run`` applies them to one experiment and refuses an experiment that has no
such field; ``actlab report`` applies the seed and the data directory to every experiment
that has the field and leaves the others as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from actlab.errors import InvalidValue, UnknownName


@dataclass(frozen=True)
class ConfigOverrides:
    """Values that replace the same-named fields of an experiment's Config (None: keep)."""

    seed: int | None = None
    data_dir: str | None = None

    def given(self) -> dict[str, Any]:
        """The overrides the user set, by field name."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if getattr(self, f.name) is not None}

    def missing_in(self, config_class: type) -> list[str]:
        """The given overrides that ``config_class`` has no field for."""
        fields = {f.name for f in dataclasses.fields(config_class)}
        return [name for name in self.given() if name not in fields]

    def apply(self, config: Any) -> Any:
        """``config`` with every given override that it has a field for."""
        fields = {f.name for f in dataclasses.fields(config)}
        changes = {name: value for name, value in self.given().items() if name in fields}
        return dataclasses.replace(config, **changes) if changes else config


def parse_settings(config: Any, settings: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """``["steps=2000", "activations=sigmoid,tanh"]`` as field values of ``config`` (a Config
    instance), each converted to the type of the field's current value; a mistake is a
    one-line :class:`~actlab.errors.UserError` naming the field."""
    current = {f.name: getattr(config, f.name) for f in dataclasses.fields(config)}
    values: dict[str, Any] = {}
    for setting in settings:
        name, equals, text = setting.partition("=")
        name = name.strip()
        if not equals or not name:
            raise InvalidValue(f"--set {setting!r}: expected FIELD=VALUE")
        if name not in current:
            raise UnknownName(f"--set {name}: no such field; the fields are "
                              + ", ".join(sorted(current)))
        values[name] = _convert(name, current[name], text.strip())
    return values


def _convert(name: str, like: Any, text: str) -> Any:
    """``text`` as a value of the type of ``like`` (bool, int, float, str, or a tuple)."""
    try:
        if isinstance(like, bool):  # before int: bool is an int
            if text.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise ValueError(text)
            return text.lower() in ("true", "1", "yes")
        if isinstance(like, tuple):
            item = like[0] if like else ""
            return tuple(_convert(name, item, part.strip()) for part in text.split(",")
                         if part.strip())
        return type(like)(text) if like is not None else text
    except ValueError:
        kind = "a comma list" if isinstance(like, tuple) else type(like).__name__
        raise InvalidValue(f"--set {name}={text}: expected {kind}") from None


def require_counts(counts: Mapping[str, int]) -> None:
    """Refuse a count below 1 among ``counts`` (a Config's field names and values), as a
    one-line :class:`~actlab.errors.InvalidValue`: what ``--set`` can make of a count that
    no run can mean."""
    for name, value in counts.items():
        if value < 1:
            raise InvalidValue(f"{name} must be at least 1, got {value}")
