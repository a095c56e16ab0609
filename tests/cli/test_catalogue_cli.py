"""`actlab list / show / plot` end to end, in process and through the console script."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import actlab
from actlab.cli import main
from actlab.cli.catalogue_commands import SAMPLE_VECTOR


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 2
    assert err.strip().count("\n") == 0, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)


# --- list ------------------------------------------------------------------------------
def test_list_shows_every_entry_and_the_aliases(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    for name in actlab.names():
        assert name in out
    alias, target = next(iter(actlab.aliases().items()))
    assert f"{alias} → {target}" in out


def test_list_family_keeps_only_that_family(capsys: pytest.CaptureFixture[str]) -> None:
    family = actlab.get("relu").family
    others = [n for n in actlab.names() if actlab.get(n).family != family]
    code, out, _ = run(capsys, "list", "--family", family)
    assert code == 0
    rows = {line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")}
    assert "relu" in rows
    assert rows.isdisjoint(others)


def test_list_unknown_family_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "list", "--family", "nonsense")
    assert_one_line_error(code, err, "unknown family", "rectifiers")


# --- show ------------------------------------------------------------------------------
def test_show_prints_formula_properties_and_values(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "elu")
    assert code == 0
    act = actlab.get("elu")
    assert act.doc.formula in out  # the LaTeX string
    for section in ("Formula", "Parameters", "Properties", "Values", "References"):
        assert section in out
    values = next(line for line in out.splitlines() if line.startswith("f(x)")).split()[1:]
    expected = [-10, -1, 0, 1, 10]
    assert [float(v) for v in values] == pytest.approx(
        [math.expm1(x) if x <= 0 else x for x in expected], rel=1e-5)
    derivative = next(line for line in out.splitlines() if line.startswith("f′(x)")).split()[1:]
    assert [float(v) for v in derivative][:2] == pytest.approx(
        [math.exp(-10), math.exp(-1)], rel=1e-5)


def test_show_resolves_an_alias_and_applies_parameters(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "lrelu", "-p", "negative_slope=0.2")
    assert code == 0
    assert "alias of leaky_relu" in out
    assert "negative_slope = 0.2 (default 0.01)" in out
    values = next(line for line in out.splitlines() if line.startswith("f(x)")).split()[1:]
    assert float(values[0]) == pytest.approx(-2.0)  # 0.2 * -10


def test_show_vector_entry_prints_an_example_vector(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "softmax")
    assert code == 0
    v = np.array(SAMPLE_VECTOR)
    softmax = np.exp(v) / np.exp(v).sum()
    line = next(line for line in out.splitlines() if line.startswith("f(x)"))
    shown = [float(t) for t in line.split("[")[1].split("]")[0].split(",")]
    assert shown == pytest.approx(softmax, rel=1e-5)


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["show", "leaky_relu", "-p", "negative_slope=abc"], ["negative_slope", "number"]),
        (["show", "leaky_relu", "-p", "slope=0.2"], ["no parameter 'slope'", "negative_slope"]),
        (["show", "leaky_relu", "-p", "negative_slope"], ["KEY=VALUE"]),
        (["show", "elu", "-p", "alpha=-1"], ["alpha"]),
    ],
)
def test_show_bad_parameter_is_one_line(capsys: pytest.CaptureFixture[str], args: list[str],
                                        fragments: list[str]) -> None:
    code, _, err = run(capsys, *args)
    assert_one_line_error(code, err, *fragments)


def test_unknown_name_suggests_close_names(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "gelux")
    assert_one_line_error(code, err, "gelux", "did you mean", "gelu")


# --- plot ------------------------------------------------------------------------------
def read_png(path: Path) -> np.ndarray:
    import matplotlib.image

    return matplotlib.image.imread(path)


def test_plot_writes_a_png_and_prints_its_path(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    one, two = tmp_path / "one.png", tmp_path / "two.png"
    code, out, _ = run(capsys, "plot", "relu", "elu", "-o", str(one), "--points", "101")
    assert code == 0
    assert out.strip() == str(one.resolve())
    code, _, _ = run(capsys, "plot", "relu", "elu", "--derivative", "-o", str(two),
                     "--xmin", "-3", "--xmax", "3", "--points", "101")
    assert code == 0
    single, double = read_png(one), read_png(two)
    assert single.ndim == 3 and single.shape[0] > 100
    # the derivative panel sits beside the function panel: twice as wide, same height
    assert double.shape[1] == pytest.approx(2 * single.shape[1], rel=0.02)
    assert double.shape[0] == single.shape[0]


def test_plot_default_file_name(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "plot", "softmax", "tanh", "-p", "axis=-1", "--points", "101")
    assert code == 0
    assert Path(out.strip()) == tmp_path / "activations.png"
    assert read_png(tmp_path / "activations.png").size > 0


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["plot", "relu", "-p", "alpha=0.5"], ["alpha"]),
        (["plot", "relu", "--xmin", "2", "--xmax", "1"], ["xmin < xmax"]),
        (["plot", "relu", "sigmoidd"], ["sigmoidd", "sigmoid"]),
        (["plot", "elu:alpah=2"], ["alpah"]),
    ],
)
def test_plot_user_errors_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                       args: list[str], fragments: list[str]) -> None:
    code, _, err = run(capsys, *args, "-o", str(tmp_path / "x.png"))
    assert_one_line_error(code, err, *fragments)
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("command", [[], ["list"], ["show"], ["plot"]])
def test_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert "Usage:" in out


# --- the real console script -------------------------------------------------------------
def console_script() -> str:
    local = Path(sys.executable).with_name("actlab")
    found = str(local) if local.exists() else shutil.which("actlab")
    assert found, "the actlab console script is not installed (pip install -e .)"
    return found


def test_console_script_unknown_name_exits_2_without_traceback() -> None:
    done = subprocess.run([console_script(), "show", "relu7x"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert done.stdout == ""
    assert_one_line_error(done.returncode, done.stderr, "relu7x", "did you mean")


def test_console_script_show() -> None:
    done = subprocess.run([console_script(), "show", "relu"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert actlab.get("relu").doc.formula in done.stdout


def test_importing_the_cli_does_not_import_torch_or_matplotlib() -> None:
    code = ("import sys, actlab.cli; "
            "print(sorted(m for m in ('torch', 'matplotlib') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
