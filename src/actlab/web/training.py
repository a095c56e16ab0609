"""Training one or two networks in lock-step, and what a frame shows of them.

A :class:`Run` owns the data tensors and one :class:`Trainer` per network (two
in compare mode).  Every epoch draws one permutation of the training points
and feeds the same mini-batches to every trainer, so two networks that start
from the same weights differ only by their activation.  A trainer whose loss
or weights turn non-finite stops and says so; reset brings it back.
"""

from __future__ import annotations

import base64
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

import actlab
from actlab.catalogue.backend import torch_backend
from actlab.web.network import linear_layers

SATURATION_THRESHOLD = 0.01  # |f'| below it is saturated, as actlab.diagnose counts it
SATURATED_SHARE = 0.95  # a neuron saturated on this share of the training points is marked
DIAGNOSE_EVERY = 4  # frames between two actlab.diagnose passes (the per-neuron marks are live)


def make_optimiser(name: str, params: Any, lr: float) -> torch.optim.Optimizer:
    if name == "adam":
        return torch.optim.Adam(params, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    return torch.optim.SGD(params, lr=lr)


def _bytes(values: torch.Tensor) -> str:
    """Values in [-1, 1] as base64 of one byte each (0 -> -1, 255 -> +1)."""
    values = torch.nan_to_num(values, nan=0.0).clamp(-1.0, 1.0)
    scaled = ((values + 1.0) * 127.5).round().to(torch.uint8)
    return base64.b64encode(scaled.numpy().tobytes()).decode("ascii")


@dataclass
class Data:
    """Feature tensors of the train and test points and of the heat-map grid."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor
    grid_x: torch.Tensor  # grid² rows
    thumbnail_rows: torch.Tensor  # indices into the grid for the neuron thumbnails
    classes: int  # 0 regression, 2 binary (one output), >= 3 softmax


@dataclass
class Trainer:
    """One network, its optimiser and its history."""

    model: nn.Sequential
    activations: list[actlab.Activation]  # per hidden layer
    optimiser_name: str
    learning_rate: float
    regularisation: str
    regularisation_rate: float
    initial_state: dict[str, torch.Tensor] = field(init=False)
    optimiser: torch.optim.Optimizer = field(init=False)
    diverged: bool = False
    _frames: int = 0  # snapshots taken
    _diagnosed: list[dict[str, float]] | None = None  # the last actlab.diagnose summary

    def __post_init__(self) -> None:
        self.initial_state = {k: v.clone() for k, v in self.model.state_dict().items()}
        self.optimiser = make_optimiser(self.optimiser_name, self.model.parameters(),
                                        self.learning_rate)

    def reset(self) -> None:
        self.model.load_state_dict(self.initial_state)
        self._diagnosed = None
        self.optimiser = make_optimiser(self.optimiser_name, self.model.parameters(),
                                        self.learning_rate)
        self.diverged = False

    def set_hyper(self, optimiser: str, lr: float, regularisation: str, rate: float) -> None:
        if optimiser != self.optimiser_name:
            self.optimiser = make_optimiser(optimiser, self.model.parameters(), lr)
        for group in self.optimiser.param_groups:
            group["lr"] = lr
        self.optimiser_name, self.learning_rate = optimiser, lr
        self.regularisation, self.regularisation_rate = regularisation, rate

    def loss(self, x: torch.Tensor, y: torch.Tensor, classes: int) -> torch.Tensor:
        return self.loss_of(self.model(x), y, classes)

    @staticmethod
    def loss_of(out: torch.Tensor, y: torch.Tensor, classes: int) -> torch.Tensor:
        if classes == 0:
            return nn.functional.mse_loss(out[:, 0], y)
        if classes == 2:
            return nn.functional.binary_cross_entropy_with_logits(out[:, 0], y)
        return nn.functional.cross_entropy(out, y.long())

    def penalty(self) -> torch.Tensor | float:
        if self.regularisation == "none" or self.regularisation_rate == 0:
            return 0.0
        weights = [layer.weight for layer in linear_layers(self.model)]
        if self.regularisation == "l1":
            return self.regularisation_rate * sum(w.abs().sum() for w in weights)
        return self.regularisation_rate * 0.5 * sum(w.square().sum() for w in weights)

    def train_batch(self, x: torch.Tensor, y: torch.Tensor, classes: int) -> None:
        if self.diverged:
            return
        loss = self.loss(x, y, classes) + self.penalty()
        if not torch.isfinite(loss):
            self.diverged = True
            return
        self.optimiser.zero_grad(set_to_none=True)
        loss.backward()  # type: ignore[union-attr]
        self.optimiser.step()

    def check_weights(self) -> None:
        if not all(bool(torch.isfinite(p).all()) for p in self.model.parameters()):
            self.diverged = True

    # --- what the page draws -------------------------------------------------------------
    def snapshot(self, data: Data, streaming: bool = False) -> dict[str, Any]:
        """Losses, heat map, neuron thumbnails, weights, biases and neuron diagnostics.

        While ``streaming``, the layer summary of actlab.diagnose is renewed only every
        DIAGNOSE_EVERY frames; any other frame (a step, a reset, a pause) renews it.
        """
        with torch.no_grad():
            train_out, train_hidden = self._layers(data.train_x, keep_input=True)
            train_loss = float(self.loss_of(train_out, data.train_y, data.classes))
            test_loss = float(self.loss(data.test_x, data.test_y, data.classes))
            grid_out, grid_hidden = self._layers(data.grid_x)
        diverged = self.diverged or not (math.isfinite(train_loss) and math.isfinite(test_loss))
        frame: dict[str, Any] = {
            "train_loss": train_loss if math.isfinite(train_loss) else None,
            "test_loss": test_loss if math.isfinite(test_loss) else None,
            "diverged": diverged,
            "weights": [], "biases": [], "neurons": [], "dead": [], "saturated": [],
        }
        for layer in linear_layers(self.model):
            frame["weights"].append(_rounded(layer.weight))
            frame["biases"].append(_rounded(layer.bias))
        if data.classes >= 3:
            probabilities = torch.softmax(grid_out, dim=1)
            confidence, winner = probabilities.max(dim=1)
            frame["heat_class"] = base64.b64encode(
                winner.to(torch.uint8).numpy().tobytes()).decode("ascii")
            frame["heat"] = _bytes(confidence * 2 - 1)
        elif data.classes == 2:
            frame["heat"] = _bytes(torch.tanh(grid_out[:, 0] / 2))  # = 2·sigmoid − 1
        else:
            frame["heat"] = _bytes(grid_out[:, 0])
        for outputs in grid_hidden:  # one string per layer: its neurons' thumbnails in a row
            frame["neurons"].append(_bytes(outputs[data.thumbnail_rows].T.contiguous()))
        if not streaming or self._diagnosed is None or self._frames % DIAGNOSE_EVERY == 0:
            self._diagnosed = self._layer_diagnostics(data.train_x)
        self._frames += 1
        frame["layers"] = self._diagnosed
        for act, (pre, post) in zip(self.activations, train_hidden, strict=True):
            slope = act.grad(pre, act.params, torch_backend()).abs()
            frame["dead"].append((post == 0).all(dim=0).tolist())
            saturated = (slope < SATURATION_THRESHOLD).float().mean(dim=0) >= SATURATED_SHARE
            frame["saturated"].append(saturated.tolist())
        return frame

    def _layer_diagnostics(self, x: torch.Tensor) -> list[dict[str, float]]:
        """Per hidden layer, actlab.diagnose's shares of saturated elements and dead units."""
        if not self.activations:
            return []
        with actlab.diagnose(self.model, histogram_every=0, window=1,
                             saturation_threshold=SATURATION_THRESHOLD) as diag, torch.no_grad():
            self.model(x)
        return [{"saturated": row["saturated"], "dead": row["dead_batch"]}
                for row in diag.log.rows]

    def _layers(self, x: torch.Tensor, keep_input: bool = False) -> tuple[torch.Tensor, list[Any]]:
        """The output, and per hidden layer its output (or (input, output) with keep_input)."""
        hidden: list[Any] = []
        pre = x
        for module in self.model:
            out = module(x)
            if not isinstance(module, nn.Linear):
                hidden.append((pre, out) if keep_input else out)
            pre, x = out, out
        return x, hidden


def _rounded(tensor: torch.Tensor) -> list[Any]:
    values = tensor.detach().double().numpy()
    return np.where(np.isfinite(values), np.round(values, 4), 0.0).tolist()


@dataclass
class Run:
    """The data and one or two trainers stepping through the same mini-batches.

    Training goes batch by batch through each epoch's permutation, so that a
    frame can be sent after a bounded time even when an epoch takes longer.
    """

    data: Data
    trainers: list[Trainer]
    batch_size: int
    seed: int
    epoch: int = 0  # completed epochs
    steps: int = 0  # optimiser steps since the start (or the last reset)
    _order: torch.Tensor | None = None  # this epoch's permutation of the training points
    _position: int = 0  # next row of _order

    def _next_batch(self) -> torch.Tensor:
        if self._order is None or self._position >= len(self._order):
            generator = torch.Generator().manual_seed(self.seed * 1_000_003 + self.epoch)
            self._order = torch.randperm(len(self.data.train_y), generator=generator)
            self._position = 0
        rows = self._order[self._position:self._position + self.batch_size]
        self._position += self.batch_size
        if self._position >= len(self._order):
            self.epoch += 1
        return rows

    def train(self, seconds: float | None = None) -> None:
        """Train until the current epoch ends, or until ``seconds`` have passed."""
        start = time.perf_counter()
        epoch = self.epoch
        while self.epoch == epoch and not self.all_diverged:
            rows = self._next_batch()
            x, y = self.data.train_x[rows], self.data.train_y[rows]
            for trainer in self.trainers:
                trainer.train_batch(x, y, self.data.classes)
            self.steps += 1
            if seconds is not None and time.perf_counter() - start > seconds:
                break
        for trainer in self.trainers:
            trainer.check_weights()

    def train_epoch(self) -> None:
        """Train to the end of the current epoch."""
        self.train(None)

    def reset(self) -> None:
        for trainer in self.trainers:
            trainer.reset()
        self.epoch, self.steps, self._order, self._position = 0, 0, None, 0

    @property
    def all_diverged(self) -> bool:
        return all(t.diverged for t in self.trainers)

    def frame(self, streaming: bool = False) -> dict[str, Any]:
        return {"type": "frame", "epoch": self.epoch, "steps": self.steps,
                "nets": [t.snapshot(self.data, streaming) for t in self.trainers]}
