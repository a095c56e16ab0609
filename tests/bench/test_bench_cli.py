"""``actlab bench run / status / export``: a real small sweep, the status and export views,
and every mistake a user can make ending in one line and exit code 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from actlab.bench.records import RunRecord
from actlab.bench.spec import spec_from_options
from actlab.bench.store import Store
from actlab.cli import main
from cli_errors import one_line_error


def test_run_status_and_export_a_real_small_sweep(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # --db defaults to actlab.db in the working directory
    grid = ["--activations", "relu,tanh", "--task", "digits", "--seeds", "2", "--budget", "30"]
    assert main(["bench", "run", *grid, "--workers", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "4 trained, 0 diverged, 0 failed, 0 already in actlab.db" in out
    assert main(["bench", "run", *grid, "--quiet"]) == 0  # resumed: nothing left to train
    assert "0 trained, 0 diverged, 0 failed, 4 already in actlab.db" in capsys.readouterr().out

    grown = ["--activations", "relu,tanh,gelu", "--task", "digits", "--seeds", "2",
             "--budget", "30"]
    assert main(["bench", "status", *grown]) == 0
    status = capsys.readouterr().out
    assert "to do" in status
    assert table_row(status) == ["4", "0", "0", "2"]  # finished, diverged, failed, to do

    assert main(["bench", "export", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["activation"], r["seed"], r["status"]) for r in rows] == [
        ("relu", "0", "finished"), ("relu", "1", "finished"),
        ("tanh", "0", "finished"), ("tanh", "1", "finished")]
    assert all(0.0 <= float(r["test_accuracy"]) <= 1.0 and r["test_loss"] == "" for r in rows)
    assert {"task", "model"} <= set(rows[0])


def table_row(text: str) -> list[str]:
    """The cells of the first data row of a rich table."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        if cells and all(c.isdigit() for c in cells):
            return cells
    raise AssertionError(f"no row of numbers in:\n{text}")


def stored_runs(db: Path) -> None:
    """A store with three finished digits runs, one failed, and one regression run."""
    spec = spec_from_options("relu,gelu", "digits", seeds=2)
    records = []
    for run in spec.runs():
        failed = run.activation == "gelu" and run.seed == 1
        records.append(RunRecord(
            key=run.key(), activation=run.activation, task="digits",
            model="mlp(depth=2,width=100)", seed=run.seed,
            status="failed" if failed else "finished", metric="test_accuracy",
            higher_is_better=True, test_metric=None if failed else 0.9 + run.seed / 100,
            curve_steps=(0, 10), curve_loss=(2.0, 1.0),
            error="Traceback (most recent call last):\n  ...\nValueError: a bad batch\n"
            if failed else None))
    records.append(RunRecord(key="reg", activation="relu", task="sin", model="mlp", seed=0,
                             status="finished", metric="test_loss", higher_is_better=False,
                             test_metric=0.25))
    with Store(db) as store:
        store.insert(records, spec.runs())


def test_status_lists_failed_runs_with_their_last_error_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: one table row per run
    db = tmp_path / "b.db"
    stored_runs(db)
    assert main(["bench", "status", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert table_row(out) == ["4", "0", "1"]
    assert "failed runs" in out
    assert "ValueError: a bad batch" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_export_writes_one_row_per_run(tmp_path: Path, fmt: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "b.db"
    stored_runs(db)
    out_file = tmp_path / f"runs.{fmt}"
    assert main(["bench", "export", "--db", str(db), "--format", fmt, "-o", str(out_file)]) == 0
    text = out_file.read_text()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == 5
        regression = next(r for r in rows if r["task"] == "sin")
        assert (regression["test_accuracy"], regression["test_loss"]) == ("", "0.25")
        failed = next(r for r in rows if r["status"] == "failed")
        assert (failed["test_accuracy"], failed["error"]) == ("", "ValueError: a bad batch")
    elif fmt == "json":
        runs = json.loads(text)
        assert len(runs) == 5
        assert {r["task"] for r in runs} == {"digits", "sin"}
        assert runs[0]["curve_loss"] == [2.0, 1.0]
    else:
        lines = text.splitlines()
        assert lines[0].startswith("| activation | task | model | seed | status | test_accuracy")
        assert len(lines) == 2 + 5


def test_user_mistakes_end_in_one_line(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text('activations = ["relu"]\ntasks = ["digits"]\n')
    db = str(tmp_path / "b.db")
    assert "nothing to run" in one_line_error(capsys, "bench", "run", "--db", db)
    assert "not both" in one_line_error(capsys, "bench", "run", str(spec), "--seeds", "3")
    assert "--task is missing" in one_line_error(capsys, "bench", "run", "--activations", "relu")
    assert "--activations is missing" in one_line_error(capsys, "bench", "run", "--task", "x")
    assert "unknown activation 'rleu'" in one_line_error(
        capsys, "bench", "run", "--activations", "rleu", "--task", "digits", "--db", db)
    assert "no such spec file" in one_line_error(capsys, "bench", "run",
                                                 str(tmp_path / "absent.toml"))
    assert "--workers must be at least 1" in one_line_error(
        capsys, "bench", "run", str(spec), "--workers", "0", "--db", db)
    assert "--address is for --executor ray" in one_line_error(
        capsys, "bench", "run", str(spec), "--address", "auto", "--db", db)
    assert "cannot reach a Ray cluster at 127.0.0.1:1" in one_line_error(
        capsys, "bench", "run", str(spec), "--executor", "ray", "--address", "127.0.0.1:1",
        "--db", db)
    assert "--address must be auto or HOST:PORT" in one_line_error(
        capsys, "bench", "run", str(spec), "--executor", "ray", "--address", "head-node",
        "--db", db)
    assert "--lr-grid" in one_line_error(
        capsys, "bench", "run", "--activations", "relu", "--task", "digits", "--lr-grid",
        "fast,slow", "--db", db)
    assert "training.budget" in one_line_error(
        capsys, "bench", "run", "--activations", "relu", "--task", "digits", "--budget", "0",
        "--db", db)
    assert "is a directory" in one_line_error(capsys, "bench", "run", str(spec), "--db",
                                              str(tmp_path))
    assert "digits × cnn1d: cnn1d needs 1-D signals" in one_line_error(
        capsys, "bench", "run", "--activations", "relu", "--task", "digits", "--model", "cnn1d",
        "--db", db)
    for command in ("status", "export"):
        assert "no bench database here" in one_line_error(
            capsys, "bench", command, "--db", str(tmp_path / "absent.db"))
    assert not (tmp_path / "absent.db").exists()
