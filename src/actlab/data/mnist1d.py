"""MNIST-1D (Greydanus 2020, "Scaling down deep learning"), generated procedurally.

Our own vectorised implementation of the published recipe and defaults
(github.com/greydanus/mnist1d, ``get_dataset_args``): ten hand-made templates
of length 12, one per digit, are each turned into 1-D signals by

1. padding with 36-60 zeros and stretching back to 72 points (a random dilation),
2. scaling by 1 + 0.4·(u - 1/2),
3. translating (a circular shift of 0-47 points),
4. filling the empty (zero) background with correlated noise (Gaussian noise of
   scale 0.25 smoothed by a Gaussian filter of σ = 2) and adding i.i.d. noise
   of scale 0.02 everywhere,
5. shearing (subtracting a random ramp of slope 0.75·(u - 1/2)),
6. linearly interpolating down to 40 points.

The whole set is then centred and scaled to unit standard deviation, shuffled,
and split 80/20 (4000 train / 1000 test with the default 5000 samples).  The
random draws differ from the original's (it uses NumPy's global state one
sample at a time), so the arrays are not the original's bit for bit; the
distribution is the same.
"""

from __future__ import annotations

import numpy as np

from actlab.data.split import Split
from actlab.errors import UserError

# The published 1-D templates of the ten digits (12 points each).
_TEMPLATES = np.array(
    [
        [5, 6, 6.5, 6.75, 7, 7, 7, 7, 6.75, 6.5, 6, 5],
        [5, 3, 3, 3.4, 3.8, 4.2, 4.6, 5, 5.4, 5.8, 5, 5],
        [5, 6, 6.5, 6.5, 6, 5.25, 4.75, 4, 3.5, 3.5, 4, 5],
        [5, 6, 6.5, 6.5, 6, 5, 5, 6, 6.5, 6.5, 6, 5],
        [5, 4.4, 3.8, 3.2, 2.6, 2.6, 5, 5, 5, 5, 5, 5],
        [5, 3, 3, 3, 3, 5, 6, 6.5, 6.5, 6, 4.5, 5],
        [5, 4, 3.5, 3.25, 3, 3, 3, 3, 3.25, 3.5, 4, 5],
        [5, 7, 7, 6.6, 6.2, 5.8, 5.4, 5, 4.6, 4.2, 5, 5],
        [5, 4, 3.5, 3.5, 4, 5, 5, 4, 3.5, 3.5, 4, 5],
        [5, 4, 3.5, 3.5, 4, 5, 5, 5, 5, 4.7, 4.3, 5],
    ]
)


def templates() -> np.ndarray:
    """The ten templates, standardised, shifted to start at 0 and divided by 6 (10, 12)."""
    x = _TEMPLATES - _TEMPLATES.mean(axis=1, keepdims=True)
    x /= x.std(axis=1, keepdims=True)
    x -= x[:, :1]  # every signal starts (and ends) at 0
    return x / 6.0


def _resample(x: np.ndarray, lengths: np.ndarray, n_out: int) -> np.ndarray:
    """Row i's first lengths[i] points, linearly stretched to n_out points (rows at once)."""
    target = np.linspace(0.0, 1.0, n_out)
    pos = target[None, :] * (lengths[:, None] - 1)
    left = np.minimum(np.floor(pos).astype(np.int64), lengths[:, None] - 2)
    frac = pos - left
    rows = np.arange(x.shape[0])[:, None]
    return x[rows, left] * (1.0 - frac) + x[rows, left + 1] * frac


def make_mnist1d(
    n: int = 5000,
    seed: int = 42,
    train_split: float = 0.8,
    template_len: int = 12,
    padding: tuple[int, int] = (36, 60),
    scale_coeff: float = 0.4,
    max_translation: int = 48,
    corr_noise_scale: float = 0.25,
    iid_noise_scale: float = 2e-2,
    shear_scale: float = 0.75,
    final_seq_length: int = 40,
    shuffle_seq: bool = False,
) -> Split:
    """The MNIST-1D data set: x float64 (n, 40), y int 0-9, 10% of samples per class."""
    from scipy.ndimage import gaussian_filter1d

    if n < 10:
        raise UserError(f"MNIST-1D needs at least 10 samples, got {n}")
    if not 0 < train_split < 1:
        raise UserError(f"train_split must be in (0, 1), got {train_split}")
    if template_len != 12:
        raise UserError("MNIST-1D templates have 12 points; template_len must be 12")
    low, high = padding
    if not 0 <= low <= high:
        raise UserError(f"padding must be (low, high) with 0 <= low <= high, got {padding}")
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 10
    width = template_len + high  # working length, as in the original

    # 1. pad with p zeros, then stretch the padded signal to `width` points
    p = low + (rng.random(n) * (high - low + 1)).astype(np.int64)
    signal = np.zeros((n, width))
    signal[:, :template_len] = templates()[labels] + 1e-8  # eps: the signal is never exactly 0
    x = _resample(signal, template_len + p, width)
    # 2. scale
    x *= 1.0 + scale_coeff * (rng.random(n) - 0.5)[:, None]
    # 3. translate: circular shift right by k in [0, max_translation)
    k = rng.integers(0, max_translation, n)
    x = x[np.arange(n)[:, None], (np.arange(width)[None, :] - k[:, None]) % width]
    # 4. correlated noise on the empty background, i.i.d. noise everywhere
    corr = gaussian_filter1d(corr_noise_scale * rng.standard_normal((n, width)), 2.0, axis=1)
    x = np.where(x != 0, x, corr)
    x += iid_noise_scale * rng.standard_normal((n, width))
    # 5. shear
    x -= (shear_scale * (rng.random(n) - 0.5))[:, None] * np.linspace(-0.5, 0.5, width)
    # 6. subsample to the final length
    x = _resample(x, np.full(n, width), final_seq_length)

    order = rng.permutation(n)
    x, labels = x[order], labels[order]
    if shuffle_seq:
        x = x[:, rng.permutation(final_seq_length)]
    x = (x - x.mean()) / x.std()
    cut = int(n * train_split)
    return Split(x[:cut], labels[:cut].astype(np.int64), x[cut:], labels[cut:].astype(np.int64))
