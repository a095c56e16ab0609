"""The canonical configuration of one bench run, and its key.

A run is (activation with parameters, task, model, training budget, optimiser,
learning-rate policy, seed).  Two runs with the same canonical configuration are
the same run: the store keys results by :meth:`RunConfig.key`, so a sweep that
is killed, resumed or extended never trains a finished run twice.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from typing import Literal

OptionValue = str | int | float | bool

# Fields added to the configuration after the first runs were stored, with their
# defaults: left out of the canonical form at those defaults (see RunConfig.canonical).
LATER_FIELDS: dict[str, dict[str, object]] = {
    "model": {"hidden_noise": 0.0},
    "training": {"smoothing": 0.99},
}


@dataclass(frozen=True)
class TaskConfig:
    """A data set: embedded (``digits``, ``mnist1d``, a planar set, a regression curve)
    or read from files the user names (``idx``, ``cifar10``, ``csv``)."""

    name: str
    path: str | None = None  # file tasks: the file or directory the user named
    # task options as sorted (name, value) pairs, e.g. (("noise", 0.1),), so the
    # record stays hashable and canonical
    options: tuple[tuple[str, OptionValue], ...] = ()


@dataclass(frozen=True)
class ModelConfig:
    """An architecture: ``mlp`` (depth hidden layers of width units), ``cnn1d`` (the
    MNIST-1D CNN), ``cnn2d`` (a small 2-D CNN), or ``factory`` (a user's
    ``package.module:function`` that receives the activation module, the input
    shape and the number of outputs)."""

    kind: str
    depth: int = 2
    width: int = 100
    factory: str | None = None
    # mlp only: while training, noise U[-hidden_noise, hidden_noise] is added to every
    # hidden layer's output, one vector per network and step (0: none)
    hidden_noise: float = 0.0


@dataclass(frozen=True)
class TrainingConfig:
    """The same budget and optimiser for every activation of a sweep."""

    budget: int = 3000  # how long to train ...
    budget_unit: Literal["steps", "epochs"] = "steps"  # ... in steps or in epochs
    optimiser: str = "adam"  # "sgd", "momentum", "adam" or "rmsprop"
    batch_size: int = 100
    init: str = "default"  # "default" (PyTorch's), "glorot", "he", "lecun"
    learning_rate: float | None = 1e-2  # the fixed rate (None when tuned)
    # tuned policy: every rate of the grid is tried and the best on the validation
    # split is kept; empty means the fixed rate above
    lr_grid: tuple[float, ...] = ()
    validation_fraction: float = 0.1  # carved from the training split, never the test split
    target: float | None = None  # validation metric whose first reach is timed
    # rmsprop only: the weight of the past in its running mean of squared gradients
    # (PyTorch's ``alpha``)
    smoothing: float = 0.99


@dataclass(frozen=True)
class RunConfig:
    """One run of a sweep; runs differing only in ``seed`` may be trained packed together."""

    activation: str  # canonical spec, e.g. "leaky_relu(negative_slope=0.2)"
    task: TaskConfig
    model: ModelConfig
    training: TrainingConfig
    seed: int

    def canonical(self) -> str:
        """The configuration as canonical JSON: sorted keys, no white space.

        A field added after runs were first stored is left out while it holds its
        default, so every run stored before it existed keeps its key.
        """
        data = asdict(self)
        for part, defaults in LATER_FIELDS.items():
            for name, default in defaults.items():
                if data[part][name] == default:
                    del data[part][name]
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    def key(self) -> str:
        """The run's identity in the store: a hash of the canonical configuration."""
        return hashlib.sha256(self.canonical().encode()).hexdigest()[:24]

    def group_key(self) -> str:
        """The identity of the run's seed group: runs that differ only in their seed."""
        return replace(self, seed=0).key()
