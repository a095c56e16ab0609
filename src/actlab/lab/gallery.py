"""The gallery: every catalogue entry in the lecture notes' six panels.

For each activation: the function and its derivative on [-10, 10]; a random
sample's histogram before and after the activation; a photo before and after
(applied to the whole image at once, not pixel by pixel as the lecture notes do).
The photo is centred on its median (as in the lecture notes, so the step splits it
half and half) and scaled to [-3, 3] so that every activation does something
visible.

Vector-valued entries (softmax, GLU, maxout, ...) are applied along a 2-vector
slice, the same one the atlas draws (see :mod:`actlab.plot.activation_plots`):
the first output of f([x, 0]) for the shape-keeping ones, f([x, x]) for the GLU
family, f([x, 0]) for maxout.  Every pixel and every sample goes through the
same slice, so the six panels tell one story.
"""

from __future__ import annotations

import base64
import math
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import LECTURE_NOTES, Claim, Result, Table


@dataclass(frozen=True)
class Config:
    activations: tuple[str, ...] = ()  # catalogue names; empty = every entry (actlab.names())
    x_low: float = -10.0  # the lecture notes' plotting range
    x_high: float = 10.0
    n_points: int = 801  # grid points of the function panels (odd: x = 0 is sampled)
    n_samples: int = 1000  # size of the random sample (the lecture notes: 1000)
    sample_std: float = 2.0  # the sample is N(0, sample_std²), wide enough to reach the bends
    bins: int = 60  # histogram bins
    photo_path: str | None = None  # None = matplotlib's bundled photo (Grace Hopper)
    photo_size: int = 96  # longest side of the photo kept in the Result (pixels)
    photo_range: float = 3.0  # the photo, median-centred, is scaled to [-range, range]
    seed: int = 0  # the random sample

    @classmethod
    def quick(cls) -> Config:
        return cls(activations=("relu", "sigmoid", "softmax"), n_points=201, photo_size=48)


def downsample(image: np.ndarray, size: int) -> np.ndarray:
    """Block-mean downsampling so that the longest side is at most ``size`` pixels."""
    factor = max(1, math.ceil(max(image.shape) / size))
    h, w = (image.shape[0] // factor) * factor, (image.shape[1] // factor) * factor
    blocks = image[:h, :w].reshape(h // factor, factor, w // factor, factor)
    return blocks.mean(axis=(1, 3))


def centred_photo(config: Config) -> np.ndarray:
    """The photo, small and median-centred (as the lecture notes do), each side of the median
    stretched linearly to fill [-photo_range, 0] and [0, photo_range]: monotone, so the
    picture stays readable, and every activation's bend falls inside its range."""
    from actlab.data.images import sample_photo

    small = downsample(sample_photo(config.photo_path), config.photo_size)
    median = float(np.median(small))
    below = median - float(small.min()) or 1.0
    above = float(small.max()) - median or 1.0
    centred = small - median
    return np.where(centred < 0, centred / below, centred / above) * config.photo_range


def encode_image(image: np.ndarray) -> dict[str, Any]:
    """An image as 8-bit levels between its finite min and max, base64 (keeps the JSON small:
    the figure shows 256 grey levels anyway).  Non-finite pixels are counted, and their
    positions kept as a packed bit mask."""
    finite = np.isfinite(image)
    low = float(image[finite].min()) if finite.any() else 0.0
    high = float(image[finite].max()) if finite.any() else 0.0
    span = high - low
    scaled = np.zeros(image.shape) if span == 0 else (np.where(finite, image, low) - low) / span
    levels = np.round(scaled * 255).astype(np.uint8)
    encoded: dict[str, Any] = {
        "shape": list(image.shape), "low": low, "high": high,
        "nonfinite": int((~finite).sum()),
        "uint8_base64": base64.b64encode(levels.tobytes()).decode("ascii")}
    if encoded["nonfinite"]:
        mask = np.packbits(~finite.ravel())
        encoded["nonfinite_mask_base64"] = base64.b64encode(mask.tobytes()).decode("ascii")
    return encoded


def decode_image(data: dict[str, Any]) -> np.ndarray:
    """The inverse of :func:`encode_image` (to the 8-bit precision stored; NaN where the
    image was not finite)."""
    raw = np.frombuffer(base64.b64decode(data["uint8_base64"]), dtype=np.uint8)
    levels = raw.reshape(data["shape"]).astype(np.float64) / 255
    image = data["low"] + levels * (data["high"] - data["low"])
    if data.get("nonfinite_mask_base64"):
        bits = np.frombuffer(base64.b64decode(data["nonfinite_mask_base64"]), dtype=np.uint8)
        mask = np.unpackbits(bits)[: image.size].astype(bool).reshape(image.shape)
        image[mask] = np.nan
    return image


def histogram(values: np.ndarray, bins: int) -> dict[str, Any]:
    """Counts and bin edges of the finite values; the non-finite ones are counted apart."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return {"counts": [], "edges": [], "nonfinite": int(values.size)}
    low, high = float(finite.min()), float(finite.max())
    if low == high:  # a constant output: one narrow bar
        low, high = low - 0.5, high + 0.5
    counts, edges = np.histogram(finite, bins=bins, range=(low, high))
    return {"counts": counts, "edges": edges, "nonfinite": int(values.size - finite.size)}


def apply_along_slice(act: Any, x: np.ndarray) -> tuple[str, np.ndarray, np.ndarray]:
    """(label, f, f′) of ``act`` at the points ``x`` (any shape), elementwise or along the
    vector entries' slice."""
    from actlab.plot.activation_plots import activation_curve

    curve = activation_curve(act, np.ravel(x).astype(np.float64))
    return curve.label, np.reshape(curve.y, x.shape), np.reshape(curve.dy, x.shape)


def lecture_note_checks(outputs: dict[str, np.ndarray]) -> list[Claim]:
    """What the lecture notes say about the panels, checked on the sample's outputs (for the entries
    present in this run)."""
    claims: list[Claim] = []

    def add(name: str, statement: str, measured: Any, holds: bool, published: str) -> None:
        claims.append(Claim.check(statement, LECTURE_NOTES, published, measured, holds,
                                  detail=f"on the random sample through {name}"))

    if "heaviside" in outputs:
        values = sorted({float(v) for v in outputs["heaviside"]})
        add("heaviside", "the binary step outputs only 0 or 1", values,
            set(values) <= {0.0, 1.0}, "{0, 1}")
    if "sigmoid" in outputs:
        y = outputs["sigmoid"]
        add("sigmoid", "the sigmoid squashes every input into (0, 1)",
            [float(y.min()), float(y.max())], bool(y.min() > 0 and y.max() < 1), "(0, 1)")
    if "tanh" in outputs:
        y = outputs["tanh"]
        add("tanh", "tanh outputs lie in (-1, 1), centred on 0",
            {"min": float(y.min()), "max": float(y.max()), "mean": float(y.mean())},
            bool(y.min() > -1 and y.max() < 1 and abs(y.mean()) < 0.1 * y.std()), "(-1, 1)")
    if "relu" in outputs:
        y = outputs["relu"]
        add("relu", "ReLU outputs are never negative (0 for every negative input)",
            float(y.min()), bool(y.min() >= 0), ">= 0")
    if "leaky_relu" in outputs:
        y = outputs["leaky_relu"]
        add("leaky_relu", "leaky ReLU keeps a small non-zero output for negative inputs",
            int(np.sum(y == 0)), bool(np.sum(y == 0) == 0 and y.min() < 0),
            "no zero outputs")
    return claims


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    import actlab

    start = time.perf_counter()
    names = list(config.activations) or actlab.names()
    grid = np.linspace(config.x_low, config.x_high, config.n_points)
    sample = np.random.default_rng(config.seed).normal(0.0, config.sample_std,
                                                       config.n_samples)
    photo = centred_photo(config)
    curves: dict[str, Any] = {
        "grid": {"x": grid},
        "sample": histogram(sample, config.bins),
        "photo": encode_image(photo),
    }
    rows: list[list[Any]] = []
    outputs: dict[str, np.ndarray] = {}  # name -> the sample after the activation
    for i, name in enumerate(names):
        act = actlab.get(name)
        label, y, dy = apply_along_slice(act, grid)
        _, after, _ = apply_along_slice(act, sample)
        _, photo_after, _ = apply_along_slice(act, photo)
        curves[name] = {
            "label": label, "elementwise": act.elementwise, "formula": act.formula,
            "y": y, "dy": dy,
            "sample_after": histogram(after, config.bins),
            "photo_after": encode_image(photo_after),
        }
        outputs[name] = after
        finite = after[np.isfinite(after)]
        rows.append([name, label, float(finite.mean()) if finite.size else float("nan"),
                     float(finite.std()) if finite.size else float("nan"),
                     int(after.size - finite.size)])
        if progress:
            progress((i + 1) / len(names), name)
    table = Table(["name", "applied as", "mean after", "std after", "non-finite outputs"],
                  rows, caption=f"A N(0, {config.sample_std:g}²) sample of {config.n_samples} "
                  "values through every activation.")
    n_vector = sum(1 for n in names if not curves[n]["elementwise"])
    claims = lecture_note_checks(outputs)
    metrics = {"n_activations": len(names), "n_vector_valued": n_vector,
               "photo_shape": list(photo.shape)}
    return Result("gallery", asdict(config), metrics, {"sample_after": table}, curves, claims,
                  time.perf_counter() - start)
