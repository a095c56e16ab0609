"""``actlab report --data DIR``: the directory reaches the experiments that read data files."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from click.testing import CliRunner

from actlab.cli import app
from actlab.lab.result import Result
from cifar_files import write_fake_cifar10
from cli_errors import one_line_error


def test_report_data_option_runs_the_cifar_race(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    write_fake_cifar10(tmp_path / "my data", rows=12, cue=True)
    out = tmp_path / "site"
    monkeypatch.chdir(tmp_path)  # a relative --data is kept as the absolute directory
    result = CliRunner().invoke(app, ["report", "--quick", "--quiet", "--no-bench",
                                      "--only", "convergence_race,gates",
                                      "--data", "my data", "--out", str(out)])
    assert result.exit_code == 0, result.output
    race = Result.from_json(
        (out / "experiments" / "convergence_race" / "result.json").read_text())
    assert "cifar10_cifar_cnn" in race.curves["races"]
    assert any("CIFAR-10" in c.statement for c in race.claims)
    # the page's reproduce line names the directory; gates reads no files and ran as usual
    page = (out / "experiments" / "convergence_race.html").read_text()
    # (quoted for the shell: the path has a space)
    assert f"--data '{(tmp_path / 'my data').resolve()}'" in html.unescape(page)
    assert "--data" not in (out / "experiments" / "gates.html").read_text()


def test_report_data_option_names_a_missing_directory(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    error = one_line_error(capsys, "report", "--quick", "--no-bench", "--only", "gates",
                           "--data", str(tmp_path / "absent"), "--out", str(tmp_path / "site"))
    assert "absent: does not exist" in error
    assert not (tmp_path / "site").exists()  # nothing written for a mistyped option


def test_report_data_option_without_the_cifar_files_fails_before_running(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "data_batch_1").write_bytes(b"")
    error = one_line_error(capsys, "report", "--quick", "--no-bench", "--only",
                           "convergence_race", "--data", str(tmp_path / "data"),
                           "--out", str(tmp_path / "site"))
    assert "missing CIFAR-10 batch files: data_batch_2" in error
    assert not (tmp_path / "site").exists()  # nothing ran, nothing written
