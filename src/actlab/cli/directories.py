"""Output directories of the commands: created up front, so that a bad ``--out`` fails in
one line before minutes of work, not after."""

from __future__ import annotations

import os
from pathlib import Path

from actlab.errors import UserError


def ensure_output_directory(out: Path, what: str = "output directory") -> None:
    """Create ``out`` (and its parents); a UserError naming it when that is not possible."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UserError(f"cannot create the {what} {out}: {err.strerror or err}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserError(f"cannot write into the {what} {out}")


def data_directory(path: str) -> str:
    """``--data PATH`` as the absolute directory it names (so results, cache keys and
    reproduce lines do not depend on where the command ran); a one-line UserError when it
    is not a directory (click's own check would print its usage text as well)."""
    directory = Path(path).expanduser().resolve()
    if not directory.is_dir():
        problem = "is not a directory" if directory.exists() else "does not exist"
        raise UserError(f"--data {path}: {problem}")
    return str(directory)
