"""Shapeset-3×2: the procedurally generated image task of Glorot & Bengio (2010).

Each 32×32 grey image holds one or two shapes, each a triangle, a parallelogram
or an ellipse, at a random position, size (0.2 to 0.8 of the image) and
rotation, with a random grey level on a random grey background; the second
shape may cover at most half of the first one's area.  The task is to name the
shapes present: 3 single shapes and 6 unordered pairs, 9 classes.  Like the
original generator, the foreground is drawn from [0.55, 1] and the background
from [0, 0.45], and half of the images are inverted (1 − pixel), so neither
brightness nor polarity gives the class away.

The data set is infinite (online learning, every example seen once); here it
is generated on demand from a seed, vectorised over images.
"""

from __future__ import annotations

import itertools

import numpy as np

SIZE = 32
SHAPES = ("triangle", "parallelogram", "ellipse")
# class k -> the shapes it holds: the three single shapes, then the six unordered pairs
CLASSES: tuple[tuple[int, ...], ...] = (
    *((s,) for s in range(3)), *itertools.combinations_with_replacement(range(3), 2))
MAX_OVERLAP = 0.5  # the second shape covers at most this fraction of the first


def _grid() -> tuple[np.ndarray, np.ndarray]:
    centres = (np.arange(SIZE) + 0.5) / SIZE  # pixel centres in [0, 1]
    return np.meshgrid(centres, centres, indexing="ij")


def shape_masks(kind: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Boolean masks (n, 32, 32) of one random shape per entry of ``kind`` (0, 1, 2)."""
    n = kind.size
    rows, cols = _grid()
    size = rng.uniform(0.2, 0.8, n)  # extent as a fraction of the image
    centre = rng.uniform(size[:, None] / 2, 1 - size[:, None] / 2, (n, 2))
    angle = rng.uniform(0, 2 * np.pi, n)
    # image coordinates in each shape's own frame (rotated), in units of its half-extent
    dy = rows[None] - centre[:, 0, None, None]
    dx = cols[None] - centre[:, 1, None, None]
    cos, sin = np.cos(angle)[:, None, None], np.sin(angle)[:, None, None]
    half = (size / 2)[:, None, None]
    u, v = (cos * dx + sin * dy) / half, (-sin * dx + cos * dy) / half
    aspect = rng.uniform(0.5, 1.0, n)[:, None, None]  # the shorter side's share
    skew = rng.uniform(-0.5, 0.5, n)[:, None, None]
    ellipse = u**2 + (v / aspect) ** 2 <= 1.0
    # parallelogram: |v| <= aspect and |u - skew·v| <= 1 - |skew|·aspect (fits the extent)
    parallelogram = (np.abs(v) <= aspect) & (np.abs(u - skew * v) <= 1 - np.abs(skew) * aspect)
    # triangle: apex at (skew, aspect), base from (-1, -aspect) to (1, -aspect)
    apex_u, apex_v = skew, aspect
    left = (u + 1) * (apex_v + aspect) - (v + aspect) * (apex_u + 1) <= 0
    right = (u - 1) * (apex_v + aspect) - (v + aspect) * (apex_u - 1) >= 0
    triangle = (v >= -aspect) & left & right
    masks = np.where(kind[:, None, None] == 0, triangle,
                     np.where(kind[:, None, None] == 1, parallelogram, ellipse))
    return masks


def make_shapeset(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images (float32, (n, 1024) in [0, 1]) and their classes (int64, 0..8)."""
    rng = np.random.default_rng(seed)
    labels, mask_a, mask_b = draw_shapes(n, rng)
    background = rng.uniform(0.0, 0.45, n)[:, None, None]
    colour_a = rng.uniform(0.55, 1.0, n)[:, None, None]
    colour_b = rng.uniform(0.55, 1.0, n)[:, None, None]
    image = np.where(mask_a, colour_a, background)
    image = np.where(mask_b, colour_b, image)  # the second shape lies on top
    invert = rng.random(n) < 0.5
    image[invert] = 1.0 - image[invert]
    return image.reshape(n, SIZE * SIZE).astype(np.float32), labels.astype(np.int64)


def draw_shapes(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Classes (n,) and the masks of the first and second shape (n, 32, 32); the second is
    empty for single-shape classes and covers at most half of the first otherwise."""
    labels = rng.integers(0, len(CLASSES), n)
    first = np.array([CLASSES[k][0] for k in labels])
    second = np.array([CLASSES[k][-1] for k in labels])
    two = np.array([len(CLASSES[k]) == 2 for k in labels])
    # the two shapes of a pair in random order (a pair is unordered)
    swap = two & (rng.random(n) < 0.5)
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    mask_a = shape_masks(first, rng)
    mask_b = np.zeros_like(mask_a)
    pending = np.flatnonzero(two)
    for _ in range(50):  # resample second shapes that cover too much of the first
        if pending.size == 0:
            break
        mask_b[pending] = shape_masks(second[pending], rng)
        area = np.maximum(mask_a[pending].sum(axis=(1, 2)), 1)
        covered = (mask_a[pending] & mask_b[pending]).sum(axis=(1, 2)) / area
        empty = mask_b[pending].sum(axis=(1, 2)) == 0
        pending = pending[(covered > MAX_OVERLAP) | empty]
    mask_b[pending] = False  # the rare pair still too close after 50 draws keeps one shape
    return labels, mask_a, mask_b
