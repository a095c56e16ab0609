"""Command-line overrides of an experiment's Config: seed, data directory, --set FIELD=VALUE."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from actlab.errors import InvalidValue, UnknownName
from actlab.lab.overrides import ConfigOverrides, parse_settings
from cli_errors import one_line_error


@dataclass(frozen=True)
class Example:
    steps: int = 10
    rate: float = 0.1
    names: tuple[str, ...] = ("relu",)
    sizes: tuple[int, ...] = (2, 3)
    verbose: bool = False
    seed: int = 0


def test_overrides_apply_only_to_fields_the_config_has() -> None:
    overrides = ConfigOverrides(seed=7, data_dir="/data")
    assert overrides.missing_in(Example) == ["data_dir"]
    assert overrides.apply(Example()) == Example(seed=7)
    assert ConfigOverrides().apply(Example()) == Example()


def test_one_value_for_a_tuple_field_is_a_one_element_tuple() -> None:
    assert parse_settings(Example(), ["names=tanh", "sizes=7"]) == {"names": ("tanh",),
                                                                    "sizes": (7,)}
    assert parse_settings(Example(), ["names="]) == {"names": ()}  # the experiment judges


def test_settings_take_the_type_of_the_field() -> None:
    values = parse_settings(Example(), ["steps=2200000", "rate=1e-3", "names=gelu, tanh",
                                        "sizes=4,5,6", "verbose=yes"])
    assert values == {"steps": 2_200_000, "rate": 0.001, "names": ("gelu", "tanh"),
                      "sizes": (4, 5, 6), "verbose": True}


@pytest.mark.parametrize(("setting", "error", "message"), [
    ("step=3", UnknownName, "no such field; the fields are names, rate, seed"),
    ("steps=3.5", InvalidValue, "expected int"),
    ("sizes=4,x", InvalidValue, "expected a comma list"),
    ("verbose=maybe", InvalidValue, "expected bool"),
    ("=3", InvalidValue, "expected FIELD=VALUE"),
])
def test_bad_settings_are_named(setting: str, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        parse_settings(Example(), [setting])


@pytest.mark.parametrize(("experiment", "setting", "message"), [
    ("saturation_training", "chunk=0", "chunk must be at least 1"),
    ("saturation_training", "steps=-3", "steps must be at least 1"),
    ("saturation_training", "seeds=3", "seeds must be at least 5"),
    ("saturation_training", "activations=", "name at least one activation"),
    ("saturation_training", "init=foo", "unknown init 'foo'"),
    ("saturation_training", "learning_rate=nan", "learning_rate must be"),
    ("convergence_race", "seeds=3", "at least 5 seeds"),
    ("mnist1d_baselines", "comparison_seeds=1", "must be at least 5"),
    ("mnist1d_baselines", "eval_every=0", "eval_every must be at least 1"),
    ("dying_relu", "widths=", "give at least one width"),
    ("dying_relu", "lu_nets=0", "lu_nets must be at least 1"),
    ("dying_relu", "learning_rates=0.1,-1", "each a number > 0"),
])
def test_a_set_value_no_run_can_mean_is_one_line(
        experiment: str, setting: str, message: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Refused before any training, as one line and exit 2 (not a traceback, not a run)."""
    error = one_line_error(capsys, "lab", "run", experiment, "--set", setting, "--quick",
                           "--quiet", "--out", str(tmp_path))
    assert message in error
    assert not any(tmp_path.iterdir())  # no result was written


def test_data_option_mistakes_are_one_line(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("not a directory")
    out = str(tmp_path / "out")
    error = one_line_error(capsys, "lab", "run", "convergence_race", "--quick", "--set",
                           f"data_dir={tmp_path / 'absent'}", "--out", out)
    assert "absent: does not exist" in error  # --set data_dir=DIR is --data DIR
    cases = {("convergence_race", str(tmp_path / "absent")): "absent: does not exist",
             ("convergence_race", str(tmp_path / "file")): "file: is not a directory",
             ("gates", str(tmp_path)): "--data: experiment 'gates' reads no data files"}
    for (name, data), message in cases.items():
        error = one_line_error(capsys, "lab", "run", name, "--quick", "--data", data,
                               "--out", out)
        assert message in error
    assert not (tmp_path / "out").exists()
