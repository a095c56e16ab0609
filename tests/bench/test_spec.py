"""The bench spec: TOML and command-line forms, canonical activations, validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from actlab.bench.activation_spec import canonical_activation
from actlab.bench.config import ModelConfig, TaskConfig, TrainingConfig
from actlab.bench.spec import default_spec, load_spec, spec_from_options
from actlab.errors import UserError

FULL_SPEC = """
activations = ["relu", "gelu", "leaky_relu(negative_slope=0.2)"]
seeds = [3, 1, 2]
models = ["mlp(depth=3,width=32)", {kind = "mlp", width = 8}]
tasks = ["digits", {name = "moons", noise = 0.2, n = 300}]

[training]
budget = 5
budget_unit = "epochs"
optimiser = "sgd"
batch_size = 32
init = "he"
lr_policy = "tuned"
lr_grid = [0.1, 0.01]
validation_fraction = 0.25
target = 0.9
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(text)
    return path


def test_a_full_spec_file_is_read_field_by_field(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, FULL_SPEC))
    assert spec.activations == ("relu", "gelu", "leaky_relu(negative_slope=0.2)")
    assert spec.seeds == (1, 2, 3)
    assert spec.models == (ModelConfig("mlp", depth=3, width=32), ModelConfig("mlp", width=8))
    assert spec.tasks == (TaskConfig("digits"),
                          TaskConfig("moons", options=(("n", 300), ("noise", 0.2))))
    assert spec.training == TrainingConfig(
        budget=5, budget_unit="epochs", optimiser="sgd", batch_size=32, init="he",
        learning_rate=None, lr_grid=(0.01, 0.1), validation_fraction=0.25, target=0.9)
    runs = spec.runs()
    assert len(runs) == 3 * 2 * 2 * 3  # activations × tasks × models × seeds
    assert len({r.key() for r in runs}) == len(runs)
    # the seeds of one group are adjacent, so the sweep can pack them
    assert [r.seed for r in runs[:3]] == [1, 2, 3]
    assert len({r.group_key() for r in runs[:3]}) == 1


def test_a_task_may_name_its_own_models_and_training(tmp_path: Path) -> None:
    spec = load_spec(write(tmp_path, """
activations = ["relu"]
seeds = 2
[training]
budget = 100
[[tasks]]
name = "mnist1d"
models = ["mlp", {kind = "cnn1d", training = {budget = 30}}]
[[tasks]]
name = "digits"
training = {budget = 50}
"""))
    cells = [(c.task.name, c.model.kind, c.training.budget) for c in spec.cells()]
    assert cells == [("mnist1d", "mlp", 100), ("mnist1d", "cnn1d", 30), ("digits", "mlp", 50)]
    assert len(spec.runs()) == 3 * 2


def test_equal_activations_get_one_spelling_and_one_key() -> None:
    assert canonical_activation("leaky_relu(negative_slope=0.01)") == "leaky_relu"  # default
    assert canonical_activation(" Leaky-ReLU ( negative_slope = 0.2 ) ") == (
        "leaky_relu(negative_slope=0.2)")
    assert canonical_activation("hard_tanh(max_val=2, min_val=-2)") == canonical_activation(
        "hard_tanh(min_val=-2.0,max_val=2.0)") == "hard_tanh(max_val=2.0,min_val=-2.0)"
    one = spec_from_options("elu(alpha=1.0)", "digits", seeds=1).runs()[0]
    other = spec_from_options("elu", "digits", seeds=1).runs()[0]
    assert one.key() == other.key()


def test_options_split_at_commas_outside_brackets() -> None:
    spec = spec_from_options("relu,hard_tanh(min_val=-2,max_val=2)", ["digits,moons(noise=0.3)"],
                             ["mlp(depth=1,width=16)", "cnn2d"], seeds=[0, 4],
                             training={"budget": 7, "learning_rate": 0.5})
    assert spec.activations == ("relu", "hard_tanh(max_val=2.0,min_val=-2.0)")
    assert spec.tasks == (TaskConfig("digits"), TaskConfig("moons", options=(("noise", 0.3),)))
    assert spec.models == (ModelConfig("mlp", depth=1, width=16), ModelConfig("cnn2d"))
    assert spec.seeds == (0, 4)
    assert (spec.training.budget, spec.training.learning_rate) == (7, 0.5)


def test_a_file_task_path_is_relative_to_the_spec_file(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("1,2,0\n3,4,1\n")
    spec = load_spec(write(tmp_path, 'activations = ["relu"]\ntasks = ["csv:data.csv"]\n'))
    assert spec.tasks[0].path == str((tmp_path / "data.csv").resolve())


@pytest.mark.parametrize("quick", [False, True])
def test_the_default_bench_is_mnist1d_mlp_and_cnn_and_digits_mlp(quick: bool) -> None:
    spec = default_spec(quick)
    assert {"relu", "gelu", "silu", "mish", "elu", "selu", "tanh", "sigmoid"} <= set(
        spec.activations)
    assert len(spec.seeds) >= 5
    cells = [(c.task.name, c.model.kind) for c in spec.cells()]
    assert cells == [("mnist1d", "mlp"), ("mnist1d", "cnn1d"), ("digits", "mlp")]


# --- mistakes: one line naming the file and the field ----------------------------------
MISTAKES = [
    ('activations = ["relu"]\ntasks = ["digits"]\nsedes = 3\n', "sedes: unknown field"),
    ('tasks = ["digits"]\n', "activations: missing"),
    ('activations = ["relu"]\n', "tasks: missing"),
    ('activations = ["relu", "rleu"]\ntasks = ["digits"]\n', "activations[1]: unknown activation"),
    ('activations = ["relu", "relu"]\ntasks = ["digits"]\n', "activations[1]: 'relu' repeats"),
    ('activations = ["elu(alfa=1)"]\ntasks = ["digits"]\n', "activations[0]: elu has no parameter"),
    ('activations = ["elu(alpha=big)"]\ntasks = ["digits"]\n', "activations[0]: elu: parameter"),
    ('activations = ["softmax"]\ntasks = ["digits"]\n', "activations[0]: softmax is not elem"),
    ('activations = [3]\ntasks = ["digits"]\n', "activations[0]: must be a string"),
    ('activations = ["relu"]\ntasks = ["digitz"]\n', "tasks[0].name: unknown task 'digitz'"),
    ('activations = ["relu"]\ntasks = ["csv"]\n', "tasks[0].path: task csv reads a file"),
    ('activations = ["relu"]\ntasks = ["csv:nowhere.csv"]\n', "tasks[0].path: nowhere.csv: no"),
    ('activations = ["relu"]\ntasks = ["digits:x.csv"]\n', "tasks[0].path: task digits is emb"),
    ('activations = ["relu"]\ntasks = [{name = "moons", noise = [1]}]\n', "tasks[0].noise: must"),
    ('activations = ["relu"]\ntasks = ["digits"]\nseeds = 0\n', "seeds: the count must be"),
    ('activations = ["relu"]\ntasks = ["digits"]\nseeds = [1, 1]\n', "seeds: a seed repeats"),
    ('activations = ["relu"]\ntasks = ["digits"]\nseeds = [-1]\n', "seeds: must be non-negative"),
    ('activations = ["relu"]\ntasks = ["digits"]\nmodels = ["transformer"]\n',
     "models[0].kind: must be one of"),
    ('activations = ["relu"]\ntasks = ["digits"]\nmodels = ["mlp(depth=0)"]\n',
     "models[0].depth: must be a positive integer"),
    ('activations = ["relu"]\ntasks = ["digits"]\nmodels = [{kind="mlp", height=3}]\n',
     "models[0].height: unknown field"),
    ('activations = ["relu"]\ntasks = ["digits"]\nmodels = [{kind="factory", factory="x"}]\n',
     "models[0].factory: must be package.module:function"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\nbudget = -3\n',
     "training.budget: must be a positive integer, got -3"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\nbudget_unit = "hours"\n',
     "training.budget_unit: must be steps or epochs"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\noptimiser = "lbfgs"\n',
     "training.optimiser: must be one of"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\ninit = "zeros"\n',
     "training.init: must be one of"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\nlearning_rate = 0\n',
     "training.learning_rate: must be in"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\nlr_grid = []\n',
     "training.lr_grid: must be a non-empty list"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\nlearning_rate = 0.1\nlr_grid = [1]\n',
     "training.learning_rate: a tuned policy chooses"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\nvalidation_fraction = 1.5\n',
     "training.validation_fraction: must be in (0.0, 1.0)"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\nbatchsize = 3\n',
     "training.batchsize: unknown field"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\nsmoothing = 0.4\n',
     "training.smoothing: only rmsprop takes one (optimiser = 'adam')"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\noptimiser = "rmsprop"\n'
     'smoothing = 1\n', "training.smoothing: must be in (0.0, 1.0)"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\nvalidation_fraction = 0\n'
     'lr_grid = [0.1, 0.01]\n', "training.validation_fraction: tuning the learning rate needs"),
    ('activations = ["relu"]\ntasks = ["digits"]\n[training]\nvalidation_fraction = 0\n'
     'target = 0.9\n', "training.validation_fraction: a target needs a validation split"),
    ('activations = ["relu"]\ntasks = ["digits"]\nmodels = ["mlp(hidden_noise=-0.1)"]\n',
     "models[0].hidden_noise: must be a number >= 0, got -0.1"),
    ('activations = ["relu"]\ntasks = ["mnist1d"]\nmodels = ["cnn1d(hidden_noise=0.1)"]\n',
     "models[0].hidden_noise: only the mlp takes one (kind=cnn1d)"),
    ('activations = ["relu"]\ntasks = [{name = "digits", training = {budget = "x"}}]\n',
     "tasks[0].training.budget: must be a positive integer"),
    ('activations = ["relu"]\ntasks = ["digits", "digits"]\n', "tasks: the cell digits × mlp"),
    ('activations = ["relu"\n', "not valid TOML"),
]


@pytest.mark.parametrize(("text", "expected"), MISTAKES)
def test_a_mistake_is_one_line_naming_the_file_and_the_field(
        tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(UserError) as err:
        load_spec(path)
    message = str(err.value)
    assert message.startswith(f"{path}: "), message
    assert expected in message, message
    assert "\n" not in message


def test_a_missing_spec_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such spec file"):
        load_spec(tmp_path / "absent.toml")


def test_an_option_mistake_names_the_command_line() -> None:
    with pytest.raises(UserError, match=r"^command line: activations\[0\]: unknown activation"):
        spec_from_options("gleu", "digits")


def test_the_report_bench_has_the_seeds_to_name_a_best_activation() -> None:
    """With the full default bench's seeds, an activation that beats each of the 7 others on
    every seed is called best after Holm's correction over the 28 pairs (with 5 seeds no
    Wilcoxon p could pass Holm's first threshold, so no data could name one)."""
    from actlab.bench.statistics import leaderboard
    from bench_fake_runs import runs

    spec = default_spec(quick=False)
    seeds = len(spec.seeds)
    table = {name: [0.5 + 0.01 * rank + 0.001 * s for s in range(seeds)]
             for rank, name in enumerate(spec.activations)}
    board = leaderboard(runs(table))
    assert board.leaders.best == spec.activations[-1]
    few = leaderboard(runs({name: values[:5] for name, values in table.items()}))
    assert few.leaders.best is None
