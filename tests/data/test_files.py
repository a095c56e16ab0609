"""User-file loaders on small files written in tmp_path; bad files give a UserError."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from actlab.data.files import load_cifar10, load_csv, load_mnist_idx
from actlab.data.images import sample_photo
from actlab.errors import UserError
from cifar_files import write_fake_cifar10


def _one_line(exc: pytest.ExceptionInfo[UserError]) -> None:
    assert "\n" not in str(exc.value) and str(exc.value)


def test_csv_with_header_and_target_column(tmp_path: Path) -> None:
    file = tmp_path / "d.csv"
    file.write_text("a,b,label\n1,2,0\n3,4.5,1\n")
    X, y = load_csv(file)
    np.testing.assert_array_equal(X, [[1, 2], [3, 4.5]])
    np.testing.assert_array_equal(y, [0, 1])
    X, y = load_csv(file, target_column=0)
    np.testing.assert_array_equal(y, [1, 3])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("a,b\n", "no data"),
        ("1,2\n3,x\n", "row 2"),
        ("1,2\n3,4,5\n", "different numbers"),
        ("1\n2\n", "at least 2 columns"),
    ],
)
def test_bad_csv(tmp_path: Path, content: str, message: str) -> None:
    file = tmp_path / "bad.csv"
    file.write_text(content)
    with pytest.raises(UserError, match=message) as exc:
        load_csv(file)
    _one_line(exc)


def test_missing_file() -> None:
    with pytest.raises(UserError, match="not found") as exc:
        load_csv("/nonexistent/file.csv")
    _one_line(exc)


def _idx(path: Path, array: np.ndarray, gz: bool = False) -> None:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(
        struct.pack(">I", n) for n in array.shape
    )
    data = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(data) if gz else data)


@pytest.mark.parametrize("gz", [False, True])
def test_mnist_idx(tmp_path: Path, gz: bool) -> None:
    images = np.arange(3 * 4 * 5).reshape(3, 4, 5) % 256
    labels = np.array([7, 0, 9])
    suffix = ".gz" if gz else ""
    _idx(tmp_path / f"img{suffix}", images, gz)
    _idx(tmp_path / f"lab{suffix}", labels, gz)
    x, y = load_mnist_idx(tmp_path / f"img{suffix}", tmp_path / f"lab{suffix}")
    np.testing.assert_allclose(x, images / 255.0)
    np.testing.assert_array_equal(y, labels)


def test_bad_idx_files(tmp_path: Path) -> None:
    (tmp_path / "junk").write_bytes(b"hello world")
    _idx(tmp_path / "lab", np.array([1, 2]))
    with pytest.raises(UserError, match="magic") as exc:
        load_mnist_idx(tmp_path / "junk", tmp_path / "lab")
    _one_line(exc)
    _idx(tmp_path / "img", np.zeros((3, 2, 2)))
    with pytest.raises(UserError, match="3 images but"):
        load_mnist_idx(tmp_path / "img", tmp_path / "lab")
    truncated = (tmp_path / "img").read_bytes()[:-2]
    (tmp_path / "short").write_bytes(truncated)
    with pytest.raises(UserError, match="promises"):
        load_mnist_idx(tmp_path / "short", tmp_path / "lab")


def test_cifar10(tmp_path: Path) -> None:
    first = write_fake_cifar10(tmp_path, rows=2, test_rows=3)["data_batch_1"]
    split = load_cifar10(tmp_path)  # the parent directory works too
    assert split.x_train.shape == (10, 3, 32, 32) and split.x_test.shape == (3, 3, 32, 32)
    assert split.x_train.dtype == np.float32
    np.testing.assert_allclose(split.x_train[:2].reshape(2, -1), first / 255.0, rtol=1e-6)


def test_bad_cifar10(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="missing CIFAR-10") as exc:
        load_cifar10(tmp_path)
    _one_line(exc)
    for name in [*(f"data_batch_{i}" for i in range(1, 6)), "test_batch"]:
        (tmp_path / name).write_bytes(b"not a pickle")
    with pytest.raises(UserError, match="not a CIFAR-10"):
        load_cifar10(tmp_path)


def test_sample_photo_and_user_images(tmp_path: Path) -> None:
    photo = sample_photo()
    assert photo.ndim == 2 and photo.dtype == np.float64
    assert photo.min() >= 0 and photo.max() <= 1 and photo.std() > 0.1
    import matplotlib.image as mpimg

    rgb = np.zeros((4, 6, 3))
    rgb[:, :3] = 1.0
    mpimg.imsave(tmp_path / "half.png", rgb)
    gray = sample_photo(tmp_path / "half.png")
    assert gray.shape == (4, 6)
    np.testing.assert_allclose(gray[:, :3], 1.0, atol=1e-6)
    np.testing.assert_allclose(gray[:, 3:], 0.0, atol=1e-6)
    (tmp_path / "bad.png").write_bytes(b"not an image")
    with pytest.raises(UserError, match="cannot read image") as exc:
        sample_photo(tmp_path / "bad.png")
    _one_line(exc)
    with pytest.raises(UserError, match="not found"):
        sample_photo(tmp_path / "missing.png")
