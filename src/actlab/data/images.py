"""A grayscale photo for the image panels: matplotlib's bundled sample or a user's file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from actlab.errors import UserError

SAMPLE_PHOTO = "grace_hopper.jpg"  # ships with matplotlib (mpl-data/sample_data)


def to_grayscale(image: np.ndarray) -> np.ndarray:
    """(h, w), (h, w, 3) or (h, w, 4) image, integer or float -> float64 (h, w) in [0, 1]."""
    arr = np.asarray(image)
    if arr.dtype.kind in "ui":
        arr = arr.astype(np.float64) / np.iinfo(arr.dtype).max
    else:
        arr = arr.astype(np.float64)
    if arr.ndim == 3:
        if arr.shape[2] not in (1, 3, 4):
            raise UserError(f"an image must have 1, 3 or 4 channels, got {arr.shape[2]}")
        if arr.shape[2] == 1:
            arr = arr[:, :, 0]
        else:
            # ITU-R BT.601 luma, the weights PIL's "L" conversion uses; alpha is dropped
            arr = arr[:, :, :3] @ np.array([0.299, 0.587, 0.114])
    elif arr.ndim != 2:
        raise UserError(f"an image must be 2-D or 3-D, got shape {arr.shape}")
    return np.clip(arr, 0.0, 1.0)


def sample_photo(path: str | Path | None = None) -> np.ndarray:
    """Grayscale float64 image in [0, 1], 2-D: the bundled photo, or the image at ``path``."""
    import matplotlib.image as mpimg

    if path is None:
        from matplotlib import cbook

        path = cbook.get_sample_data(SAMPLE_PHOTO, asfileobj=False)
    file = Path(path)
    if not file.is_file():
        raise UserError(f"image file not found: {file}")
    try:
        image = mpimg.imread(file)
    except Exception as exc:  # PIL and matplotlib raise many types for a bad file
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UserError(f"cannot read image {file}: {reason}") from None
    gray = to_grayscale(image)
    if gray.size == 0:
        raise UserError(f"image {file} is empty")
    return gray
