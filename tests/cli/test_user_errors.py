"""Errors a user can cause on the command line: one line on stderr, exit code 2, and no
work done before a bad output path is noticed."""

from __future__ import annotations

from pathlib import Path

import pytest

from actlab.cli import main
from actlab.lab.registry import Experiment
from cli_errors import one_line_error


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    """A regular file: no directory can be made below it (not even by root)."""
    path = tmp_path / "a-file"
    path.write_text("not a directory")
    return path


@pytest.fixture
def no_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any experiment run fails the test: the error must come before the work."""

    def refuse(self: Experiment, config: object, progress: object = None) -> None:
        raise AssertionError(f"{self.name} ran although its output cannot be written")

    monkeypatch.setattr(Experiment, "run", refuse)


def test_plot_into_a_missing_directory(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.png"
    err = one_line_error(capsys, "plot", "relu", "-o", str(target))
    assert f"cannot write {target}" in err
    assert not target.exists()


def test_plot_with_an_unknown_image_format(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    err = one_line_error(capsys, "plot", "relu", "-o", str(tmp_path / "x.nope"))
    assert "nope" in err


@pytest.mark.parametrize("xmin, xmax", [("5", "1"), ("1", "1"), ("nan", "1")])
def test_plot_with_an_empty_range(capsys: pytest.CaptureFixture[str], xmin: str,
                                  xmax: str) -> None:
    err = one_line_error(capsys, "plot", "relu", "--xmin", xmin, "--xmax", xmax)
    assert "xmin < xmax" in err


def test_lab_run_fails_before_running_when_out_cannot_be_made(
        capsys: pytest.CaptureFixture[str], a_file: Path, no_runs: None) -> None:
    err = one_line_error(capsys, "lab", "run", "derivatives", "--quick", "--quiet",
                         "--out", str(a_file / "sub"))
    assert f"cannot create the output directory {a_file / 'sub'}" in err


def test_report_fails_before_running_when_out_cannot_be_made(
        capsys: pytest.CaptureFixture[str], a_file: Path, no_runs: None) -> None:
    err = one_line_error(capsys, "report", "--quick", "--quiet", "--only", "derivatives",
                         "--out", str(a_file / "site"))
    assert f"cannot create the report directory {a_file / 'site'}" in err


def test_report_out_that_is_a_file(capsys: pytest.CaptureFixture[str], a_file: Path,
                                   no_runs: None) -> None:
    code = main(["report", "--quick", "--quiet", "--out", str(a_file)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "is a file" in err


def test_report_unknown_experiment_writes_nothing(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path, no_runs: None) -> None:
    out = tmp_path / "site"
    err = one_line_error(capsys, "report", "--only", "nope", "--out", str(out))
    assert "unknown experiment 'nope'" in err
    assert not out.exists()


@pytest.mark.parametrize("command", [["lab", "run", "gates"], ["report"]])
def test_seed_must_be_an_integer(capsys: pytest.CaptureFixture[str], command: list[str],
                                 no_runs: None) -> None:
    err = one_line_error(capsys, *command, "--seed", "abc")
    assert "'abc' is not a valid integer" in err
    assert f"(see 'actlab {' '.join(command[:2 if command[0] == 'lab' else 1])} --help')" in err


@pytest.mark.parametrize("args", [["lab", "run", "gates", "--bogus"],
                                  ["bench", "run", "--optimiser", "foo"],
                                  ["report", "--quick", "extra"], ["nonsense"]])
def test_click_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str],
                                         args: list[str]) -> None:
    err = one_line_error(capsys, *args)
    assert "--help" in err and "Usage:" not in err


def test_unknown_activation_in_show(capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(capsys, "show", "nope")
    assert "unknown activation 'nope'" in err


def test_os_error_from_a_command_is_one_line(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    """An OSError the commands do not foresee (a full disk, a lost mount) names its file."""
    from actlab.cli import lab_commands

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", "/somewhere/result.json")

    monkeypatch.setattr(lab_commands, "_run_and_save", full_disk)
    err = one_line_error(capsys, "lab", "run", "derivatives", "--quick", "--quiet",
                         "--out", str(tmp_path))
    assert "/somewhere/result.json: No space left on device" in err


# --- a bug is not a user error ------------------------------------------------------


@pytest.mark.parametrize("bug", [ValueError("a bug"), TypeError("a bug"), KeyError("a bug"),
                                 OSError("a bug without a path")])
def test_a_bug_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch, bug: Exception) -> None:
    """A ValueError (TypeError, KeyError, OSError without a path) from inside a command is a
    programming error: it propagates with its traceback instead of becoming one line."""
    from actlab.cli import catalogue_commands

    def broken(family: str | None) -> None:
        raise bug

    monkeypatch.setattr(catalogue_commands, "_list", broken)
    with pytest.raises(type(bug), match="a bug"):
        main(["list"])


def test_a_bug_exits_non_2_with_a_traceback(tmp_path: Path) -> None:
    """The same through the console script: a traceback on stderr and exit code 1."""
    import subprocess
    import sys

    script = tmp_path / "broken.py"
    script.write_text(
        "import sys\n"
        "from actlab.cli import catalogue_commands, run\n"
        "def broken(family):\n"
        "    raise ValueError('a bug, not a user error')\n"
        "catalogue_commands._list = broken\n"
        "sys.argv = ['actlab', 'list']\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode not in (0, 2), done.stderr
    assert "Traceback (most recent call last)" in done.stderr
    assert "ValueError: a bug, not a user error" in done.stderr
    assert "actlab: error:" not in done.stderr


@pytest.mark.parametrize("args", [
    ("show", "elu", "-p", "alpha=-1"),
    ("show", "elu", "-p", "alpha=inf"),
    ("show", "softmax", "-p", "axis=3"),
    ("show", "hard_tanh", "-p", "min_val=2"),
    ("plot", "relu", "--xmin", "2", "--xmax", "1"),
    ("lab", "run", "no_such_experiment"),
    ("report", "--only", "no_such_experiment"),
    ("list", "--family", "nonsense"),
])
def test_user_input_errors_are_one_line(capsys: pytest.CaptureFixture[str],
                                        args: tuple[str, ...]) -> None:
    one_line_error(capsys, *args)
