"""The bench's SQLite store: one row per run, keyed by ``RunConfig.key()``.

One process writes (the sweep's parent); workers only return records.  The
database is in WAL mode and every :meth:`Store.insert` is one transaction, so a
process killed at any moment (SIGKILL included) leaves every committed run in
place and none half-written.  Inserting is idempotent: a finished or diverged
run is never replaced or duplicated; a failed run is replaced when it is run
again.

Layout: ``runs`` holds the scalar fields, the environment (JSON) and the run's
canonical configuration, with a covering index for leaderboards, so a
leaderboard over 100,000 runs reads the index alone; ``curves`` holds each
run's learning curve as little-endian binary arrays (int64 steps, float64
losses: exact, and far cheaper to write than JSON text), apart so that scans
of ``runs`` stay small.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from actlab.bench.config import RunConfig
from actlab.bench.records import RunRecord
from actlab.errors import UserError

SCHEMA_VERSION = 2
DONE = ("finished", "diverged")  # outcomes: a sweep never trains these again
_STEPS, _LOSSES = np.dtype("<i8"), np.dtype("<f8")  # the curves' binary layout
_CHUNK = 500  # keys per "IN (...)" query (SQLite bounds the number of parameters)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    key TEXT PRIMARY KEY,
    activation TEXT NOT NULL,
    task TEXT NOT NULL,
    model TEXT NOT NULL,
    seed INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('finished', 'diverged', 'failed')),
    metric TEXT NOT NULL,
    higher_is_better INTEGER NOT NULL,
    test_metric REAL,
    best_val_metric REAL,
    learning_rate REAL,
    steps_to_target INTEGER,
    seconds_to_target REAL,
    wall_seconds REAL NOT NULL,
    cpu_seconds REAL NOT NULL,
    error TEXT,
    environment TEXT NOT NULL,
    config TEXT,
    inserted_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE INDEX IF NOT EXISTS runs_leaderboard
    ON runs (task, model, activation, metric, status, test_metric, higher_is_better);
CREATE TABLE IF NOT EXISTS curves (
    key TEXT PRIMARY KEY,
    steps BLOB NOT NULL,
    loss BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_COLUMNS = ("key", "activation", "task", "model", "seed", "status", "metric",
            "higher_is_better", "test_metric", "best_val_metric", "learning_rate",
            "steps_to_target", "seconds_to_target", "wall_seconds", "cpu_seconds", "error",
            "environment", "config")
_INSERT_RUN = (f"INSERT OR REPLACE INTO runs ({', '.join(_COLUMNS)}) "
               f"VALUES ({', '.join('?' * len(_COLUMNS))})")
_INSERT_CURVE = "INSERT OR REPLACE INTO curves (key, steps, loss) VALUES (?, ?, ?)"
_SELECT = (", ".join(f"runs.{c}" for c in _COLUMNS[:-1])
           + ", curves.steps, curves.loss FROM runs LEFT JOIN curves ON curves.key = runs.key")


@dataclass(frozen=True)
class LeaderboardRow:
    """One activation of one (task, model) cell, aggregated in SQL."""

    task: str
    model: str
    activation: str
    metric: str
    mean: float | None  # over finished runs
    finished: int
    diverged: int
    failed: int


class Store:
    """A bench database file, created on first use (``create=False``: it must exist)."""

    def __init__(self, path: str | Path, create: bool = True) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise UserError(f"{self.path}: is a directory, not a database file")
        if not create and not self.path.is_file():
            raise UserError(f"{self.path}: no bench database here (`actlab bench run` makes one)")
        if create and not self.path.parent.is_dir():
            raise UserError(f"{self.path}: the directory {self.path.parent} does not exist")
        try:
            self._db = sqlite3.connect(self.path, timeout=60.0)
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed (not a power cut)
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA cache_size=-65536")  # 64 MiB: big stores insert faster
            self._db.executescript(_SCHEMA)
            self._check_version()
        except sqlite3.OperationalError as err:  # unreadable, read-only, locked too long
            raise UserError(f"{self.path}: cannot use this database: {err}") from None
        except sqlite3.DatabaseError as err:
            raise UserError(f"{self.path}: not an actlab bench database ({err})") from None

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if row is None:
            with self._db:
                self._db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) != SCHEMA_VERSION:
            raise UserError(f"{self.path}: bench database schema {row[0]}, this actlab reads "
                            f"{SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------
    def insert(self, records: Iterable[RunRecord],
               configs: Iterable[RunConfig] | Mapping[str, RunConfig] = ()) -> int:
        """Store records in one transaction; returns how many runs were written.

        A record whose key is already stored finished or diverged is left out (never
        replaced or duplicated); a stored failed run is replaced.  ``configs`` (by
        key, or a list) adds each run's canonical configuration.
        """
        by_key = dict(configs) if isinstance(configs, Mapping) else {c.key(): c for c in configs}
        batch = list(records)
        with self._db:  # one transaction: all rows or none
            stored = self._statuses([r.key for r in batch])
            fresh: dict[str, RunRecord] = {}
            for record in batch:
                if stored.get(record.key, "failed") == "failed":
                    fresh[record.key] = record
                    stored[record.key] = record.status
            environments = _Environments()
            self._db.executemany(_INSERT_RUN, [_row(r, by_key.get(r.key), environments)
                                               for r in fresh.values()])
            self._db.executemany(_INSERT_CURVE, [
                (r.key, _blob("q", r.curve_steps), _blob("d", r.curve_loss))
                for r in fresh.values()])
        return len(fresh)

    def _statuses(self, keys: Sequence[str]) -> dict[str, str]:
        """Stored status of each of ``keys`` that is stored."""
        found: dict[str, str] = {}
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i:i + _CHUNK]
            found.update(self._db.execute(
                f"SELECT key, status FROM runs WHERE key IN ({', '.join('?' * len(chunk))})",
                chunk))
        return found

    # --- reading ---------------------------------------------------------------
    def records(self, task: str | None = None, model: str | None = None,
                status: str | None = None) -> list[RunRecord]:
        """Stored runs, optionally of one task, model or status, in a stable order."""
        where, args = _filters(task=task, model=model, status=status)
        query = (f"SELECT {_SELECT}{where} "
                 "ORDER BY runs.task, runs.model, runs.activation, runs.seed, runs.key")
        return [_record(row) for row in self._db.execute(query, args)]

    def finished_keys(self) -> set[str]:
        """Keys of runs with an outcome (finished or diverged): a sweep skips them."""
        return self.keys(*DONE)

    def keys(self, *statuses: str) -> set[str]:
        """Keys of the runs with one of ``statuses`` (every run when none is given)."""
        where = f" WHERE status IN ({', '.join('?' * len(statuses))})" if statuses else ""
        return {k for (k,) in self._db.execute(f"SELECT key FROM runs{where}", statuses)}

    def status_counts(self) -> dict[str, int]:
        """Runs per status: finished, diverged, failed (zeros included)."""
        counts = dict.fromkeys(("finished", "diverged", "failed"), 0)
        for status, n in self._db.execute("SELECT status, COUNT(*) FROM runs GROUP BY status"):
            counts[status] = n
        return counts

    def configs(self, keys: Sequence[str] | None = None) -> dict[str, RunConfig]:
        """Stored canonical configurations by key (runs stored without one are left out)."""
        rows = self._db.execute("SELECT key, config FROM runs WHERE config IS NOT NULL")
        wanted = None if keys is None else set(keys)
        return {k: _config(c) for k, c in rows if wanted is None or k in wanted}

    def leaderboard(self, task: str | None = None,
                    model: str | None = None) -> list[LeaderboardRow]:
        """Mean test metric per (task, model, activation), best first; one SQL query."""
        where, args = _filters(task=task, model=model)
        query = (
            "SELECT task, model, activation, metric, "
            "AVG(CASE WHEN status = 'finished' THEN test_metric END), "
            "SUM(status = 'finished'), SUM(status = 'diverged'), SUM(status = 'failed'), "
            "MAX(higher_is_better) "
            f"FROM runs{where} GROUP BY task, model, activation, metric"
        )
        rows: list[tuple[LeaderboardRow, bool]] = []
        for task_, model_, activation, metric, mean, fin, div, fail, higher in self._db.execute(
                query, args):
            row = LeaderboardRow(task_, model_, activation, metric, mean, fin, div, fail)
            rows.append((row, bool(higher)))

        def rank(item: tuple[LeaderboardRow, bool]) -> tuple[Any, ...]:
            row, higher = item
            missing = row.mean is None  # no finished run: last
            score = 0.0 if row.mean is None else (-row.mean if higher else row.mean)
            return (row.task, row.model, missing, score)

        return [row for row, _ in sorted(rows, key=rank)]


def _filters(**values: str | None) -> tuple[str, list[str]]:
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        return "", []
    return " WHERE " + " AND ".join(f"runs.{k} = ?" for k in given), list(given.values())


class _Environments:
    """JSON of environments, each distinct one encoded once (a group shares one)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[tuple[str, str], ...], str] = {}

    def json(self, environment: Mapping[str, str]) -> str:
        items = tuple(sorted(environment.items()))
        if items not in self._seen:
            self._seen[items] = json.dumps(dict(items))
        return self._seen[items]


def _blob(typecode: str, values: Sequence[float]) -> bytes:
    """int64 ("q") or float64 ("d") values as little-endian bytes."""
    packed = array(typecode, values)
    if sys.byteorder != "little":  # pragma: no cover - big-endian machines
        packed.byteswap()
    return packed.tobytes()


def _row(record: RunRecord, config: RunConfig | None,
         environments: _Environments) -> tuple[Any, ...]:
    return (record.key, record.activation, record.task, record.model, record.seed,
            record.status, record.metric, int(record.higher_is_better), record.test_metric,
            record.best_val_metric, record.learning_rate, record.steps_to_target,
            record.seconds_to_target, record.wall_seconds, record.cpu_seconds, record.error,
            environments.json(record.environment),
            None if config is None else config.canonical())


def _record(row: Sequence[Any]) -> RunRecord:
    (key, activation, task, model, seed, status, metric, higher, test, best_val, lr,
     steps_to_target, seconds_to_target, wall, cpu, error, environment, steps, loss) = row
    return RunRecord(key=key, activation=activation, task=task, model=model, seed=seed,
                     status=status, metric=metric, higher_is_better=bool(higher),
                     test_metric=test, best_val_metric=best_val, learning_rate=lr,
                     steps_to_target=steps_to_target, seconds_to_target=seconds_to_target,
                     curve_steps=_array(steps, _STEPS), curve_loss=_array(loss, _LOSSES),
                     wall_seconds=wall, cpu_seconds=cpu, error=error,
                     environment=json.loads(environment))


def _array(blob: bytes | None, dtype: np.dtype) -> tuple[Any, ...]:
    return () if blob is None else tuple(np.frombuffer(blob, dtype).tolist())


def _config(text: str) -> RunConfig:
    from actlab.bench.config import ModelConfig, TaskConfig, TrainingConfig

    data = json.loads(text)
    task = data["task"]
    training = data["training"]
    return RunConfig(
        activation=data["activation"],
        task=TaskConfig(name=task["name"], path=task["path"],
                        options=tuple((k, v) for k, v in task["options"])),
        model=ModelConfig(**data["model"]),
        training=TrainingConfig(**{**training, "lr_grid": tuple(training["lr_grid"])}),
        seed=data["seed"],
    )
