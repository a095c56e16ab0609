"""Plain values -> short text for the report's tables (numbers to 4 significant digits)."""

from __future__ import annotations

import math
from typing import Any

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
MAX_ITEMS = 8  # longer lists are cut with an ellipsis; the full data is in result.json


def format_value(value: Any) -> str:
    """A readable rendering of any JSON-like value."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        items = [f"{k}: {format_value(v)}" for k, v in list(value.items())[:MAX_ITEMS]]
        more = ", …" if len(value) > MAX_ITEMS else ""
        return "{" + ", ".join(items) + more + "}"
    if isinstance(value, (list, tuple)):
        items = [format_value(v) for v in list(value)[:MAX_ITEMS]]
        more = ", …" if len(value) > MAX_ITEMS else ""
        return "[" + ", ".join(items) + more + "]"
    if hasattr(value, "item"):  # NumPy scalars
        return format_value(value.item())
    return str(value)


def format_number(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    if x == int(x) and abs(x) < 1e6:
        return str(int(x))
    if 1e-3 <= abs(x) < 1e6:
        return f"{x:.4g}"
    mantissa, exponent = f"{x:.3e}".split("e")
    return f"{float(mantissa):g}×10{str(int(exponent)).translate(_SUPERSCRIPTS)}"


def format_interval(bounds: Any) -> str:
    """A range (lo, hi) in interval notation; infinite ends get round brackets."""
    lo, hi = (float(b) for b in bounds)
    left = "(" if math.isinf(lo) else "["
    right = ")" if math.isinf(hi) else "]"
    return f"{left}{format_number(lo)}, {format_number(hi)}{right}"


def format_seconds(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 90:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def is_numeric(value: Any) -> bool:
    """Right-align numbers in tables."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def numeric_columns(rows: list[list[Any]], width: int) -> list[bool]:
    """Which columns hold only numbers (or blanks): their headers are right-aligned too."""
    flags = []
    for j in range(width):
        cells = [row[j] for row in rows if j < len(row) and row[j] is not None]
        flags.append(bool(cells) and all(is_numeric(c) for c in cells))
    return flags
