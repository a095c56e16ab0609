"""Reading a bench database for the statistics, figures and report: the runs, or one
clear :class:`UserError` when there is nothing to read."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from actlab.bench.records import RunRecord
from actlab.errors import UserError


def load_runs(db: Path | str, task: str | None = None, model: str | None = None,
              keys: Collection[str] | None = None) -> list[RunRecord]:
    """Every stored run (optionally of one task / model, or with one of ``keys``).

    A missing file is an error, not a new empty database: statistics never create one.
    """
    from actlab.bench.store import Store

    path = Path(db)
    if not path.exists():
        raise UserError(f"{path}: no such bench database (make one with `actlab bench run`)")
    with Store(path) as store:
        records = store.records(task=task, model=model)
    if keys is not None:
        wanted = set(keys)
        records = [r for r in records if r.key in wanted]
    if not records:
        which = " and ".join(f"{name} {value}" for name, value in
                             (("task", task), ("model", model)) if value is not None)
        raise UserError(f"{path}: no bench runs{' for ' + which if which else ''} "
                        "(run some with `actlab bench run`)")
    return records


def match_activation(name: str, known: Sequence[str]) -> str:
    """The stored activation spec the user means by ``name`` (exactly as stored, or the
    same after canonicalisation, e.g. an alias); otherwise a UserError listing them."""
    if name in known:
        return name
    try:
        from actlab.bench.activation_spec import canonical_activation

        canonical = canonical_activation(name)
    except Exception:  # not a valid activation spec at all: reported as not run below
        canonical = None
    if canonical in known:
        return str(canonical)
    raise UserError(f"activation {name!r} has no runs in this database "
                    f"(it has: {', '.join(sorted(known))})")
