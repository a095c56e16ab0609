"""One browser tab's playground: its setup, data, networks, and the answer to each message.

A :class:`Session` is plain synchronous Python: the server feeds it validated
messages and asks it for frames; it never touches the network connection.
Errors a user can cause (a bad activation name, a CSV that is not one)
come back as an ``error`` reply and leave the session as it was.
"""

from __future__ import annotations

import base64
import io
import json
import random
from typing import Any

import numpy as np
import torch

from actlab.errors import UserError
from actlab.web import datasets
from actlab.web.activations import describe
from actlab.web.datasets import FEATURE_SPECS, Points
from actlab.web.limits import Limits
from actlab.web.network import Architecture, activation, build, check_size, rebuild_script
from actlab.web.presets import PRESETS
from actlab.web.protocol import (
    SEED_MAX,
    AddPointMessage,
    ClientMessage,
    DescribeMessage,
    ExportMessage,
    NewWeightsMessage,
    PauseMessage,
    PlayMessage,
    PresetMessage,
    RegenerateMessage,
    ResetMessage,
    Setup,
    SetupMessage,
    StepMessage,
    UploadCsvMessage,
)
from actlab.web.training import Data, Run, Trainer

DATA_FIELDS = ("dataset", "noise", "train_ratio", "points", "data_seed")
NETWORK_FIELDS = ("features", "layers", "weight_seed", "compare")


def error(message: str) -> dict[str, Any]:
    return {"type": "error", "message": message}


class Session:
    def __init__(self, limits: Limits, setup: Setup | None = None) -> None:
        self.limits = limits
        self.playing = False
        self.custom: Points | None = None  # uploaded points, for the "custom" data set
        self.clicked: list[tuple[float, float, float]] = []  # points added by clicks
        self.setup = setup or Setup()
        self.run: Run
        self.points: Points  # the data set's points (generated or uploaded), before the split
        self.train: Points
        self.test: Points
        self.arch: Architecture  # network A's
        self.archs: list[Architecture]  # A's, and B's in compare mode
        self._apply(self.setup, data_changed=True, network_changed=True)

    # --- messages ----------------------------------------------------------------------
    def handle(self, message: ClientMessage) -> list[dict[str, Any]]:
        """The replies to one validated message (an ``error`` reply for a user's mistake)."""
        try:
            return self._dispatch(message)
        except UserError as err:
            self.playing = False
            return [error(str(err))]

    def _dispatch(self, message: ClientMessage) -> list[dict[str, Any]]:
        if isinstance(message, PlayMessage):
            self.playing = not self.run.all_diverged
            return [self.status()]
        if isinstance(message, PauseMessage):
            self.playing = False
            return [self.status(), self.run.frame()]  # with a fresh diagnose summary
        if isinstance(message, StepMessage):
            self.playing = False
            self.run.train_epoch()
            return [self.run.frame(), self.status()]
        if isinstance(message, ResetMessage):
            self.run.reset()
            return [self.status(), self.run.frame()]
        if isinstance(message, NewWeightsMessage):
            seed = message.seed if message.seed is not None else random.randint(0, 99_999)
            return self._change(self.setup.model_copy(update={"weight_seed": seed}))
        if isinstance(message, RegenerateMessage):
            seed = (self.setup.data_seed + 1) % (SEED_MAX + 1)
            self.clicked.clear()
            return self._change(self.setup.model_copy(update={"data_seed": seed}))
        if isinstance(message, SetupMessage):
            return self._change(message.setup)
        if isinstance(message, PresetMessage):
            preset = PRESETS.get(message.name)
            if preset is None:
                raise UserError(f"no preset {message.name!r}; choose one of {', '.join(PRESETS)}")
            self.playing = False
            return self._change(preset.setup)
        if isinstance(message, AddPointMessage):
            return self._add_point(message)
        if isinstance(message, UploadCsvMessage):
            points = datasets.parse_csv(message.text, self.limits.max_points,
                                        self.limits.max_classes)
            self.custom, self.clicked = points, []
            self.playing = False
            return self._change(self.setup.model_copy(update={"dataset": "custom"}), force=True)
        if isinstance(message, DescribeMessage):
            return [{"type": "activation", "activation": describe(activation(message.activation))}]
        if isinstance(message, ExportMessage):
            return [self.export(message.net)]
        raise AssertionError(f"unhandled message {type(message).__name__}")  # a programming error

    def _change(self, setup: Setup, force: bool = False) -> list[dict[str, Any]]:
        old = self.setup
        if setup.dataset != old.dataset:
            self.clicked.clear()  # clicked points belong to the data set they were added to
        data_changed = force or any(getattr(old, f) != getattr(setup, f) for f in DATA_FIELDS)
        network_changed = data_changed or any(
            getattr(old, f) != getattr(setup, f) for f in NETWORK_FIELDS)
        self._apply(setup, data_changed, network_changed)
        self.setup = setup
        if network_changed:
            self.playing = False
            return [self.state(), self.run.frame()]
        return [self.status()]

    def _apply(self, setup: Setup, data_changed: bool, network_changed: bool) -> None:
        """Build what the new setup needs; on a UserError nothing of the session changes."""
        if not network_changed:
            for trainer in self.run.trainers:
                trainer.set_hyper(setup.optimiser, setup.learning_rate, setup.regularisation,
                                  setup.regularisation_rate)
            self.run.batch_size = setup.batch_size
            return
        hidden = tuple((layer.units, activation(layer.activation)) for layer in setup.layers)
        compare = activation(setup.compare) if setup.compare is not None else None
        points = self._points(setup) if data_changed else self.points
        outputs = points.classes if points.classes >= 3 else 1
        arch = Architecture(len(setup.features), hidden, outputs)
        check_size(arch, self.limits.max_layers, self.limits.max_units)
        archs = [arch]
        if compare is not None:
            archs.append(Architecture(arch.inputs, tuple((u, compare) for u, _ in hidden),
                                      outputs))
        trainers = []
        for each in archs:
            model = build(each, setup.weight_seed)
            trainers.append(Trainer(model, [act for _, act in each.hidden], setup.optimiser,
                                    setup.learning_rate, setup.regularisation,
                                    setup.regularisation_rate))
        self.points = points
        self.train, self.test = datasets.split(points, setup.train_ratio)
        if self.clicked:  # clicked points always train
            clicked = np.array(self.clicked, dtype=np.float32)
            self.train = self.train.plus(Points(clicked[:, :2], clicked[:, 2], points.classes))
        self.arch, self.archs = arch, archs
        self.run = Run(self._data(setup), trainers, setup.batch_size, setup.weight_seed)

    def _points(self, setup: Setup) -> Points:
        if setup.dataset == "custom":
            if self.custom is None:
                raise UserError("no points uploaded yet: upload a CSV file first")
            points = self.custom
        else:
            points = datasets.generate(setup.dataset, setup.points, setup.noise, setup.data_seed)
        return points

    def _data(self, setup: Setup) -> Data:
        def tensor(xy: np.ndarray) -> torch.Tensor:
            return datasets.features(xy, setup.features)

        step = self.limits.grid // self.limits.thumbnail
        rows = np.arange(0, self.limits.grid, step)[: self.limits.thumbnail]
        thumbnail_rows = (rows[:, None] * self.limits.grid + rows[None, :]).ravel()
        return Data(
            train_x=tensor(self.train.xy), train_y=torch.from_numpy(self.train.label),
            test_x=tensor(self.test.xy), test_y=torch.from_numpy(self.test.label),
            grid_x=tensor(datasets.grid(self.limits.grid)),
            thumbnail_rows=torch.from_numpy(thumbnail_rows + (step // 2) * (self.limits.grid + 1)),
            classes=self.train.classes,
        )

    def _add_point(self, message: AddPointMessage) -> list[dict[str, Any]]:
        classes = self.points.classes
        label = message.label
        if classes and (label != int(label) or not 0 <= label < classes):
            raise UserError(f"a point of this data set needs a class 0..{classes - 1}")
        if not classes and not -1 <= label <= 1:
            raise UserError("a regression target must lie in [-1, 1]")
        if len(self.points) + len(self.clicked) >= self.limits.max_points:
            raise UserError(f"a session holds at most {self.limits.max_points} points")
        self.clicked.append((message.x, message.y, label))
        # a clicked point joins the training set; the network keeps its weights
        point = Points(np.array([[message.x, message.y]], dtype=np.float32),
                       np.array([label], dtype=np.float32), classes)
        self.train = self.train.plus(point)
        self.run.data.train_x = torch.cat(
            [self.run.data.train_x, datasets.features(point.xy, self.setup.features)])
        self.run.data.train_y = torch.cat([self.run.data.train_y, torch.from_numpy(point.label)])
        return [self.state(), self.run.frame()]

    # --- replies ------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        return {"type": "status", "playing": self.playing, "epoch": self.run.epoch,
                "diverged": [t.diverged for t in self.run.trainers],
                "setup": json.loads(self.setup.model_dump_json())}

    def state(self) -> dict[str, Any]:
        """The setup and the data, sent whenever they change."""
        def rows(points: Points) -> list[list[float]]:
            table = np.column_stack([points.xy, points.label]).astype(np.float64)
            return np.round(table, 4).tolist()

        compare = self.setup.compare
        return {
            "type": "state",
            "setup": json.loads(self.setup.model_dump_json()),
            "classes": self.train.classes,
            "widths": self.arch.widths(),
            "activations": [describe(act) for _, act in self.arch.hidden],
            "compare": describe(activation(compare)) if compare is not None else None,
            "train": rows(self.train),
            "test": rows(self.test),
            "playing": self.playing,
            "epoch": self.run.epoch,
        }

    def advance(self, seconds: float | None = None) -> dict[str, Any]:
        """Train to the end of the epoch (or for ``seconds``) and return the frame that shows
        it; pauses when every network has diverged."""
        self.run.train(seconds)
        if self.run.all_diverged:
            self.playing = False
        return self.run.frame(streaming=self.playing)

    def export(self, net: int = 0) -> dict[str, Any]:
        """A network's state_dict (torch.save, base64), its rebuild script, and the setup."""
        if net >= len(self.run.trainers):
            raise UserError("there is no network B to export: turn compare mode on first")
        trainer = self.run.trainers[net]
        buffer = io.BytesIO()
        torch.save(trainer.model.state_dict(), buffer)
        problem = ("regression" if self.train.classes == 0 else
                   "binary" if self.train.classes == 2 else "multiclass")
        feature_code = [FEATURE_SPECS[f].code for f in self.setup.features]
        script = rebuild_script(self.archs[net], feature_code, list(self.setup.features), problem)
        return {
            "type": "export",
            "net": net,
            "state_dict": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "script": script,
            "setup": json.loads(self.setup.model_dump_json()),
            "epoch": self.run.epoch,
        }
