"""What a bench runs: a grid of activations × (task, model) cells × seeds, and its validation.

A spec comes from a TOML file (:func:`load_spec`), from command-line options
(:func:`spec_from_options`) or ships with actlab (:func:`default_spec`).  Every
field is checked before anything trains; a mistake raises :class:`UserError`
with one line naming the field and where it came from, e.g.
``spec.toml: training.budget: must be a positive integer, got -3``.

A spec file::

    activations = ["relu", "gelu", "leaky_relu(negative_slope=0.2)"]
    seeds = 10                      # seeds 0..9, or a list: [0, 1, 7]
    models = ["mlp(depth=2,width=100)"]
    tasks = ["digits", {name = "mnist1d", models = ["mlp", "cnn1d"]},
             {name = "csv", path = "data.csv", target_column = -1}]

    [training]                      # the same for every activation
    budget = 2000
    budget_unit = "steps"           # or "epochs"
    optimiser = "adam"              # sgd | momentum | adam | rmsprop
    # smoothing = 0.99              # rmsprop only: weight of the past in its mean of g²
    batch_size = 100
    init = "default"                # default | uniform | glorot | glorot_normal | he | lecun
    learning_rate = 0.01            # fixed; or lr_policy = "tuned" with lr_grid = [...]
    validation_fraction = 0.1       # 0: no validation split (a fixed rate, no target)
    target = 0.8                    # optional: validation metric whose first reach is timed

A task or a model table may carry its own ``training`` table, merged over the
spec's (e.g. fewer steps for a CNN): every activation of that cell still gets
the same budget.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from actlab.bench.activation_spec import canonical_activation, parse_activation
from actlab.bench.config import ModelConfig, RunConfig, TaskConfig, TrainingConfig
from actlab.bench.models import INITS, MODEL_KINDS, check_model
from actlab.bench.tasks import EMBEDDED_TASKS, FILE_TASKS, task_options
from actlab.errors import UserError

OPTIMISERS = ("sgd", "momentum", "adam", "rmsprop")
TOP_LEVEL = ("activations", "tasks", "models", "seeds", "training")
TRAINING_FIELDS = ("budget", "budget_unit", "optimiser", "smoothing", "batch_size", "init",
                   "learning_rate", "lr_policy", "lr_grid", "validation_fraction", "target")
MODEL_FIELDS = ("kind", "depth", "width", "hidden_noise", "factory", "training")
DEFAULT_SEEDS = 5


@dataclass(frozen=True)
class Cell:
    """One (task, model) of the grid and the training every activation gets there."""

    task: TaskConfig
    model: ModelConfig
    training: TrainingConfig


@dataclass(frozen=True)
class Spec:
    """A bench: every activation on every cell with every seed.

    Without ``grid`` the cells are every task × every model with ``training``;
    with it (a spec file whose tasks name their own models or training), exactly
    those cells.
    """

    activations: tuple[str, ...]  # canonical spellings, see activation_spec
    tasks: tuple[TaskConfig, ...]
    models: tuple[ModelConfig, ...]
    seeds: tuple[int, ...]
    training: TrainingConfig = field(default_factory=TrainingConfig)
    grid: tuple[Cell, ...] = ()

    def cells(self) -> list[Cell]:
        """The (task, model, training) cells, in spec order."""
        if self.grid:
            return list(self.grid)
        return [Cell(t, m, self.training) for t in self.tasks for m in self.models]

    def runs(self) -> list[RunConfig]:
        """Every run of the grid; the seeds of one group are adjacent."""
        return [RunConfig(activation=a, task=c.task, model=c.model, training=c.training, seed=s)
                for c in self.cells() for a in self.activations for s in self.seeds]


# --- loading ---------------------------------------------------------------------
def load_spec(path: str | Path) -> Spec:
    """Read and validate a TOML spec file."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    file = Path(path)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{file}: no such spec file") from None
    except IsADirectoryError:
        raise UserError(f"{file}: is a directory, not a spec file") from None
    except UnicodeDecodeError:
        raise UserError(f"{file}: not a text file") from None
    except tomllib.TOMLDecodeError as err:
        raise UserError(f"{file}: not valid TOML: {err}") from None
    return _Validator(str(file), file.resolve().parent).spec(raw)


def spec_from_options(
    activations: str | Sequence[str],
    tasks: str | Sequence[str],
    models: str | Sequence[str] = ("mlp",),
    seeds: int | Sequence[int] = DEFAULT_SEEDS,
    training: Mapping[str, Any] | None = None,
) -> Spec:
    """The ``--activations relu,gelu --task mnist1d --model mlp --seeds 10`` form.

    A comma-separated string is split at commas outside brackets, so
    ``"relu,leaky_relu(negative_slope=0.2)"`` is two entries.  ``training`` holds
    the training fields by their spec-file names.
    """
    raw: dict[str, Any] = {
        "activations": _split(activations),
        "tasks": _split(tasks),
        "models": _split(models),
        "seeds": seeds if isinstance(seeds, int) else list(seeds),
    }
    if training:
        raw["training"] = dict(training)
    return _Validator("command line", Path.cwd()).spec(raw)


# The report's full bench: with 8 activations a task has 28 pairs, and Holm's first
# threshold is 0.05/28 = 0.0018; the smallest two-sided Wilcoxon p of n paired seeds is
# 2/2^n, which is below it only from n = 11.  With fewer seeds no activation could ever
# be called best, whatever the data.
REPORT_SEEDS = 12


def default_spec(quick: bool = False) -> Spec:
    """The bench ``actlab report`` runs: MNIST-1D with the MLP and the CNN, the digits MLP,
    8 activations, 12 paired seeds (the quick tour: 5).  The full bench takes about two
    minutes on 2 cores, the quick one about ten seconds."""
    activations = ["relu", "gelu", "silu", "mish", "elu", "selu", "tanh", "sigmoid"]
    if quick:
        cells = [
            {"name": "mnist1d", "models": [{"kind": "mlp", "width": 64,
                                            "training": {"budget": 150}},
                                           {"kind": "cnn1d", "training": {"budget": 30}}]},
            {"name": "digits", "models": [{"kind": "mlp", "width": 64,
                                           "training": {"budget": 150}}]},
        ]
    else:
        cells = [
            {"name": "mnist1d", "models": [{"kind": "mlp", "training": {"budget": 2000}},
                                           {"kind": "cnn1d", "training": {"budget": 600}}]},
            {"name": "digits", "models": [{"kind": "mlp", "training": {"budget": 1000}}]},
        ]
    raw = {"activations": activations, "tasks": cells,
           "seeds": DEFAULT_SEEDS if quick else REPORT_SEEDS,
           "training": {"optimiser": "adam", "learning_rate": 1e-2, "batch_size": 100}}
    return _Validator("default bench", Path.cwd()).spec(raw)


def _split(value: str | Sequence[str]) -> list[str]:
    """Comma-separated text -> entries (commas inside brackets do not split)."""
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        depth, start = 0, 0
        for i, char in enumerate(item):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if char == "," and depth == 0:
                out.append(item[start:i])
                start = i + 1
        out.append(item[start:])
    return [s.strip() for s in out if s.strip()]


# --- validation ------------------------------------------------------------------
class _Validator:
    """Checks raw (TOML-shaped) data field by field; ``where`` names the source in errors."""

    def __init__(self, where: str, base: Path) -> None:
        self.where = where
        self.base = base  # relative task paths are relative to the spec file

    def fail(self, field_name: str, message: str) -> UserError:
        return UserError(f"{self.where}: {field_name}: {message}")

    def spec(self, raw: Mapping[str, Any]) -> Spec:
        for key in raw:
            if key not in TOP_LEVEL:
                raise self.fail(key, f"unknown field (fields: {', '.join(TOP_LEVEL)})")
        training = self.training(raw.get("training", {}), "training", TrainingConfig())
        activations = self.activations(raw.get("activations"))
        seeds = self.seeds(raw.get("seeds", DEFAULT_SEEDS))
        if "tasks" not in raw:
            raise self.fail("tasks", "missing: name at least one task, e.g. tasks = [\"digits\"]")
        task_items = self.list_of(raw["tasks"], "tasks")
        top_models = None
        if "models" in raw:
            top_models = [self.model(m, f"models[{i}]", training)
                          for i, m in enumerate(self.list_of(raw["models"], "models"))]
        grid: list[Cell] = []
        for i, item in enumerate(task_items):
            task, own_models, task_training = self.task(item, f"tasks[{i}]", training)
            if own_models is not None:
                models = [self.model(m, f"tasks[{i}].models[{j}]", task_training)
                          for j, m in enumerate(self.list_of(own_models, f"tasks[{i}].models"))]
            elif top_models is not None:
                models = [(m, replace_training(t, training, task_training)) for m, t in top_models]
            else:
                models = [(ModelConfig(kind="mlp"), task_training)]
            grid.extend(Cell(task, m, t) for m, t in models)
        keys = [(c.task, c.model) for c in grid]
        for i, k in enumerate(keys):
            if k in keys[:i]:
                raise self.fail("tasks", f"the cell {k[0].name} × {k[1].kind} appears twice")
        tasks = tuple(dict.fromkeys(c.task for c in grid))
        models_used = tuple(dict.fromkeys(c.model for c in grid))
        plain = all(c.training == training for c in grid) and len(grid) == len(tasks) * len(
            models_used) and set(keys) == {(t, m) for t in tasks for m in models_used}
        return Spec(activations=activations, tasks=tasks, models=models_used, seeds=seeds,
                    training=training, grid=() if plain else tuple(grid))

    def list_of(self, value: Any, name: str) -> list[Any]:
        if isinstance(value, (str, Mapping)):
            return [value]
        if not isinstance(value, list) or not value:
            raise self.fail(name, f"must be a non-empty list, got {value!r}")
        return value

    def activations(self, value: Any) -> tuple[str, ...]:
        if value is None:
            raise self.fail("activations", "missing: name at least one, e.g. [\"relu\", \"gelu\"]")
        items = self.list_of(value, "activations")
        out: list[str] = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise self.fail(f"activations[{i}]", f"must be a string, got {item!r}")
            try:
                canonical = canonical_activation(item)
            except UserError as err:
                raise self.fail(f"activations[{i}]", str(err)) from None
            if canonical in out:
                raise self.fail(f"activations[{i}]", f"{item!r} repeats {canonical!r}")
            out.append(canonical)
        return tuple(out)

    def seeds(self, value: Any) -> tuple[int, ...]:
        if isinstance(value, bool) or not isinstance(value, (int, list)):
            raise self.fail("seeds", f"must be a count or a list of seeds, got {value!r}")
        if isinstance(value, int):
            if value < 1:
                raise self.fail("seeds", f"the count must be at least 1, got {value}")
            return tuple(range(value))
        if not value or any(isinstance(s, bool) or not isinstance(s, int) or s < 0
                            for s in value):
            raise self.fail("seeds", f"must be non-negative integers, got {value!r}")
        if len(set(value)) != len(value):
            raise self.fail("seeds", f"a seed repeats in {value!r}")
        return tuple(sorted(value))

    def task(self, value: Any, name: str,
             training: TrainingConfig) -> tuple[TaskConfig, Any, TrainingConfig]:
        """A task entry -> (task, its own models or None, its training)."""
        if isinstance(value, str):
            value = self.parse_entry(value, name)
        if not isinstance(value, Mapping):
            raise self.fail(name, f"must be a task name or a table, got {value!r}")
        entry = dict(value)
        task_name = entry.pop("name", None)
        if not isinstance(task_name, str):
            raise self.fail(f"{name}.name", "missing: every task needs a name")
        task_name = task_name.strip().lower()
        if task_name not in EMBEDDED_TASKS + FILE_TASKS:
            known = ", ".join(EMBEDDED_TASKS + FILE_TASKS)
            raise self.fail(f"{name}.name", f"unknown task {task_name!r} (tasks: {known})")
        path = entry.pop("path", None)
        if task_name in FILE_TASKS:
            if not isinstance(path, str) or not path:
                raise self.fail(f"{name}.path", f"task {task_name} reads a file: name its path")
            resolved = (self.base / path).resolve()
            if not resolved.exists():
                raise self.fail(f"{name}.path", f"{path}: no such file or directory")
            path = str(resolved)
        elif path is not None:
            raise self.fail(f"{name}.path", f"task {task_name} is embedded and reads no file")
        own_models = entry.pop("models", None)
        own_training = entry.pop("training", None)
        task_training = training if own_training is None else self.training(
            own_training, f"{name}.training", training)
        for key in sorted(entry):
            option = entry[key]
            if isinstance(option, float) and not math.isfinite(option):
                raise self.fail(f"{name}.{key}", f"must be finite, got {option!r}")
            if not isinstance(option, (str, int, float, bool)):
                raise self.fail(f"{name}.{key}", f"must be a number, text or true/false, "
                                f"got {option!r}")
        options = tuple(sorted(entry.items()))
        try:
            task_options(TaskConfig(name=task_name, path=path, options=options))
        except UserError as err:
            raise self.fail(name, str(err)) from None
        return (TaskConfig(name=task_name, path=path, options=options), own_models,
                task_training)

    def model(self, value: Any, name: str,
              training: TrainingConfig) -> tuple[ModelConfig, TrainingConfig]:
        """A model entry -> (model, the training of its cells)."""
        if isinstance(value, str):
            text = value.strip()
            if ":" in text:  # package.module:function
                value = {"kind": "factory", "factory": text}
            else:
                parsed = self.parse_entry(text, name)
                parsed["kind"] = parsed.pop("name")
                value = parsed
        if not isinstance(value, Mapping):
            raise self.fail(name, f"must be a model name or a table, got {value!r}")
        entry = dict(value)
        kind = entry.pop("kind", None)
        if not isinstance(kind, str) or kind.strip().lower() not in MODEL_KINDS:
            raise self.fail(f"{name}.kind", f"must be one of {', '.join(MODEL_KINDS)}, "
                            f"got {kind!r}")
        kind = kind.strip().lower()
        own_training = entry.pop("training", None)
        defaults = ModelConfig(kind=kind)
        depth = self.positive_int(entry.pop("depth", defaults.depth), f"{name}.depth")
        width = self.positive_int(entry.pop("width", defaults.width), f"{name}.width")
        factory = entry.pop("factory", None)
        noise = entry.pop("hidden_noise", defaults.hidden_noise)
        if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not (
                math.isfinite(noise) and noise >= 0):
            raise self.fail(f"{name}.hidden_noise", f"must be a number >= 0, got {noise!r}")
        if noise and kind != "mlp":
            raise self.fail(f"{name}.hidden_noise", f"only the mlp takes one (kind={kind})")
        if kind == "factory":
            if not isinstance(factory, str) or factory.count(":") != 1 or not all(
                    factory.split(":")):
                raise self.fail(f"{name}.factory",
                                f"must be package.module:function, got {factory!r}")
        elif factory is not None:
            raise self.fail(f"{name}.factory", f"only a factory model takes one (kind={kind})")
        if entry:
            raise self.fail(f"{name}.{sorted(entry)[0]}",
                            f"unknown field (fields: {', '.join(MODEL_FIELDS)})")
        if kind != "mlp":  # depth and width describe the MLP only: keep keys canonical
            depth, width = defaults.depth, defaults.width
        model = ModelConfig(kind=kind, depth=depth, width=width, factory=factory,
                            hidden_noise=float(noise))
        try:
            check_model(model)  # a factory must import
        except UserError as err:
            raise self.fail(f"{name}.factory", str(err)) from None
        model_training = training if own_training is None else self.training(
            own_training, f"{name}.training", training)
        return model, model_training

    def parse_entry(self, text: str, name: str) -> dict[str, Any]:
        """``"moons(noise=0.2)"`` or ``"csv:data.csv"`` -> a table with typed values."""
        head, colon, rest = text.partition(":")
        if colon and "(" not in head:
            return {"name": head.strip(), "path": rest.strip()}
        try:
            entry_name, params = parse_activation(text)
        except UserError:
            raise self.fail(name, f"bad entry {text!r}: expected NAME or NAME(key=value, ...)"
                            ) from None
        return {"name": entry_name, **{k: _literal(v) for k, v in params.items()}}

    def positive_int(self, value: Any, name: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(name, f"must be a positive integer, got {value!r}")
        return value

    def number(self, value: Any, name: str, low: float, high: float,
               closed: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(
                value):
            raise self.fail(name, f"must be a number, got {value!r}")
        inside = low <= value <= high if closed else low < value < high
        if not inside:
            bounds = f"[{low}, {high}]" if closed else f"({low}, {high})"
            raise self.fail(name, f"must be in {bounds}, got {value!r}")
        return float(value)

    def training(self, value: Any, name: str, base: TrainingConfig) -> TrainingConfig:
        """A training table merged over ``base``."""
        if not isinstance(value, Mapping):
            raise self.fail(name, f"must be a table, got {value!r}")
        for key in value:
            if key not in TRAINING_FIELDS:
                raise self.fail(f"{name}.{key}",
                                f"unknown field (fields: {', '.join(TRAINING_FIELDS)})")
        changes: dict[str, Any] = {}
        if "budget" in value:
            changes["budget"] = self.positive_int(value["budget"], f"{name}.budget")
        if "budget_unit" in value:
            unit = value["budget_unit"]
            if unit not in ("steps", "epochs"):
                raise self.fail(f"{name}.budget_unit", f"must be steps or epochs, got {unit!r}")
            changes["budget_unit"] = unit
        if "optimiser" in value:
            opt = value["optimiser"]
            if opt not in OPTIMISERS:
                raise self.fail(f"{name}.optimiser",
                                f"must be one of {', '.join(OPTIMISERS)}, got {opt!r}")
            changes["optimiser"] = opt
        if "smoothing" in value:
            changes["smoothing"] = self.number(value["smoothing"], f"{name}.smoothing", 0.0, 1.0)
        if "batch_size" in value:
            changes["batch_size"] = self.positive_int(value["batch_size"], f"{name}.batch_size")
        if "init" in value:
            init = value["init"]
            if init not in INITS:
                raise self.fail(f"{name}.init", f"must be one of {', '.join(INITS)}, got {init!r}")
            changes["init"] = init
        if "validation_fraction" in value:
            fraction = value["validation_fraction"]
            none = fraction == 0 and not isinstance(fraction, bool)  # no validation split
            changes["validation_fraction"] = 0.0 if none else self.number(
                fraction, f"{name}.validation_fraction", 0.0, 1.0)
        if "target" in value:
            changes["target"] = self.number(value["target"], f"{name}.target",
                                            -math.inf, math.inf)
        changes.update(self.learning_rate(value, name, base))
        merged = replace(base, **changes)
        if merged.optimiser != "rmsprop" and merged.smoothing != TrainingConfig().smoothing:
            raise self.fail(f"{name}.smoothing", f"only rmsprop takes one (optimiser = "
                            f"{merged.optimiser!r})")
        if merged.validation_fraction == 0 and (merged.lr_grid or merged.target is not None):
            what = "tuning the learning rate" if merged.lr_grid else "a target"
            raise self.fail(f"{name}.validation_fraction",
                            f"{what} needs a validation split (a fraction above 0)")
        return merged

    def learning_rate(self, value: Mapping[str, Any], name: str,
                      base: TrainingConfig) -> dict[str, Any]:
        """The policy: a fixed ``learning_rate``, or ``lr_policy = "tuned"`` over ``lr_grid``."""
        policy = value.get("lr_policy")
        if policy is None and not {"learning_rate", "lr_grid"} & set(value):
            return {}  # inherited unchanged
        if policy is None:
            policy = "tuned" if "lr_grid" in value else "fixed"
        if policy not in ("fixed", "tuned"):
            raise self.fail(f"{name}.lr_policy", f"must be fixed or tuned, got {policy!r}")
        if policy == "fixed":
            if "lr_grid" in value:
                raise self.fail(f"{name}.lr_grid", "a fixed policy takes learning_rate only")
            rate = value.get("learning_rate", base.learning_rate or TrainingConfig().learning_rate)
            return {"learning_rate": self.number(rate, f"{name}.learning_rate", 0.0, math.inf),
                    "lr_grid": ()}
        if "learning_rate" in value:
            raise self.fail(f"{name}.learning_rate",
                            "a tuned policy chooses the rate from lr_grid; give one or the other")
        grid = value.get("lr_grid", list(base.lr_grid))
        if not isinstance(grid, list) or not grid:
            raise self.fail(f"{name}.lr_grid", f"must be a non-empty list of rates, got {grid!r}")
        rates = [self.number(r, f"{name}.lr_grid[{i}]", 0.0, math.inf)
                 for i, r in enumerate(grid)]
        if len(set(rates)) != len(rates):
            raise self.fail(f"{name}.lr_grid", f"a rate repeats in {grid!r}")
        return {"learning_rate": None, "lr_grid": tuple(sorted(rates))}


def replace_training(model_training: TrainingConfig, spec_training: TrainingConfig,
                     task_training: TrainingConfig) -> TrainingConfig:
    """A top-level model's training inside a task: the model's own fields win over the
    task's, the task's over the spec's."""
    merged = {}
    for f in fields(TrainingConfig):
        own = getattr(model_training, f.name)
        merged[f.name] = own if own != getattr(spec_training, f.name) else getattr(
            task_training, f.name)
    return TrainingConfig(**merged)


def _literal(text: str) -> Any:
    """An option's text as a number or true/false where it reads as one, else the text."""
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text
