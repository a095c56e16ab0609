"""Stored runs as CSV, JSON or a Markdown table: one row (or object) per run.

CSV and Markdown have flat columns; the metric goes to ``test_accuracy`` for a
classification task and to ``test_loss`` for a regression task, the other left
empty, so a spreadsheet can sort either.  JSON holds every field of the record,
learning curve and environment included.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from actlab.bench.records import RunRecord
from actlab.bench.worker import last_line

FORMATS = ("csv", "json", "markdown")
COLUMNS = ("activation", "task", "model", "seed", "status", "test_accuracy", "test_loss",
           "best_val_metric", "learning_rate", "steps_to_target", "seconds_to_target",
           "wall_seconds", "cpu_seconds", "error", "key")


def flat_row(record: RunRecord) -> dict[str, Any]:
    """The CSV / Markdown columns of one run (``None`` for an empty cell)."""
    row: dict[str, Any] = {c: getattr(record, c, None) for c in COLUMNS}
    row["test_accuracy"] = record.test_metric if record.metric == "test_accuracy" else None
    row["test_loss"] = record.test_metric if record.metric == "test_loss" else None
    row["error"] = last_line(record.error) or None
    return row


def export(records: Sequence[RunRecord], fmt: str) -> str:
    """The records in format ``fmt`` (csv, json or markdown), as text."""
    if fmt == "json":
        return json.dumps([asdict(r) for r in records], indent=1) + "\n"
    rows = [flat_row(r) for r in records]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
        return out.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        lines += ["| " + " | ".join(_cell(row[c]) for c in COLUMNS) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown export format {fmt!r} (formats: {', '.join(FORMATS)})")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value).replace("|", "\\|")
