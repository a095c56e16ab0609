"""The SQLite store: records round-trip, inserting is idempotent, failed runs give way."""

from __future__ import annotations

import dataclasses
import sqlite3
from array import array
from pathlib import Path
from typing import Any

import pytest

from actlab.bench.records import RunRecord
from actlab.bench.spec import spec_from_options
from actlab.bench.store import Store
from actlab.errors import UserError


def record(key: str, activation: str = "relu", seed: int = 0, status: str = "finished",
           value: float | None = 0.9, task: str = "digits", **changes: object) -> RunRecord:
    base = RunRecord(key=key, activation=activation, task=task, model="mlp(depth=2,width=100)",
                     seed=seed, status=status, metric="test_accuracy",  # type: ignore[arg-type]
                     higher_is_better=True, test_metric=value, best_val_metric=0.95,
                     learning_rate=0.01, steps_to_target=120, seconds_to_target=1.5,
                     curve_steps=(0, 50, 100), curve_loss=(2.5, 0.75, 0.25), wall_seconds=3.0,
                     cpu_seconds=2.5, environment={"host": "here", "torch": "2.13.0"})
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def rows(db: Path) -> int:
    with sqlite3.connect(db) as raw:
        return int(raw.execute("SELECT COUNT(*) FROM runs").fetchone()[0])


def test_a_record_comes_back_field_for_field(tmp_path: Path) -> None:
    original = record("a", error=None)
    failed = record("b", status="failed", value=None, error="Traceback ...\nValueError: boom")
    with Store(tmp_path / "s.db") as store:
        assert store.insert([original, failed]) == 2
        assert store.records() == [original, failed]
        assert store.records(status="failed") == [failed]
        assert store.records(task="moons") == []


@pytest.mark.parametrize("steps", [
    (0, 50, 100),  # evenly spaced: stored as first and stride
    (7,),
    (12, 24, 37, 49),  # uneven (a budget in epochs down-samples so): stored as int32
    (0, 2**31, 2**40),  # beyond int32: stored as int64
    (3, 2, 1),
    (5, 5, 5),
    (1, 2),  # fewer steps than losses: stored as they are
    (),
])
def test_curves_come_back_with_exact_steps_and_float32_losses(tmp_path: Path,
                                                               steps: tuple[int, ...]) -> None:
    loss = (2.3, 0.7, 1e-9) if len(steps) != 1 else (0.1,)
    original = record("a", curve_steps=steps, curve_loss=loss)
    with Store(tmp_path / "s.db") as store:
        store.insert([original])
        (back,) = store.records()
    assert back.curve_steps == steps
    assert all(isinstance(s, int) for s in back.curve_steps)
    assert back.curve_loss == tuple(array("f", loss))  # the float32 nearest each loss
    assert back.curve_loss == pytest.approx(loss, rel=1e-7)
    assert dataclasses.replace(back, curve_loss=loss) == original


def test_a_run_without_a_curve_has_none_stored(tmp_path: Path) -> None:
    failed = record("a", status="failed", value=None, curve_steps=(), curve_loss=(), error="E")
    with Store(tmp_path / "s.db") as store:
        store.insert([failed])
        assert store.records() == [failed]
    with sqlite3.connect(tmp_path / "s.db") as raw:
        assert raw.execute("SELECT COUNT(*) FROM curves").fetchone()[0] == 0


def test_a_loss_beyond_float32_reads_back_infinite(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.insert([record("a", curve_loss=(1e300, 0.5, float("nan")))])
        (back,) = store.records()
    assert back.curve_loss[0] == float("inf") and back.curve_loss[1] == 0.5
    assert back.curve_loss[2] != back.curve_loss[2]  # NaN


def test_an_older_schema_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as raw:
        raw.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        raw.execute("INSERT INTO meta VALUES ('schema', '2')")
    with pytest.raises(UserError, match="schema 2"):
        Store(db)
    with sqlite3.connect(db) as raw:
        assert [n for (n,) in raw.execute("SELECT name FROM sqlite_master")] == [
            "meta", "sqlite_autoindex_meta_1"]


def test_inserting_twice_keeps_one_row_per_key(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = [record("a"), record("b", seed=1)]
    with Store(db) as store:
        store.insert(first)
        # the same runs again, one with another outcome: a finished run is never replaced
        assert store.insert([record("a", value=0.1), record("b", seed=1)]) == 0
        assert store.insert([record("a", status="failed", value=None, error="x")]) == 0
        assert store.records() == first
    assert rows(db) == 2


def test_a_failed_run_is_replaced_when_it_is_run_again(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.insert([record("a", status="failed", value=None, error="E: one")])
        store.insert([record("a", status="failed", value=None, error="E: two")])
        assert [r.error for r in store.records()] == ["E: two"]
        store.insert([record("a", value=0.8)])
        assert store.records() == [record("a", value=0.8)]
        assert store.status_counts() == {"finished": 1, "diverged": 0, "failed": 0}
    assert rows(db) == 1
    with sqlite3.connect(db) as raw:  # the failed runs' curves went with them
        assert raw.execute("SELECT COUNT(*) FROM curves").fetchone()[0] == 1


def test_a_batch_of_many_runs_and_a_retry_among_them(tmp_path: Path) -> None:
    many = [record(f"k{i}", seed=i, curve_steps=tuple(range(10, 1010, 10)),
                   curve_loss=tuple(1 / (j + 1) for j in range(100))) for i in range(1200)]
    failed = record("k5", seed=5, status="failed", value=None, error="E")
    with Store(tmp_path / "s.db") as store:
        assert store.insert([failed, *many[:3]]) == 4
        assert store.insert(many) == 1197  # k0-k2 kept, k5 replaced
        back = {r.key: r for r in store.records()}
    assert len(back) == 1200 and back["k5"].status == "finished"
    assert [back[r.key].curve_steps for r in many] == [r.curve_steps for r in many]
    assert back["k7"].curve_loss == tuple(array("f", many[7].curve_loss))


def test_keys_and_counts_by_status(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.insert([record("a"), record("b", status="diverged", value=None),
                      record("c", status="failed", value=None, error="E")])
        assert store.finished_keys() == {"a", "b"}  # diverged is an outcome, not to redo
        assert store.keys("failed") == {"c"}
        assert store.keys() == {"a", "b", "c"}
        assert store.status_counts() == {"finished": 1, "diverged": 1, "failed": 1}


def test_the_canonical_configuration_is_stored_beside_the_run(tmp_path: Path) -> None:
    runs = spec_from_options("relu,elu(alpha=0.5)", "moons(noise=0.2)", seeds=2,
                             training={"lr_grid": [0.1, 0.01]}).runs()
    records = [record(r.key(), activation=r.activation, seed=r.seed) for r in runs]
    with Store(tmp_path / "s.db") as store:
        store.insert(records, runs)
        assert store.configs() == {r.key(): r for r in runs}


def test_the_leaderboard_ranks_by_mean_and_counts_outcomes(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.insert([
            record("1", "relu", 0, value=0.80), record("2", "relu", 1, value=0.90),
            record("3", "gelu", 0, value=0.95), record("4", "gelu", 1, status="diverged",
                                                      value=None),
            record("5", "tanh", 0, status="failed", value=None, error="E"),
            record("6", "relu", 0, value=0.1, task="moons"),
        ])
        board = store.leaderboard(task="digits")
    assert [(r.activation, r.mean, r.finished, r.diverged, r.failed) for r in board] == [
        ("gelu", 0.95, 1, 1, 0), ("relu", pytest.approx(0.85), 2, 0, 0), ("tanh", None, 0, 0, 1)]


def test_a_loss_leaderboard_puts_the_lowest_first(tmp_path: Path) -> None:
    loss: dict[str, Any] = {"metric": "test_loss", "higher_is_better": False}
    with Store(tmp_path / "s.db") as store:
        store.insert([record("1", "relu", value=0.3, **loss), record("2", "gelu", value=0.1,
                                                                     **loss)])
        assert [r.activation for r in store.leaderboard()] == ["gelu", "relu"]


def test_the_store_is_in_wal_mode(tmp_path: Path) -> None:
    Store(tmp_path / "s.db").close()
    with sqlite3.connect(tmp_path / "s.db") as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_opening_what_is_not_a_store_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no bench database here"):
        Store(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()
    text = tmp_path / "notes.db"
    text.write_text("my notes, not a database " * 100)
    with pytest.raises(UserError, match="not an actlab bench database"):
        Store(text)
    assert text.read_text().startswith("my notes")  # nothing the user saved is lost
    with pytest.raises(UserError, match="is a directory"):
        Store(tmp_path)
    with pytest.raises(UserError, match="does not exist"):
        Store(tmp_path / "no" / "s.db")


def test_a_bulk_insert_builds_the_indexes_again(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from actlab.bench import store as store_module

    monkeypatch.setattr(store_module, "_BULK", 3)
    db = tmp_path / "s.db"
    with Store(db) as store:
        assert store.insert([record("x", status="failed", value=None, error="E")]) == 1
        assert store.insert([record(f"k{i}", seed=i) for i in range(4)]
                            + [record("x", value=0.5)]) == 5  # bulk: 5 new >= 3 and >= 1
        assert store.insert([record("k1", value=0.1)]) == 0
        assert len(store.records()) == 5 and store.records(status="failed") == []
        assert [r.mean for r in store.leaderboard()] == [pytest.approx(0.82)]
    with sqlite3.connect(db) as raw:
        indexes = {n for (n,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"runs_key", "runs_leaderboard"} <= indexes
        plan = " ".join(str(r) for r in raw.execute(
            "EXPLAIN QUERY PLAN SELECT task, AVG(test_metric) FROM runs GROUP BY task, model"))
        assert "runs_leaderboard" in plan
        with pytest.raises(sqlite3.IntegrityError):  # the key is still unique
            raw.execute("INSERT INTO runs SELECT * FROM runs LIMIT 1")
