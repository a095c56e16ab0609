"""What the user sets on the command line for the experiments: a seed, a data directory.

``actlab lab run`` applies them to one experiment and refuses an experiment that has no
such field; ``actlab report`` applies each to every experiment that has the field and
leaves the others as they are.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


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
