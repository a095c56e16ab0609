"""Loaders for data sets the user already has on disk: CSV, MNIST IDX and CIFAR-10.

Nothing here downloads.  A missing or malformed file raises :class:`UserError`
with a one-line message naming the file and the problem.
"""

from __future__ import annotations

import gzip
import io
import pickle
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from actlab.data.split import Split
from actlab.errors import UserError


def _existing_file(path: str | Path) -> Path:
    file = Path(path)
    if not file.exists():
        raise UserError(f"file not found: {file}")
    if not file.is_file():
        raise UserError(f"not a file: {file}")
    return file


def _open(file: Path) -> io.BufferedIOBase:
    """Binary stream of a file, gunzipped when its name ends in .gz."""
    if file.suffix == ".gz":
        return gzip.open(file, "rb")
    return open(file, "rb")


# --- CSV ------------------------------------------------------------------------------


def load_csv(
    path: str | Path, target_column: int = -1, delimiter: str = ","
) -> tuple[np.ndarray, np.ndarray]:
    """Numeric CSV -> (X float64 (n, d), y float64 (n,)); a non-numeric first row is a header.

    ``target_column`` indexes the column holding the target (negative counts from
    the end).  Class labels stay numbers: cast ``y`` to int for classification.
    """
    file = _existing_file(path)
    try:
        lines = [
            line for line in file.read_text(encoding="utf-8-sig").splitlines() if line.strip()
        ]
    except UnicodeDecodeError:
        raise UserError(f"{file}: not a text (UTF-8) CSV file") from None
    if not lines:
        raise UserError(f"{file}: the CSV file is empty")

    def parse(line: str) -> list[float]:
        return [float(cell) for cell in line.split(delimiter)]

    try:
        parse(lines[0])
    except ValueError:
        lines = lines[1:]  # a header row
    if not lines:
        raise UserError(f"{file}: the CSV file has a header but no data rows")
    rows = []
    for number, line in enumerate(lines, start=1):
        try:
            rows.append(parse(line))
        except ValueError:
            raise UserError(
                f"{file}: data row {number} is not all numbers: {line[:60]!r}"
            ) from None
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise UserError(f"{file}: rows have different numbers of columns ({sorted(widths)})")
    data = np.array(rows, dtype=np.float64)
    n_cols = data.shape[1]
    if n_cols < 2:
        raise UserError(f"{file}: need at least 2 columns (features and a target), got 1")
    if not -n_cols <= target_column < n_cols:
        raise UserError(f"{file}: target_column {target_column} is out of range ({n_cols} columns)")
    target = target_column % n_cols
    return np.delete(data, target, axis=1), data[:, target]


# --- MNIST IDX ------------------------------------------------------------------------

_IDX_TYPES: dict[int, DTypeLike] = {
    0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8",
}


def read_idx(path: str | Path) -> np.ndarray:
    """An IDX file (the format of MNIST / Fashion-MNIST; .gz accepted) as an array."""
    file = _existing_file(path)
    try:
        with _open(file) as stream:
            raw = stream.read()
    except (OSError, EOFError) as exc:
        raise UserError(f"{file}: cannot read ({exc})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise UserError(f"{file}: not an IDX file (bad magic number)")
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    ndim = raw[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(raw) < header:
        raise UserError(f"{file}: truncated IDX header")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(raw) - header != expected:
        raise UserError(
            f"{file}: IDX header promises shape {shape} ({expected} bytes) but the file "
            f"holds {len(raw) - header} bytes of data"
        )
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)


def load_mnist_idx(
    images_path: str | Path, labels_path: str | Path
) -> tuple[np.ndarray, np.ndarray]:
    """MNIST-style IDX pair -> (images float64 (n, rows, cols) in [0, 1], labels int64 (n,))."""
    images = read_idx(images_path)
    labels = read_idx(labels_path)
    if images.ndim != 3:
        raise UserError(f"{images_path}: expected images (n, rows, cols), got shape {images.shape}")
    if labels.ndim != 1:
        raise UserError(f"{labels_path}: expected labels (n,), got shape {labels.shape}")
    if len(images) != len(labels):
        raise UserError(
            f"{images_path} has {len(images)} images but {labels_path} has {len(labels)} labels"
        )
    scale = 255.0 if images.dtype == np.uint8 else 1.0
    return images.astype(np.float64) / scale, labels.astype(np.int64)


# --- CIFAR-10 -------------------------------------------------------------------------

_CIFAR_TRAIN = tuple(f"data_batch_{i}" for i in range(1, 6))
_CIFAR_TEST = "test_batch"


def _cifar_batch(file: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        with open(file, "rb") as stream:
            # the official "python version" is a pickle: unpickling runs code, so only
            # files the user trusts belong here (their own download of CIFAR-10)
            batch: Any = pickle.load(stream, encoding="bytes")
    except Exception as exc:  # unpickling errors come in many types
        raise UserError(f"{file}: not a CIFAR-10 python batch ({type(exc).__name__})") from None
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        raise UserError(f"{file}: not a CIFAR-10 python batch (no data/labels entries)")
    data = np.asarray(batch[b"data"])
    labels = np.asarray(batch[b"labels"], dtype=np.int64)
    if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or len(data) != len(labels):
        raise UserError(f"{file}: data of shape {data.shape} is not (n, 3072) with n labels")
    return data.reshape(-1, 3, 32, 32), labels


def cifar10_directory(directory: str | Path) -> Path:
    """The folder that holds CIFAR-10's python batches: ``directory`` itself or its
    ``cifar-10-batches-py``; a one-line :class:`UserError` when a batch file is missing
    (cheap, so a command can check the files before it starts long work)."""
    root = Path(directory)
    if (root / "cifar-10-batches-py").is_dir():
        root = root / "cifar-10-batches-py"
    if not root.is_dir():
        raise UserError(f"CIFAR-10 directory not found: {root}")
    missing = [name for name in (*_CIFAR_TRAIN, _CIFAR_TEST) if not (root / name).is_file()]
    if missing:
        raise UserError(f"{root}: missing CIFAR-10 batch files: {', '.join(missing)}")
    return root


def load_cifar10(directory: str | Path) -> Split:
    """CIFAR-10's python pickles (data_batch_1..5, test_batch) -> Split.

    ``directory`` is the ``cifar-10-batches-py`` folder or its parent.  x is
    float32 (n, 3, 32, 32) in [0, 1] (float32 because float64 would take 1.4 GB).
    """
    root = cifar10_directory(directory)
    train = [_cifar_batch(root / name) for name in _CIFAR_TRAIN]
    x_test, y_test = _cifar_batch(root / _CIFAR_TEST)
    x_train = np.concatenate([x for x, _ in train])
    y_train = np.concatenate([y for _, y in train])
    scale = np.float32(1.0 / 255.0)
    return Split(
        x_train.astype(np.float32) * scale, y_train, x_test.astype(np.float32) * scale, y_test
    )
