"""``actlab bench show / compare / plot`` on a store filled by hand (no training)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image
import pytest

from actlab.bench.store import Store
from actlab.cli import main
from bench_fake_runs import DIVERGED, FAILED, runs
from cli_errors import one_line_error

TABLE = {
    "relu": [0.91, 0.92, 0.93, 0.90, 0.94, 0.92, 0.93],
    "gelu": [0.90, 0.92, 0.92, 0.91, 0.93, 0.91, 0.92],
    "sigmoid": [0.80, 0.81, DIVERGED, 0.79, 0.82, 0.80, FAILED],
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "bench.db"
    with Store(path) as store:
        store.insert(runs(TABLE, task="digits") + runs(TABLE, task="mnist1d", model="cnn1d"))
    return path



def test_show_prints_leaderboards_leaders_and_the_ranking(
        db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "show", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "digits / mlp" in out and "mnist1d / cnn1d" in out
    assert "No activation is best" in out  # 7 seeds, 3 pairs: relu-gelu is not significant
    assert "diverged runs rank below every finished run" in out
    assert "failed (left out): sigmoid seed 6: RuntimeError: boom" in out
    assert "Friedman test over 12 (task, model, seed) runs" in out  # seeds 0-5, twice
    rows = [line for line in out.splitlines() if "sigmoid" in line and "│" in line]
    # sigmoid: 5 finished, 1 diverged, 1 failed, last on both boards
    assert rows and all(line.split("│")[1].strip() == "3" for line in rows[:2])
    assert all(line.split("│")[-4:-1] == [" 5 ", " 1 ", " 1 "] or
               [c.strip() for c in line.split("│")[-4:-1]] == ["5", "1", "1"]
               for line in rows[:2])


def test_show_ranks_tasks_as_blocks_on_request(db: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "show", "--db", str(db), "--blocks", "tasks"]) == 0
    out = capsys.readouterr().out
    assert "Friedman test over 2 (task, model) pairs" in out


def test_show_one_task(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "show", "--db", str(db), "--task", "mnist1d"]) == 0
    out = capsys.readouterr().out
    assert "mnist1d / cnn1d" in out and "digits" not in out
    assert "Friedman" not in out  # one task: nothing to rank across


def test_compare_two_activations(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "compare", "relu", "sigmoid", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "relu against sigmoid" in out
    # seed 6 failed for sigmoid: 6 pairs, relu won all (seed 2 is sigmoid's diverged run)
    assert out.count("6 / 0 / 0") == 2
    # exact two-sided p of 6 wins = 2/64, Holm x3 = 0.094
    assert "0.031" in out and "0.094" in out


def test_compare_and_show_errors_are_one_line(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, "bench", "compare", "relu", "mish", "--db", str(db))
    assert "'mish' has no runs in this database (it has: gelu, relu, sigmoid)" in err
    err = one_line_error(capsys, "bench", "compare", "relu", "relu", "--db", str(db))
    assert "two different activations" in err
    missing = tmp_path / "nothing.db"
    err = one_line_error(capsys, "bench", "show", "--db", str(missing))
    assert "no such bench database" in err
    assert not missing.exists()  # reading never creates a database
    empty = tmp_path / "empty.db"
    Store(empty).close()
    assert "no bench runs" in one_line_error(capsys, "bench", "show", "--db", str(empty))
    assert "no bench runs for task moons" in one_line_error(
        capsys, "bench", "show", "--db", str(db), "--task", "moons")
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello, this is not SQLite" * 100)
    assert "not an actlab bench database" in one_line_error(
        capsys, "bench", "plot", "--db", str(not_a_db))


def test_plot_writes_the_four_figures(db: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures"
    assert main(["bench", "plot", "--db", str(db), "-o", str(out)]) == 0
    written = capsys.readouterr().out.split()
    names = sorted(Path(p).name for p in written)
    assert names == ["critical_difference.png", "learning_curves.png", "rank_heatmap.png",
                     "seed_outcomes.png"]
    for path in written:
        image = matplotlib.image.imread(path)
        assert image.shape[0] > 100 and image.shape[1] > 300
        assert image.std() > 0.05  # not a blank canvas


def test_plot_into_a_file_is_a_one_line_error(db: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    err = one_line_error(capsys, "bench", "plot", "--db", str(db), "-o", str(a_file / "sub"))
    assert "figure directory" in err
