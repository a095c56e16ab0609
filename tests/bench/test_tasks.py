"""The bench's tasks: splits disjoint and deterministic, options validated, file tasks read."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from actlab.bench.config import TaskConfig
from actlab.bench.tasks import IDX_FILES, check_task, load_task
from actlab.errors import UserError
from cifar_files import write_fake_cifar10


def _rows(x: np.ndarray) -> set[bytes]:
    return {row.tobytes() for row in x.reshape(len(x), -1)}


@pytest.mark.parametrize("name", ["digits", "mnist1d", "moons", "spiral", "sin"])
def test_splits_are_disjoint_and_sized(name: str) -> None:
    options = (("n", 600),) if name in ("mnist1d", "moons", "spiral", "sin") else ()
    data = load_task(TaskConfig(name, options=options), 0.25)
    train, val, test = _rows(data.x_train), _rows(data.x_val), _rows(data.x_test)
    assert len(train) == len(data.x_train)  # no duplicate rows to hide an overlap
    assert not train & val and not train & test and not val & test
    n_before_carve = len(data.x_train) + len(data.x_val)
    assert len(data.x_val) == round(0.25 * n_before_carve)
    assert len(data.y_train) == len(data.x_train) and len(data.y_val) == len(data.x_val)


def test_splits_are_deterministic_and_the_carve_does_not_touch_the_test_split() -> None:
    task = TaskConfig("moons", options=(("n", 300),))
    a = load_task(task, 0.2)
    load_task.cache_clear()
    b = load_task(task, 0.2)
    assert a is not b
    for name in ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    # another validation fraction re-carves the training data, never the test split
    c = load_task(task, 0.4)
    np.testing.assert_array_equal(a.x_test, c.x_test)
    assert _rows(a.x_train) | _rows(a.x_val) == _rows(c.x_train) | _rows(c.x_val)
    assert len(c.x_val) > len(a.x_val)


def test_arrays_are_read_only_so_the_cache_cannot_be_corrupted() -> None:
    data = load_task(TaskConfig("digits"), 0.1)
    with pytest.raises(ValueError):
        data.x_train[0, 0, 0, 0] = 5.0


def test_shapes_metrics_and_outputs() -> None:
    digits = load_task(TaskConfig("digits"), 0.1)
    assert digits.input_shape == (1, 8, 8) and digits.n_outputs == 10
    assert digits.metric == "test_accuracy" and digits.higher_is_better
    mnist1d = load_task(TaskConfig("mnist1d", options=(("n", 500),)), 0.1)
    assert mnist1d.input_shape == (40,) and mnist1d.n_outputs == 10
    curve = load_task(TaskConfig("square", options=(("n", 100),)), 0.1)
    assert curve.regression and curve.metric == "test_loss" and not curve.higher_is_better
    assert curve.input_shape == (1,) and curve.n_outputs == 1 and curve.y_train.shape[1] == 1
    # standardised with the statistics of the training data (train + validation parts)
    targets = np.concatenate([curve.y_train, curve.y_val])
    assert abs(float(targets.mean())) < 1e-5
    assert abs(float(targets.std()) - 1) < 1e-5
    assert curve.x_train.dtype == np.float32 and digits.y_train.dtype == np.int64


def test_labels_name_options_and_paths() -> None:
    assert load_task(TaskConfig("moons", options=(("noise", 0.2),)), 0.1).label == \
        "moons(noise=0.2)"
    assert load_task(TaskConfig("digits"), 0.1).label == "digits"


@pytest.mark.parametrize(("task", "message"), [
    (TaskConfig("mnist2d"), "unknown task 'mnist2d'"),
    (TaskConfig("moons", options=(("noize", 0.1),)), "unknown option 'noize'"),
    (TaskConfig("moons", options=(("noise", "a lot"),)), "option noise must be float"),
    (TaskConfig("moons", options=(("n", 0),)), "n must be a positive integer"),
    (TaskConfig("moons", options=(("noise", 3.0),)), "noise must be in [0, 1]"),
    (TaskConfig("csv"), "task csv needs a path"),
    (TaskConfig("digits", path="x.csv"), "takes no path"),
    (TaskConfig("csv", path="/nonexistent/data.csv"), "file not found"),
    (TaskConfig("idx", path="/nonexistent"), "IDX directory not found"),
    (TaskConfig("cifar10", path="/nonexistent"), "CIFAR-10 directory not found"),
])
def test_user_mistakes_are_one_line_user_errors(task: TaskConfig, message: str) -> None:
    with pytest.raises(UserError) as caught:
        check_task(task)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_validation_fraction_out_of_range() -> None:
    with pytest.raises(UserError, match="validation_fraction"):
        load_task(TaskConfig("digits"), 1.0)


# --- file tasks, from small files written here ------------------------------------------


def _write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n")
    return path


def test_csv_classification_maps_any_labels_to_classes(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    rows = ["a,b,label"] + [f"{x:.4f},{y:.4f},{7 if x > y else 3}"
                            for x, y in rng.normal(size=(50, 2))]
    file = _write_csv(tmp_path / "points.csv", rows)
    data = load_task(TaskConfig("csv", path=str(file)), 0.2)
    assert not data.regression and data.n_outputs == 2
    assert set(np.unique(np.concatenate([data.y_train, data.y_val, data.y_test]))) == {0, 1}
    assert len(data.x_train) + len(data.x_val) + len(data.x_test) == 50
    assert data.input_shape == (2,)
    assert data.label == f"csv:{file}"


def test_csv_regression_and_target_column(tmp_path: Path) -> None:
    rows = [f"{i},{0.5 * i},{i % 3}" for i in range(40)]
    file = _write_csv(tmp_path / "r.csv", rows)
    task = TaskConfig("csv", path=str(file), options=(("kind", "regression"),
                                                      ("target_column", 0)))
    data = load_task(task, 0.1)
    assert data.regression and data.n_outputs == 1 and data.input_shape == (2,)
    assert data.metric == "test_loss"


def test_csv_errors_are_the_loaders_one_liners(tmp_path: Path) -> None:
    file = _write_csv(tmp_path / "bad.csv", ["1,2,0", "1,x,1"])
    with pytest.raises(UserError, match="data row 2 is not all numbers"):
        check_task(TaskConfig("csv", path=str(file)))
    fractional = _write_csv(tmp_path / "frac.csv", ["1,2,0.5", "1,3,1", "2,2,0", "0,1,1"])
    with pytest.raises(UserError, match="kind=regression"):
        check_task(TaskConfig("csv", path=str(fractional)))
    with pytest.raises(UserError, match="kind must be classification or regression"):
        check_task(TaskConfig("csv", path=str(fractional), options=(("kind", "clustering"),)))


def _idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes: magic 0 0 8 ndim, big-endian dimensions, data."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def _write_idx_directory(directory: Path, n_train: int = 30, n_test: int = 10,
                         gzipped: bool = False) -> None:
    rng = np.random.default_rng(1)
    arrays = {
        "train_images": rng.integers(0, 256, (n_train, 6, 5)),
        "train_labels": rng.integers(0, 10, n_train),
        "test_images": rng.integers(0, 256, (n_test, 6, 5)),
        "test_labels": rng.integers(0, 10, n_test),
    }
    directory.mkdir(exist_ok=True)
    for role, array in arrays.items():
        raw = _idx_bytes(array)
        if gzipped:
            (directory / (IDX_FILES[role] + ".gz")).write_bytes(gzip.compress(raw))
        else:
            (directory / IDX_FILES[role]).write_bytes(raw)


@pytest.mark.parametrize("gzipped", [False, True])
def test_idx_directory(tmp_path: Path, gzipped: bool) -> None:
    _write_idx_directory(tmp_path / "mnist", gzipped=gzipped)
    data = load_task(TaskConfig("idx", path=str(tmp_path / "mnist")), 0.1)
    assert data.input_shape == (1, 6, 5)
    assert len(data.x_train) == 27 and len(data.x_val) == 3 and len(data.x_test) == 10
    assert 0 <= data.x_train.min() and data.x_train.max() <= 1


def test_idx_missing_and_malformed_files(tmp_path: Path) -> None:
    directory = tmp_path / "mnist"
    _write_idx_directory(directory)
    (directory / IDX_FILES["test_labels"]).unlink()
    with pytest.raises(UserError, match="missing the IDX file t10k-labels-idx1-ubyte"):
        check_task(TaskConfig("idx", path=str(directory)))
    (directory / IDX_FILES["test_labels"]).write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x09ab")
    with pytest.raises(UserError, match="IDX header promises"):
        check_task(TaskConfig("idx", path=str(directory)))


def test_cifar10_pickles(tmp_path: Path) -> None:
    write_fake_cifar10(tmp_path, seed=2)
    data = load_task(TaskConfig("cifar10", path=str(tmp_path)), 0.1)
    assert data.input_shape == (3, 32, 32)
    assert len(data.x_train) + len(data.x_val) == 20 and len(data.x_test) == 4
    (tmp_path / "cifar-10-batches-py" / "data_batch_3").unlink()
    load_task.cache_clear()
    with pytest.raises(UserError, match="missing CIFAR-10 batch files: data_batch_3"):
        check_task(TaskConfig("cifar10", path=str(tmp_path)))
