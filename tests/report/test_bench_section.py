"""The report's bench page: built from a pre-filled store of the quick default bench (no
training), reusing runs, its answer and groups from the statistics, failures shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from actlab.bench import spec as bench_spec
from actlab.bench.ranking import rank_summary
from actlab.bench.store import Store
from actlab.cli import main
from actlab.report import build_report
from bench_fake_runs import DIVERGED, FAILED, spec_runs

STRONG = {"gelu": 0.05, "silu": 0.045, "mish": 0.04}  # a clear, made-up ordering


def made_up_accuracy(activation: str, task: str, seed: int) -> float | str:
    if activation == "sigmoid" and seed == 1:
        return DIVERGED
    if activation == "tanh" and seed == 2 and task == "digits":
        return FAILED
    return 0.8 + STRONG.get(activation, 0.0) + 0.001 * ((seed * 7 + len(activation)) % 5)


@pytest.fixture
def small_atlas(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI draws the whole atlas: one activation keeps these tests fast."""
    import actlab

    monkeypatch.setattr(actlab, "names", lambda: ["relu"])


@pytest.fixture
def filled_db(tmp_path: Path) -> Path:
    db = tmp_path / "bench.db"
    with Store(db) as store:
        store.insert(spec_runs(bench_spec.default_spec(quick=True), made_up_accuracy))
    return db


def test_the_bench_page_shows_the_statistics_of_the_stored_runs(
        tmp_path: Path, filled_db: Path) -> None:
    out = tmp_path / "site"
    outcome = build_report(out, only=["bench"], quick=True, quiet=True, activations=["relu"],
                           bench=True, bench_db=filled_db)
    section = outcome.bench
    assert section is not None and section.ok, section and section.traceback
    assert (section.trained, section.reused) == (0, 120)  # everything came from the store
    assert not outcome.runs  # --only bench: no experiment
    page = (out / "bench.html").read_text()
    index = (out / "index.html").read_text()
    summary = rank_summary([r for r in Store(filled_db).records()])
    # the answer and the CD groups are the statistics' own words
    assert summary.sentence() in page and summary.sentence() in index
    assert 'href="bench.html"' in index
    for line in summary.group_lines():
        assert line in page
    assert summary.activations[:3] == ("gelu", "silu", "mish")
    # leaderboards of the three cells, each with its leaders' sentence and 28 pairs
    assert page.count('class="data leaderboard"') == 3
    for board in section.boards:
        assert board.leaders.sentence() in page
    assert page.count("All 28 pairwise comparisons") == 3
    # failed and diverged runs are shown, not dropped
    assert re.search(r"<code>tanh</code> seed 2: RuntimeError: boom", page)
    assert "diverged run(s) rank below every finished run" in page
    for name in ("critical_difference", "rank_heatmap", "seed_outcomes", "learning_curves"):
        assert f'src="bench/{name}.png"' in page
        assert (out / "bench" / f"{name}.png").stat().st_size > 5000


def test_a_bench_that_cannot_run_is_shown_and_fails_the_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_atlas: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    def broken(quick: bool = False) -> object:
        raise RuntimeError("no bench today")

    monkeypatch.setattr(bench_spec, "default_spec", broken)
    out = tmp_path / "site"
    code = main(["report", "--out", str(out), "--only", "bench", "--quick", "--quiet"])
    assert code == 1
    assert "the bench failed" in capsys.readouterr().err
    page = (out / "bench.html").read_text()
    assert "RuntimeError: no bench today" in page and "status-error" in page


def test_without_only_or_with_no_bench(tmp_path: Path, filled_db: Path, small_atlas: None,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from actlab.report import builder

    monkeypatch.setattr(builder, "select", lambda names: [])  # no experiment: keep it fast
    out = tmp_path / "site"
    outcome = build_report(out, quick=True, quiet=True, activations=["relu"], bench=True,
                           bench_db=filled_db)
    assert outcome.bench is not None and (out / "bench.html").is_file()
    other = tmp_path / "other"
    code = main(["report", "--out", str(other), "--only", "bench", "--no-bench", "--quiet",
                 "--quick"])
    assert code == 0 and not (other / "bench.html").exists()
    assert 'href="bench.html"' not in (other / "index.html").read_text()


def test_the_default_store_lives_in_the_report_and_runs_are_reused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real (tiny) sweep: the first report trains, the second reuses every run."""
    tiny = bench_spec.spec_from_options("relu,tanh,sigmoid", "digits", "mlp(depth=1,width=8)",
                                        seeds=2, training={"budget": 5})
    monkeypatch.setattr(bench_spec, "default_spec", lambda quick=False: tiny)
    out = tmp_path / "site"
    first = build_report(out, only=["bench"], quick=True, quiet=True, activations=["relu"],
                         bench=True)
    assert first.bench is not None and first.bench.ok, first.bench.traceback
    assert first.bench.db == out / "bench" / "runs.db"
    assert (first.bench.trained, first.bench.reused) == (6, 0)
    again = build_report(out, only=["bench"], quick=True, quiet=True, activations=["relu"],
                         bench=True)
    assert again.bench is not None
    assert (again.bench.trained, again.bench.reused) == (0, 6)
    assert len(Store(out / "bench" / "runs.db").records()) == 6
