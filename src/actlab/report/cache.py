"""The report's result cache: one directory per experiment in the output directory.

``<out>/experiments/<name>/`` holds ``result.json``, one PNG per figure and
``run.json`` (the cache key, the config it was made from, the figure files and
any error).  A result is reused when the key of the config asked for equals the
stored one; a failed run is never reused.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from actlab.lab.result import Result

RUN_FILE = "run.json"
RESULT_FILE = "result.json"


def plain_config(config: Any) -> dict[str, Any]:
    """A config dataclass as plain JSON data (tuples become lists, arrays lists)."""
    is_instance = dataclasses.is_dataclass(config) and not isinstance(config, type)
    data = dataclasses.asdict(config) if is_instance else dict(config)
    return json.loads(json.dumps(data, default=_jsonable, sort_keys=True))


def cache_key(experiment: str, config: Any, code: str = "") -> str:
    """Identifies a run: the experiment name, every config value and its code's digest."""
    text = json.dumps([experiment, plain_config(config), code], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def source_digest(module: str) -> str:
    """A digest of a module's source file, so that editing an experiment (or its figures)
    invalidates what the cache holds for it; "" when the source cannot be read."""
    try:
        loaded = sys.modules.get(module)
        origin = getattr(loaded, "__file__", None)
        if origin is None and loaded is None:
            spec = importlib.util.find_spec(module)
            origin = spec.origin if spec else None
        if not origin:
            return ""
        return hashlib.sha256(Path(origin).read_bytes()).hexdigest()[:12]
    except (ImportError, ValueError, OSError):
        return ""


@dataclass
class RunRecord:
    """What the report knows about one experiment's run (stored as run.json)."""

    experiment: str
    key: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    status: str = "ok"  # ok | error
    error: str = ""  # one line
    traceback: str = ""
    figures: dict[str, str] = field(default_factory=dict)  # figure name -> file name
    figures_code: str = ""  # source digest of the figures module that drew them
    figure_errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0  # wall time of the run that made the result
    cached: bool = False  # reused from an earlier report run (not stored)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        data = dataclasses.asdict(self)
        data.pop("cached")
        (directory / RUN_FILE).write_text(json.dumps(data, indent=1, default=_jsonable))

    @classmethod
    def load(cls, directory: Path) -> RunRecord | None:
        try:
            data = json.loads((directory / RUN_FILE).read_text())
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None  # missing or from an older layout: treated as not cached


def load_cached(directory: Path, key: str) -> tuple[RunRecord, Result] | None:
    """The stored record and result when they were made from the same config."""
    record = RunRecord.load(directory)
    if record is None or record.key != key or record.status != "ok":
        return None
    try:
        result = Result.from_json((directory / RESULT_FILE).read_text())
    except (OSError, ValueError, TypeError, KeyError):
        return None
    record.cached = True
    return record, result


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    return repr(value)  # anything else in a config (a callable, an enum) by its repr
