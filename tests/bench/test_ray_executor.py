"""The Ray executor end to end, on a real local Ray instance with 2 CPUs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import fake_trainers
import pytest
import ray
from ray import cloudpickle

from actlab.bench.spec import spec_from_options
from actlab.bench.store import Store
from actlab.bench.sweep import run_sweep
from actlab.cli import main


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    # Ray's workers cannot import this test directory: ship the fake trainers by value
    cloudpickle.register_pickle_by_value(fake_trainers)
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()
    cloudpickle.unregister_pickle_by_value(fake_trainers)


def test_a_sweep_runs_on_ray_tasks_and_records_failures(local_ray: None, tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    spec = spec_from_options("relu,gelu,tanh,elu", "digits", seeds=3)
    summary = run_sweep(spec, db, executor="ray", quiet=True,
                        trainer=fake_trainers.FakeTrainer(fail="tanh"))
    assert (summary.trained, summary.failed, summary.skipped) == (9, 3, 0)
    with Store(db) as store:
        records = store.records()
    assert sorted(r.key for r in records) == sorted(r.key() for r in spec.runs())
    # the records came back from Ray's worker processes; this process wrote them
    workers = {r.environment["pid"] for r in records if r.status == "finished"}
    assert str(os.getpid()) not in workers
    failed = [r for r in records if r.status == "failed"]
    assert {r.activation for r in failed} == {"tanh"}
    assert all(r.error and "FloatingPointError: fake failure of tanh" in r.error for r in failed)
    again = run_sweep(spec, db, executor="ray", quiet=True,
                      trainer=fake_trainers.fake_train_group)
    assert (again.trained, again.skipped) == (0, 12)
    retried = run_sweep(spec, db, executor="ray", quiet=True, retry_failed=True,
                        trainer=fake_trainers.fake_train_group)
    assert (retried.trained, retried.skipped) == (3, 9)


def test_the_cli_trains_for_real_through_ray(local_ray: None, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "b.db"
    code = main(["bench", "run", "--activations", "relu,tanh", "--task", "digits",
                 "--seeds", "2", "--budget", "30", "--executor", "ray", "--db", str(db),
                 "--quiet"])
    assert code == 0, capsys.readouterr().err
    with Store(db) as store:
        records = store.records()
    assert [(r.activation, r.seed, r.status) for r in records] == [
        ("relu", 0, "finished"), ("relu", 1, "finished"),
        ("tanh", 0, "finished"), ("tanh", 1, "finished")]
    assert all(r.test_metric is not None and 0.0 <= r.test_metric <= 1.0 for r in records)
