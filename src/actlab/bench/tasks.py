"""The bench's tasks: a :class:`TaskConfig` -> train / validation / test arrays.

Embedded tasks need no file: ``digits`` (scikit-learn's 8×8 digits), ``mnist1d``
(generated), the planar sets (``circle``, ``xor``, ``gauss``, ``spiral``,
``moons``) and the 1-D regression curves (``square``, ``sin``, ``quintic``,
``abs``).  File tasks read what the user names: ``idx`` (a directory with the
four MNIST / Fashion-MNIST IDX files), ``cifar10`` (the python pickles) and
``csv`` (one file; the target in ``target_column``).

The data of a task never depends on the run's seed: every activation and every
seed sees the same arrays.  The validation split is carved from the training
data with a fixed seed of its own; the test split is the task's own (or, for
sets without one, carved once with another fixed seed).  Inputs of the planar,
regression and CSV tasks (and regression targets) are standardised with the
training data's mean and standard deviation, so one learning rate suits them all;
a regression task's ``test_loss`` is therefore the mean squared error in units of
the training targets' variance.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from actlab.bench.config import OptionValue, TaskConfig
from actlab.bench.labels import task_label
from actlab.errors import UserError

PLANAR_TASKS = ("circle", "xor", "gauss", "spiral", "moons")
REGRESSION_TASKS = ("square", "sin", "quintic", "abs")
EMBEDDED_TASKS = ("digits", "mnist1d", *PLANAR_TASKS, *REGRESSION_TASKS)
FILE_TASKS = ("idx", "cifar10", "csv")

# Fixed seeds, independent of every run's seed: the same split for every run of a task.
VALIDATION_SEED = 7_100_001
TEST_SEED = 7_100_002

# The options each task accepts, with their defaults.
_OPTIONS: dict[str, dict[str, OptionValue]] = {
    "digits": {"test_fraction": 0.2},
    "mnist1d": {"n": 5000, "data_seed": 42},
    **{name: {"n": 1000, "noise": 0.1, "test_fraction": 0.2} for name in PLANAR_TASKS},
    # noise < 0 means the generator's default: 0.1·max|f| on the interval
    **{name: {"n": 500, "noise": -1.0, "test_fraction": 0.2} for name in REGRESSION_TASKS},
    "idx": {},
    "cifar10": {},
    "csv": {"target_column": -1, "delimiter": ",", "kind": "classification",
            "test_fraction": 0.2},
}

# The four files of an MNIST-style directory (each may also be gzipped: name + ".gz").
IDX_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


@dataclass(frozen=True, eq=False)
class TaskData:
    """A task's three splits (inputs float32 in their natural shape) and what it measures."""

    label: str  # the task as the record names it, e.g. "moons(noise=0.2)", "csv:data.csv"
    regression: bool
    input_shape: tuple[int, ...]  # one example, e.g. (40,), (1, 8, 8), (3, 32, 32)
    n_outputs: int  # classes, or regression targets
    x_train: np.ndarray
    y_train: np.ndarray  # int64 labels, or float32 (n, n_outputs) targets
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def metric(self) -> str:
        """The record's test metric: accuracy (a fraction in [0, 1]) or mean squared error."""
        return "test_loss" if self.regression else "test_accuracy"

    @property
    def higher_is_better(self) -> bool:
        return not self.regression


def task_options(task: TaskConfig) -> dict[str, OptionValue]:
    """The task's options over its defaults; an unknown task or option is a UserError."""
    if task.name not in _OPTIONS:
        raise UserError(
            f"unknown task {task.name!r}; choose one of {', '.join((*EMBEDDED_TASKS, *FILE_TASKS))}"
        )
    defaults = _OPTIONS[task.name]
    given = dict(task.options)
    for key, value in given.items():
        if key not in defaults:
            allowed = ", ".join(defaults) or "none"
            raise UserError(f"task {task.name}: unknown option {key!r} (options: {allowed})")
        if type(value) is not type(defaults[key]) and not (
            isinstance(defaults[key], float) and type(value) is int
        ):
            raise UserError(
                f"task {task.name}: option {key} must be {type(defaults[key]).__name__}, "
                f"got {value!r}"
            )
    return {**defaults, **given}


def check_task(task: TaskConfig) -> None:
    """Validate a task up front (name, options, files): a problem is a one-line UserError.

    File tasks are read in full, so a malformed file is reported before any training.
    """
    load_task(task, 0.1)


@functools.lru_cache(maxsize=8)
def load_task(task: TaskConfig, validation_fraction: float) -> TaskData:
    """The task's splits (cached: the arrays are read-only and shared by every run)."""
    if not 0 <= validation_fraction < 1:
        raise UserError(f"validation_fraction must be in [0, 1), got {validation_fraction}")
    options = task_options(task)
    if task.name in FILE_TASKS and not task.path:
        raise UserError(f"task {task.name} needs a path (the file or directory to read)")
    if task.name not in FILE_TASKS and task.path:
        raise UserError(f"task {task.name} is embedded and takes no path")
    x_train, y_train, x_test, y_test, regression = _raw_splits(task, options)
    if task.name in (*PLANAR_TASKS, *REGRESSION_TASKS, "csv"):
        # statistics of the whole training part (before the validation carve), so that
        # the test split does not change with validation_fraction
        x_train, x_test = _standardised(x_train, x_test)
        if regression:
            y_train, y_test = _standardised(y_train, y_test)
    x_train, y_train, x_val, y_val = _carve_validation(x_train, y_train, validation_fraction)
    if regression:
        arrays = [a.astype(np.float32).reshape(len(a), -1) for a in (y_train, y_val, y_test)]
        n_outputs = arrays[0].shape[1]
    else:
        arrays = [a.astype(np.int64) for a in (y_train, y_val, y_test)]
        n_outputs = int(max(a.max(initial=-1) for a in arrays)) + 1
    y_train, y_val, y_test = arrays
    xs = [np.ascontiguousarray(x, dtype=np.float32) for x in (x_train, x_val, x_test)]
    for array in (*xs, *arrays):
        array.setflags(write=False)
    return TaskData(task_label(task), regression, tuple(xs[0].shape[1:]), n_outputs,
                    xs[0], y_train, xs[1], y_val, xs[2], y_test)


Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]


def _raw_splits(task: TaskConfig, options: Mapping[str, OptionValue]) -> Arrays:
    """(x_train, y_train, x_test, y_test, regression) before the validation carve."""
    from actlab import data

    name = task.name
    if name == "digits":
        split = data.load_digits_split(test_size=float(options["test_fraction"]), seed=0)
        # images keep their 8×8 shape (one channel) for the 2-D CNN; the MLP flattens
        return (split.x_train.reshape(-1, 1, 8, 8), split.y_train,
                split.x_test.reshape(-1, 1, 8, 8), split.y_test, False)
    if name == "mnist1d":
        split = data.make_mnist1d(n=_positive_int(options, "n", name),
                                  seed=int(options["data_seed"]))
        return split.x_train, split.y_train, split.x_test, split.y_test, False
    if name in PLANAR_TASKS:
        x, y = data.make_planar(name, n=_positive_int(options, "n", name),
                                noise=float(options["noise"]), seed=0)
        return (*_carve_test(x, y, options), False)
    if name in REGRESSION_TASKS:
        noise = float(options["noise"])
        x, y = data.make_regression(name, n=_positive_int(options, "n", name),
                                    noise=None if noise < 0 else noise, seed=0)
        return (*_carve_test(x, y, options), True)
    assert task.path is not None  # checked by load_task
    if name == "idx":
        return (*_idx_splits(Path(task.path)), False)
    if name == "cifar10":
        split = data.load_cifar10(task.path)
        return split.x_train, split.y_train, split.x_test, split.y_test, False
    return _csv_splits(Path(task.path), options)


def _positive_int(options: Mapping[str, OptionValue], key: str, task: str) -> int:
    value = options[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise UserError(f"task {task}: option {key} must be a positive integer, got {value!r}")
    return value


def _idx_splits(directory: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from actlab.data import load_mnist_idx

    if not directory.is_dir():
        raise UserError(f"IDX directory not found: {directory}")
    files: dict[str, Path] = {}
    for role, base in IDX_FILES.items():
        found = [directory / n for n in (base, base + ".gz") if (directory / n).is_file()]
        if not found:
            raise UserError(f"{directory}: missing the IDX file {base} (or {base}.gz)")
        files[role] = found[0]
    x_train, y_train = load_mnist_idx(files["train_images"], files["train_labels"])
    x_test, y_test = load_mnist_idx(files["test_images"], files["test_labels"])
    if x_train.shape[1:] != x_test.shape[1:]:
        raise UserError(f"{directory}: training images are {x_train.shape[1:]} but test "
                        f"images are {x_test.shape[1:]}")
    # one channel: (n, 1, rows, cols)
    return x_train[:, None], y_train, x_test[:, None], y_test


def _csv_splits(file: Path, options: Mapping[str, OptionValue]) -> Arrays:
    from actlab.data import load_csv

    kind = options["kind"]
    if kind not in ("classification", "regression"):
        raise UserError(f"task csv: option kind must be classification or regression, got {kind!r}")
    x, y = load_csv(file, target_column=int(options["target_column"]),
                    delimiter=str(options["delimiter"]))
    if kind == "classification":
        if not np.all(y == np.round(y)):
            raise UserError(f"{file}: the target column holds non-integer values; "
                            "for a numeric target give the task kind=regression")
        # any integer labels -> 0..k-1
        _, y = np.unique(y, return_inverse=True)
    x_train, y_train, x_test, y_test = _carve_test(x, y, options)
    if len(x_train) < 2:
        raise UserError(f"{file}: too few rows ({len(x)}) to split into train and test")
    return x_train, y_train, x_test, y_test, kind == "regression"


def _carve_test(x: np.ndarray, y: np.ndarray, options: Mapping[str, OptionValue]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A test part for sets that come without one (fixed seed: the same for every run)."""
    fraction = float(options["test_fraction"])
    if not 0 < fraction < 1:
        raise UserError(f"test_fraction must be in (0, 1), got {fraction}")
    order = np.random.default_rng(TEST_SEED).permutation(len(x))
    n_test = max(1, round(fraction * len(x)))
    if n_test >= len(x):
        raise UserError(f"{len(x)} examples are too few to keep {fraction:g} of them for testing")
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


def _carve_validation(x: np.ndarray, y: np.ndarray, fraction: float
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_val, y_val): the validation part is drawn with a fixed seed."""
    order = np.random.default_rng(VALIDATION_SEED).permutation(len(x))
    n_val = round(fraction * len(x))
    if n_val >= len(x):
        raise UserError(f"validation_fraction {fraction:g} leaves no training data "
                        f"({len(x)} examples)")
    if fraction > 0 and n_val == 0:
        n_val = 1
    val, train = np.sort(order[:n_val]), np.sort(order[n_val:])
    return x[train], y[train], x[val], y[val]


def _standardised(train: np.ndarray, *others: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every array centred and scaled by the training part's per-column mean and std."""
    mean = train.mean(axis=0)
    std = train.std(axis=0)
    std = np.where(std > 0, std, 1.0)  # a constant column stays as it is, centred
    return tuple((a - mean) / std for a in (train, *others))
