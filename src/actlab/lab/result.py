"""What an experiment returns: metrics, tables, curves and claims, serialisable to JSON.

A :class:`Claim` sets a published number beside ours; its verdict is computed
from the numbers by :func:`Claim.compare` or :func:`Claim.check`, never written
by hand.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

Verdict = Literal["reproduced", "partly", "not reproduced"]


@dataclass(frozen=True)
class Claim:
    """A published statement, our measured value and the verdict that follows from them."""

    statement: str  # what the source says
    source: str  # paper or seed file
    published: Any  # the source's number (or text when it gives none)
    measured: Any  # ours
    verdict: Verdict
    detail: str = ""  # how the verdict was reached: tolerance, interval, seeds

    @classmethod
    def compare(
        cls,
        statement: str,
        source: str,
        published: float,
        measured: float,
        *,
        rel_tol: float | None = None,
        abs_tol: float | None = None,
        partly_factor: float = 2.0,
        interval: tuple[float, float] | None = None,
        detail: str = "",
    ) -> Claim:
        """Reproduced when |measured - published| is within tolerance (or the published
        value lies in our confidence ``interval``); partly within ``partly_factor`` times
        the tolerance; otherwise not reproduced."""
        if rel_tol is None and abs_tol is None:
            raise ValueError("give rel_tol or abs_tol")
        tol = max(abs_tol or 0.0, (rel_tol or 0.0) * abs(published))
        gap = abs(measured - published)
        in_interval = interval is not None and interval[0] <= published <= interval[1]
        if not math.isfinite(measured):
            verdict: Verdict = "not reproduced"
        elif gap <= tol or in_interval:
            verdict = "reproduced"
        elif gap <= partly_factor * tol:
            verdict = "partly"
        else:
            verdict = "not reproduced"
        how = f"tolerance ±{tol:.3g}"
        if interval is not None:
            how += f", our interval [{interval[0]:.4g}, {interval[1]:.4g}]"
        return cls(statement, source, published, measured, verdict,
                   f"{how}. {detail}".strip())

    @classmethod
    def check(
        cls,
        statement: str,
        source: str,
        published: Any,
        measured: Any,
        holds: bool,
        *,
        partly: bool = False,
        detail: str = "",
    ) -> Claim:
        """A qualitative claim: reproduced when ``holds``; partly when only ``partly``."""
        verdict: Verdict = "reproduced" if holds else ("partly" if partly else "not reproduced")
        return cls(statement, source, published, measured, verdict, detail)


@dataclass
class Table:
    """A small table for the report: column names and rows of plain values."""

    columns: list[str]
    rows: list[list[Any]]
    caption: str = ""


@dataclass
class Result:
    """Everything an experiment measured; figures are drawn from it afterwards."""

    experiment: str
    config: dict[str, Any]
    metrics: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    # name -> {"x": [...], "series name": [...], ...} or any nested JSON-able data
    curves: dict[str, Any] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=_jsonable, indent=1, allow_nan=True)

    @classmethod
    def from_json(cls, text: str) -> Result:
        data = json.loads(text)
        data["tables"] = {k: Table(**v) for k, v in data["tables"].items()}
        data["claims"] = [Claim(**c) for c in data["claims"]]
        return cls(**data)

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json())
        return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (set, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")
