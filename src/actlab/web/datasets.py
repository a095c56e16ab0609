"""The playground's data: generated sets, uploaded CSV files, and the input features.

Points live in [-6, 6]² as in TensorFlow Playground.  Classification labels
are class indices 0..K-1 (for two classes, 1 is the Playground's blue
"positive" class); regression targets lie in [-1, 1].  The two-class sets come
from :func:`actlab.data.planar.make_planar`; the regression sets follow the
Playground's definitions (a tilted plane; six Gaussian bumps of alternating
sign), plus x1² for the lecture notes' parallel-versus-serial ReLU experiment.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from actlab.data.gates import gate
from actlab.data.planar import make_planar
from actlab.errors import UserError
from actlab.web.protocol import Feature

DOMAIN = 6.0  # points and the heat map cover [-DOMAIN, DOMAIN]²
CLASSIFICATION = {"circle": 2, "xor": 2, "gauss": 2, "spiral": 2, "xor_gate": 2, "gauss3": 3,
                  "spiral3": 3}
REGRESSION = ("reg_plane", "reg_gauss", "reg_square")


@dataclass(frozen=True)
class Points:
    """Labelled points: ``xy`` (n, 2) and ``label`` (n,), class index or regression target."""

    xy: np.ndarray
    label: np.ndarray
    classes: int  # 0 for regression

    @property
    def regression(self) -> bool:
        return self.classes == 0

    def __len__(self) -> int:
        return len(self.label)

    def plus(self, other: Points) -> Points:
        return Points(np.concatenate([self.xy, other.xy]),
                      np.concatenate([self.label, other.label]), self.classes)


def _xor_gate(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """The XOR gate's four inputs (0 at -3, 1 at +3 on each axis), as small clusters."""
    inputs, truth = gate("xor")
    corner = np.arange(n) % 4
    xy = (inputs[corner] * 6.0 - 3.0) + rng.normal(0.0, 0.4 + 2.0 * noise, (n, 2))
    return xy, truth[corner]


def _three_gaussians(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    angles = np.array([90.0, 210.0, 330.0]) * np.pi / 180
    centres = 3.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    label = np.arange(n) % 3
    xy = centres[label] + rng.normal(0.0, math.sqrt(0.5 + 7.0 * noise) * 0.6, (n, 2))
    return xy, label


def _three_spirals(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    label = np.arange(n) % 3
    t = rng.uniform(0.0, 1.0, n)
    angle = 1.75 * t * 2 * np.pi + label * 2 * np.pi / 3
    xy = np.stack([5 * t * np.sin(angle), 5 * t * np.cos(angle)], axis=1)
    return xy + rng.uniform(-1, 1, (n, 2)) * noise * 2, label


def _plane(xy: np.ndarray) -> np.ndarray:
    return np.clip((xy[:, 0] + xy[:, 1]) / 10.0, -1.0, 1.0)


_BUMPS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def _bumps(xy: np.ndarray) -> np.ndarray:
    # each bump falls linearly from ±1 at its centre to 0 at distance 2; the largest |value| wins
    values = np.stack([sign * np.clip(1 - np.hypot(xy[:, 0] - cx, xy[:, 1] - cy) / 2, 0, 1)
                       for cx, cy, sign in _BUMPS])
    return values[np.abs(values).argmax(axis=0), np.arange(len(xy))]


def _square(xy: np.ndarray) -> np.ndarray:
    return xy[:, 0] ** 2 / 18.0 - 1.0  # x1² on [-6, 6] mapped onto [-1, 1]


_TARGETS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "reg_plane": _plane, "reg_gauss": _bumps, "reg_square": _square}


def generate(name: str, n: int, noise: float, seed: int) -> Points:
    """``n`` shuffled points of a named set (``noise`` in [0, 0.5] as the Playground's slider)."""
    rng = np.random.default_rng(seed)
    if name in ("circle", "xor", "gauss", "spiral"):
        xy, label = make_planar(name, n=n, noise=noise, seed=seed)
        return Points(xy.astype(np.float32), label.astype(np.float32), 2)
    if name in ("gauss3", "spiral3", "xor_gate"):
        maker = {"gauss3": _three_gaussians, "spiral3": _three_spirals, "xor_gate": _xor_gate}[name]
        xy, label = maker(n, noise, rng)
        order = rng.permutation(n)
        return Points(np.clip(xy[order], -DOMAIN, DOMAIN).astype(np.float32),
                      label[order].astype(np.float32), CLASSIFICATION[name])
    if name in _TARGETS:
        xy = rng.uniform(-DOMAIN, DOMAIN, (n, 2))
        # as in the Playground, the target is read at a noise-shifted copy of the point
        shifted = xy + rng.uniform(-DOMAIN, DOMAIN, (n, 2)) * noise
        return Points(xy.astype(np.float32), _TARGETS[name](shifted).astype(np.float32), 0)
    raise UserError(f"unknown data set {name!r}")


def split(points: Points, train_ratio: float) -> tuple[Points, Points]:
    """The first ``train_ratio`` of the (already shuffled) points train, the rest test."""
    cut = max(1, min(len(points) - 1, round(len(points) * train_ratio)))
    return (Points(points.xy[:cut], points.label[:cut], points.classes),
            Points(points.xy[cut:], points.label[cut:], points.classes))


def parse_csv(text: str, max_points: int, max_classes: int) -> Points:
    """Rows ``x1,x2,label`` (a header line is allowed).

    Integer labels 0..K-1 (K <= ``max_classes``) make a classification set; any
    other label makes a regression set, its targets scaled into [-1, 1].
    Coordinates must lie in [-6, 6].  Errors name the offending line.
    """
    rows: list[tuple[float, float, float]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise UserError(f"CSV line {number}: expected 3 columns x1,x2,label, got {len(row)}")
        try:
            x1, x2, label = (float(cell) for cell in row)
        except ValueError:
            if not rows and number == 1:
                continue  # a header
            raise UserError(f"CSV line {number}: not three numbers: {','.join(row)[:60]!r}") \
                from None
        if not all(math.isfinite(v) for v in (x1, x2, label)):
            raise UserError(f"CSV line {number}: numbers must be finite")
        if abs(x1) > DOMAIN or abs(x2) > DOMAIN:
            raise UserError(f"CSV line {number}: x1 and x2 must lie in [-6, 6]")
        rows.append((x1, x2, label))
        if len(rows) > max_points:
            raise UserError(f"CSV has more than {max_points} points")
    if len(rows) < 4:
        raise UserError("CSV needs at least 4 points (rows x1,x2,label)")
    data = np.array(rows, dtype=np.float64)
    labels = data[:, 2]
    integral = np.all(labels == np.round(labels)) and labels.min() >= 0
    classes = int(labels.max()) + 1 if integral else 0
    if integral and classes > max_classes:
        raise UserError(f"CSV labels must be classes 0..{max_classes - 1}, or real targets")
    if integral and classes < 2:
        raise UserError("CSV labels name only one class; use 0 and 1 (or more classes)")
    if not integral:
        scale = np.abs(labels).max()
        labels = labels / scale if scale > 1 else labels
    rng = np.random.default_rng(0)  # a fixed shuffle, so train and test mix the file's rows
    order = rng.permutation(len(rows))
    return Points(data[order, :2].astype(np.float32), labels[order].astype(np.float32),
                  classes)


# --- input features ------------------------------------------------------------------------
@dataclass(frozen=True)
class FeatureSpec:
    label: str  # as the page shows it
    compute: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # (x1, x2) -> column
    code: str  # the same torch expression as text, for the exported script


# computed in float32 torch, exactly as the exported script computes them
FEATURE_SPECS: dict[Feature, FeatureSpec] = {
    "x1": FeatureSpec("X₁", lambda a, b: a, "x1"),
    "x2": FeatureSpec("X₂", lambda a, b: b, "x2"),
    "x1_sq": FeatureSpec("X₁²", lambda a, b: a * a, "x1 * x1"),
    "x2_sq": FeatureSpec("X₂²", lambda a, b: b * b, "x2 * x2"),
    "x1_x2": FeatureSpec("X₁X₂", lambda a, b: a * b, "x1 * x2"),
    "sin_x1": FeatureSpec("sin(X₁)", lambda a, b: torch.sin(a), "torch.sin(x1)"),
    "sin_x2": FeatureSpec("sin(X₂)", lambda a, b: torch.sin(b), "torch.sin(x2)"),
}


def features(xy: np.ndarray, names: tuple[Feature, ...]) -> torch.Tensor:
    """The feature columns (n, len(names)) of points (n, 2), float32."""
    points = torch.as_tensor(np.asarray(xy, dtype=np.float32))
    x1, x2 = points[:, 0], points[:, 1]
    return torch.stack([FEATURE_SPECS[n].compute(x1, x2) for n in names], dim=1)


def grid(resolution: int) -> np.ndarray:
    """Cell centres of a resolution × resolution grid over the domain, row-major from the top."""
    ticks = (np.arange(resolution) + 0.5) / resolution * 2 * DOMAIN - DOMAIN
    x1, x2 = np.meshgrid(ticks, ticks[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1).astype(np.float32)


TITLES = {  # name -> (title, short label under the icon)
    "circle": ("Circle", "circle"), "xor": ("Exclusive or", "xor"),
    "gauss": ("Two Gaussians", "gauss"),
    "spiral": ("Spiral", "spiral"), "xor_gate": ("The XOR gate: four clusters", "XOR gate"),
    "gauss3": ("Three Gaussians (3 classes)", "gauss ×3"),
    "spiral3": ("Three spirals (3 classes)", "spiral ×3"),
    "reg_plane": ("Regression: plane", "plane"), "reg_gauss": ("Regression: six bumps", "bumps"),
    "reg_square": ("Regression: x₁²", "x₁²"),
}


def samples(n: int = 120) -> dict[str, dict[str, object]]:
    """A small sample of every generated set, for the page's data-set icons."""
    out: dict[str, dict[str, object]] = {}
    for name, (title, short) in TITLES.items():
        points = generate(name, n, 0.0, 0)
        rows = np.column_stack([points.xy, points.label]).astype(np.float64)
        out[name] = {"title": title, "short": short, "classes": points.classes,
                     "points": np.round(rows, 2).tolist()}
    return out
