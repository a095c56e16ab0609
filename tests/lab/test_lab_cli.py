"""``actlab lab list`` and ``actlab lab run`` end to end (through the CLI's main())."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from actlab.cli import main


def test_lab_list_names_every_issue3_experiment(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("gallery", "gates", "linear_collapse", "approximation", "derivatives",
                 "saturation_basics", "softmax"):
        assert name in out


def test_lab_run_quick_writes_json_and_png(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["lab", "run", "softmax", "--quick", "--quiet", "--seed", "3",
                 "--out", str(tmp_path)])
    assert code == 0
    run_dir = tmp_path / "softmax"
    data = json.loads((run_dir / "result.json").read_text())
    assert data["config"]["seed"] == 3
    pngs = sorted(run_dir.glob("*.png"))
    assert {p.stem for p in pngs} == {"overflow", "sum_to_one"}
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    out = capsys.readouterr().out
    assert "checks" in out and "holds" in out and "metrics" in out


def test_lab_run_prints_claims_and_checks_apart_with_seeds_and_intervals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "240")  # one line per row, so the text can be searched
    code = main(["lab", "run", "temperature_neuron", "--quick", "--quiet",
                 "--out", str(tmp_path)])
    assert code == 0
    out = capsys.readouterr().out
    claims, checks = out.index("temperature_neuron: claims"), out.index("checks (facts")
    assert claims < checks
    claim_part, check_part = out[claims:checks], out[checks:]
    assert "seeds" in claim_part and "95% interval" in claim_part
    assert "recovers the slope" in claim_part and "recovers the slope" not in check_part
    assert "C2F neuron" in check_part and "holds" in check_part
    data = json.loads((tmp_path / "temperature_neuron" / "result.json").read_text())
    assert [c["kind"] for c in data["claims"]] == ["check", "claim", "claim"]
    assert [c["seeds"] for c in data["claims"]] == [1, 5, 5]
    assert data["claims"][0]["interval"] is None and len(data["claims"][1]["interval"]) == 2


def test_lab_run_with_a_failing_check_says_so_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from actlab.lab import softmax
    from actlab.lab.result import Claim

    real = softmax.run

    def buggy(config, progress=None):
        result = real(config, progress)
        result.claims.append(Claim.check("1 + 1 = 3", "nowhere", 3, 2, holds=False))
        return result

    monkeypatch.setattr(softmax, "run", buggy)
    code = main(["lab", "run", "softmax", "--quick", "--quiet", "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 1
    assert "CHECK(S) FAIL" in captured.out and "fails" in captured.out
    assert captured.err.count("\n") == 1 and "1 check(s) of softmax FAIL" in captured.err
    assert (tmp_path / "softmax" / "result.json").is_file()  # the results are kept


def test_lab_run_with_progress_bar(tmp_path: Path) -> None:
    assert main(["lab", "run", "derivatives", "--quick", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "derivatives" / "error_vs_h.png").is_file()


def test_unknown_experiment_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lab", "run", "softmx", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "unknown experiment 'softmx'" in err and "softmax" in err


def test_save_run_returns_the_paths(tmp_path: Path) -> None:
    from actlab.lab.outputs import load_result, save_run
    from actlab.lab.registry import experiment

    exp = experiment("linear_collapse")
    result = exp.run(exp.config(quick=True))
    written = save_run(exp, result, tmp_path)
    assert written["result"] == tmp_path / "linear_collapse" / "result.json"
    assert written["collapse"].is_file()
    assert load_result(exp, tmp_path).metrics == result.metrics
