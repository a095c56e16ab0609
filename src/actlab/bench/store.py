"""The bench's SQLite store: one row per run, keyed by ``RunConfig.key()``.

One process writes (the sweep's parent); workers only return records.  The
database is in WAL mode and every :meth:`Store.insert` is one transaction, so a
process killed at any moment (SIGKILL included) leaves every committed run in
place and none half-written.  Inserting is idempotent: a finished or diverged
run is never replaced or duplicated; a failed run is replaced when it is run
again.

Layout: ``runs`` holds the scalar fields, the run's canonical configuration and
the id of its environment, with a covering index for leaderboards, so a
leaderboard over 100,000 runs reads the index alone; ``environments`` holds
each distinct environment once (JSON); ``curves`` holds each run's learning
curve, by the run's id, apart so that scans of ``runs`` stay small:

* losses as little-endian float32 (read back as the float32 nearest each loss:
  a curve is a picture of training, not a result; a loss beyond float32's
  range reads back infinite);
* steps implied by ``first`` and ``stride`` (``first + i * stride``) when they
  are evenly spaced and as many as the losses (a budget in steps down-samples
  to such a grid), else as little-endian int32 (int64 beyond int32's range):
  steps always read back exactly.

Writing is what bounds a big insert (100,000 runs in about 1.5 s of CPU, see
benchmarks/README.md), so an insert is one ``executemany`` per table in one
transaction (``BEGIN IMMEDIATE``: what is stored cannot change under its
checks), with the rows built in one pass; a bulk insert (at least as many runs
as are stored) builds the indexes of ``runs`` afresh instead of updating them
row by row; new databases have 16 KiB pages.  WAL with ``synchronous=NORMAL``:
a committed insert survives the writer being killed (only a power cut or an OS
crash may lose the last commits).  A store of an older schema (2: 64-bit curves
keyed by run key) is refused with a :class:`UserError`, never changed.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import struct
import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actlab.bench.config import RunConfig
from actlab.bench.records import RunRecord
from actlab.errors import UserError

SCHEMA_VERSION = 3
DONE = ("finished", "diverged")  # outcomes: a sweep never trains these again
_SWAP = sys.byteorder != "little"  # the layout is little-endian whatever the machine
_CHUNK = 500  # keys per "IN (...)" query (SQLite bounds the number of parameters)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,  -- unique: runs_key
    activation TEXT NOT NULL,
    task TEXT NOT NULL,
    model TEXT NOT NULL,
    seed INTEGER NOT NULL,
    status TEXT NOT NULL,  -- finished, diverged or failed (checked on insert)
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
    environment INTEGER NOT NULL,  -- environments.id
    config TEXT,
    inserted_at TEXT NOT NULL  -- UTC, "YYYY-MM-DD HH:MM:SS"
);
CREATE TABLE IF NOT EXISTS curves (
    run INTEGER PRIMARY KEY,  -- runs.id
    points INTEGER NOT NULL,  -- how many steps
    first INTEGER,  -- evenly spaced steps: first + i * stride (steps is NULL) ...
    stride INTEGER,
    steps BLOB,  -- ... else int32 (or int64: 8 bytes a step) little-endian steps
    loss BLOB NOT NULL  -- float32 little-endian
);
CREATE TABLE IF NOT EXISTS environments (id INTEGER PRIMARY KEY, json TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# the indexes of ``runs``: a bulk insert drops them and builds them again (see insert)
_INDEXES = """
CREATE UNIQUE INDEX IF NOT EXISTS runs_key ON runs (key);
CREATE INDEX IF NOT EXISTS runs_leaderboard
    ON runs (task, model, activation, metric, status, test_metric, higher_is_better);
"""
_PAGE_SIZE = 16384
_BULK = 5000  # at least this many new runs, and as many as were stored: a bulk insert

_COLUMNS = ("key", "activation", "task", "model", "seed", "status", "metric",
            "higher_is_better", "test_metric", "best_val_metric", "learning_rate",
            "steps_to_target", "seconds_to_target", "wall_seconds", "cpu_seconds", "error",
            "environment", "config")
_STATUSES = frozenset(("finished", "diverged", "failed"))
_INSERT_RUN = (f"INSERT INTO runs (id, {', '.join(_COLUMNS)}, inserted_at) "
               f"VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})")
_INSERT_CURVE = ("INSERT INTO curves (run, points, first, stride, steps, loss) "
                 "VALUES (?, ?, ?, ?, ?, ?)")
_SELECT = (", ".join(f"runs.{c}" for c in _COLUMNS[:-2])
           + ", environments.json, curves.points, curves.first, curves.stride, curves.steps, "
           "curves.loss "
           "FROM runs JOIN environments ON environments.id = runs.environment "
           "LEFT JOIN curves ON curves.run = runs.id")


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
            # a new database: 16 KiB pages (fewer, fuller pages to write for 600-byte runs);
            # an existing one keeps its own
            self._db.execute(f"PRAGMA page_size={_PAGE_SIZE}")
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives the process being killed (not a power cut)
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA cache_size=-65536")  # 64 MiB: big stores insert faster
            if self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
                self._check_version()  # before anything is created in another schema
            self._db.executescript(_SCHEMA + _INDEXES)
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
            # taking the write lock first: what is stored cannot change under the checks
            self._db.execute("BEGIN IMMEDIATE")
            before = self._statuses([r.key for r in batch])
            stored = dict(before)
            fresh: dict[str, RunRecord] = {}
            for record in batch:
                if stored.get(record.key, "failed") == "failed":
                    fresh[record.key] = record
                    stored[record.key] = record.status
            if not fresh:
                return 0
            replaced = [(k,) for k in fresh if k in before]  # failed runs run again
            if replaced:
                self._db.executemany("DELETE FROM curves WHERE run = "
                                     "(SELECT id FROM runs WHERE key = ?)", replaced)
                self._db.executemany("DELETE FROM runs WHERE key = ?", replaced)
            (last,) = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM runs").fetchone()
            now = self._db.execute("SELECT datetime('now')").fetchone()[0]
            environments = _Environments(self._db)
            curve = _Curves()
            runs: list[tuple[Any, ...]] = []
            curves: list[tuple[Any, ...]] = []
            for run_id, r in enumerate(fresh.values(), start=last + 1):  # one pass
                if r.status not in _STATUSES:
                    raise ValueError(f"run {r.key}: status {r.status!r} is not one of "
                                     f"{sorted(_STATUSES)}")
                config = by_key.get(r.key)
                runs.append((run_id, r.key, r.activation, r.task, r.model, r.seed, r.status,
                             r.metric, r.higher_is_better, r.test_metric, r.best_val_metric,
                             r.learning_rate, r.steps_to_target, r.seconds_to_target,
                             r.wall_seconds, r.cpu_seconds, r.error,
                             environments.id(r.environment),
                             None if config is None else config.canonical(), now))
                if r.curve_steps or r.curve_loss:
                    curves.append(curve.row(run_id, r.curve_steps, r.curve_loss))
            # a bulk insert (e.g. an import into a small store) builds the indexes of runs
            # afresh, sorting once instead of updating them row by row; a duplicate key
            # cannot arise (keys were made unique above), and would abort the transaction
            bulk = len(runs) >= max(_BULK, last)  # last id >= runs stored
            if bulk:
                self._db.execute("DROP INDEX runs_key")
                self._db.execute("DROP INDEX runs_leaderboard")
            self._db.executemany(_INSERT_RUN, runs)
            self._db.executemany(_INSERT_CURVE, curves)
            if bulk:
                self._create_indexes()
        return len(fresh)

    def _create_indexes(self) -> None:
        for statement in _INDEXES.split(";"):
            if statement.strip():
                self._db.execute(statement)

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
    """Ids of environments in the ``environments`` table, each distinct one looked up or
    added once (a group shares one)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._ids: dict[tuple[tuple[str, str], ...], int] = {}
        self._as_built: dict[tuple[tuple[str, str], ...], int] = {}

    def id(self, environment: Mapping[str, str]) -> int:
        as_built = tuple(environment.items())  # equal environments are built alike
        found = self._as_built.get(as_built)
        if found is not None:
            return found
        items = tuple(sorted(as_built))
        found = self._ids.get(items)
        if found is None:
            text = json.dumps(dict(items))
            row = self._db.execute("SELECT id FROM environments WHERE json = ?",
                                   (text,)).fetchone()
            if row is None:
                cursor = self._db.execute("INSERT INTO environments (json) VALUES (?)", (text,))
                assert cursor.lastrowid is not None
                row = (cursor.lastrowid,)
            found = self._ids[items] = int(row[0])
        self._as_built[as_built] = found
        return found


class _Curves:
    """``curves`` rows (see the module's doc), with the packers and step grids of one insert
    shared between its runs."""

    def __init__(self) -> None:
        self._grids: dict[tuple[int, int, int], tuple[int, ...]] = {}

    def row(self, run_id: int, steps: Sequence[int], loss: Sequence[float]) -> tuple[Any, ...]:
        """(run, points, first, stride, steps, loss)."""
        n = len(steps)
        if n == len(loss) and n:
            first = steps[0]
            stride = steps[1] - first if n > 1 else 1
            if stride > 0:
                grid = self._grids.get((first, stride, n))
                if grid is None:
                    grid = self._grids[first, stride, n] = tuple(
                        range(first, first + n * stride, stride))
                if steps == grid:
                    return run_id, n, first, stride, None, _pack("f", loss)
        return run_id, n, None, None, _pack("i", steps), _pack("f", loss)


def _pack(code: str, values: Sequence[Any]) -> bytes:
    """Little-endian float32 ("f": infinite beyond its range) or int32 ("i": int64 beyond
    its range) values."""
    try:
        return _struct(code, len(values)).pack(*values)
    except (OverflowError, struct.error):
        if code == "f":  # a finite value beyond float32's range
            packed = array("f", values)  # rounds it to infinity
            if _SWAP:  # pragma: no cover - big-endian machines
                packed.byteswap()
            return packed.tobytes()
        return _struct("q", len(values)).pack(*values)


@functools.lru_cache(maxsize=256)
def _struct(code: str, n: int) -> struct.Struct:
    return struct.Struct(f"<{n}{code}")


def _record(row: Sequence[Any]) -> RunRecord:
    (key, activation, task, model, seed, status, metric, higher, test, best_val, lr,
     steps_to_target, seconds_to_target, wall, cpu, error, environment,
     points, first, stride, steps, loss) = row
    return RunRecord(key=key, activation=activation, task=task, model=model, seed=seed,
                     status=status, metric=metric, higher_is_better=bool(higher),
                     test_metric=test, best_val_metric=best_val, learning_rate=lr,
                     steps_to_target=steps_to_target, seconds_to_target=seconds_to_target,
                     curve_steps=_steps(points, first, stride, steps),
                     curve_loss=_unpack("f", loss), wall_seconds=wall, cpu_seconds=cpu,
                     error=error, environment=json.loads(environment))


def _steps(points: int | None, first: int | None, stride: int | None,
           blob: bytes | None) -> tuple[int, ...]:
    if points is None:  # no curve stored
        return ()
    if blob is None:
        assert first is not None and stride is not None
        return tuple(range(first, first + points * stride, stride))
    return _unpack("i" if len(blob) == 4 * points else "q", blob)


def _unpack(code: str, blob: bytes | None) -> tuple[Any, ...]:
    if blob is None:
        return ()
    return _struct(code, len(blob) // struct.calcsize(code)).unpack(blob)


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
