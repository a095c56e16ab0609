"""The sweep on the local process pool, with a fast fake trainer: skip, extend, resume after
SIGKILL, record failures and divergence while the sweep goes on."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from fake_trainers import FakeTrainer, fake_metric

from actlab.bench.spec import Spec, spec_from_options
from actlab.bench.store import Store
from actlab.bench.sweep import SweepProgress, SweepSummary, run_sweep
from actlab.errors import UserError

HERE = Path(__file__).parent


FAST = FakeTrainer()


def sweep(activations: str, db: Path, seeds: int = 2, trainer: FakeTrainer = FAST,
          **options: Any) -> tuple[Spec, SweepSummary]:
    """The fake-trained sweep of ``activations`` × digits × seeds on two local workers."""
    spec = spec_from_options(activations, "digits", seeds=seeds)
    return spec, run_sweep(spec, db, workers=2, quiet=True, trainer=trainer, **options)


def test_every_run_is_stored_once_and_a_rerun_trains_nothing(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    spec, summary = sweep("relu,gelu,tanh", db, seeds=3)
    assert (summary.trained, summary.skipped, summary.failed, summary.diverged) == (9, 0, 0, 0)
    with Store(db) as store:
        records = store.records()
    assert sorted(r.key for r in records) == sorted(r.key() for r in spec.runs())
    assert {r.key: r.test_metric for r in records} == {r.key(): fake_metric(r)
                                                       for r in spec.runs()}
    _, again = sweep("relu,gelu,tanh", db, seeds=3)
    assert (again.trained, again.skipped) == (0, 9)


def test_an_extended_grid_trains_only_what_is_new(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    sweep("relu,gelu", db, seeds=2)
    with Store(db) as store:
        before = {r.key: r for r in store.records()}
    spec, summary = sweep("relu,gelu,tanh", db, seeds=3)  # one more activation, one more seed
    assert (summary.trained, summary.skipped) == (9 - 4, 4)
    with Store(db) as store:
        after = {r.key: r for r in store.records()}
    assert set(after) == {r.key() for r in spec.runs()}
    assert all(after[key] == old for key, old in before.items())  # reused, not retrained


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    failing = FakeTrainer(fail="tanh", fail_seed=1)
    _, summary = sweep("relu,tanh,gelu", db, seeds=3, trainer=failing)
    assert (summary.trained, summary.failed) == (8, 1)
    with Store(db) as store:
        failed = store.records(status="failed")
        tanh = {r.seed: r.status for r in store.records() if r.activation == "tanh"}
    assert [(r.activation, r.seed) for r in failed] == [("tanh", 1)]
    assert failed[0].error is not None
    assert "Traceback" in failed[0].error
    assert failed[0].error.strip().endswith("FloatingPointError: fake failure of tanh seed 1")
    assert tanh == {0: "finished", 1: "failed", 2: "finished"}  # its siblings still trained

    # failed runs wait for --retry-failed
    _, rerun = sweep("relu,tanh,gelu", db, seeds=3, trainer=failing)
    assert (rerun.trained, rerun.skipped) == (0, 9)
    _, retried = sweep("relu,tanh,gelu", db, seeds=3, retry_failed=True)
    assert (retried.trained, retried.skipped, retried.failed) == (1, 8, 0)
    with Store(db) as store:
        assert store.status_counts() == {"finished": 9, "diverged": 0, "failed": 0}


def test_a_diverged_run_is_an_outcome_not_retried(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    _, summary = sweep("relu,gelu", db, seeds=2, trainer=FakeTrainer(diverge="gelu"))
    assert (summary.trained, summary.diverged) == (2, 2)
    _, retried = sweep("relu,gelu", db, seeds=2, retry_failed=True)
    assert (retried.trained, retried.skipped) == (0, 4)


def test_progress_reports_each_group_with_the_leaders(tmp_path: Path) -> None:
    seen: list[SweepProgress] = []
    spec, _ = sweep("relu,gelu,tanh", tmp_path / "b.db", seeds=2, progress=seen.append)
    assert [p.done for p in seen] == [2, 4, 6]
    assert all(p.total == 6 for p in seen)
    means = {a: statistics.mean(fake_metric(r) for r in spec.runs() if r.activation == a)
             for a in spec.activations}
    best = max(means, key=lambda a: means[a])
    assert seen[-1].leaders.startswith(f"digits mlp(depth=2,width=100): {best} ")


# --- SIGKILL in the middle of a sweep ------------------------------------------------
SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
from fake_trainers import FakeTrainer
from actlab.bench.spec import spec_from_options
from actlab.bench.sweep import run_sweep

if __name__ == "__main__":
    spec = spec_from_options({activations!r}, "digits", seeds=4)
    trainer = FakeTrainer(seconds=float(sys.argv[2]))
    summary = run_sweep(spec, sys.argv[1], workers=2, quiet=True, trainer=trainer)
    print(json.dumps([summary.trained, summary.skipped]))
"""
ACTIVATIONS = "relu,gelu,silu,mish,elu,selu,tanh,sigmoid"  # 8 groups of 4 seeds


def stored(db: Path) -> list[tuple[str, str, int]]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db, timeout=10) as raw:
            return raw.execute("SELECT key, activation, seed FROM runs").fetchall()
    except sqlite3.OperationalError:  # the schema is not there yet
        return []


def descendants(pid: int) -> list[int]:
    found = []
    for child in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                text=True).stdout.split():
        found += [int(child), *descendants(int(child))]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_sweep_killed_with_sigkill_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    script = tmp_path / "sweep_script.py"
    script.write_text(SCRIPT.format(tests=str(HERE), activations=ACTIVATIONS))
    db = tmp_path / "b.db"
    # 0.25 s per run: 1 s per group of 4 seeds
    sweep_process = subprocess.Popen([sys.executable, str(script), str(db), "0.25"],
                                     stdout=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(stored(db)) < 8 and time.monotonic() < deadline:  # two groups committed
        time.sleep(0.05)
    children = descendants(sweep_process.pid)  # the fork server and the pool's workers
    sweep_process.send_signal(signal.SIGKILL)
    sweep_process.wait()
    assert sweep_process.returncode == -signal.SIGKILL
    before = stored(db)
    assert 8 <= len(before) < 32, "the kill came too late to test anything"
    # a group is one transaction: all of its seeds are there, or none
    per_activation: dict[str, int] = {}
    for _, activation, _ in before:
        per_activation[activation] = per_activation.get(activation, 0) + 1
    assert set(per_activation.values()) == {4}
    # the pool's workers notice that the sweep died and stop, instead of training for nobody
    assert len(children) >= 3  # fork server + 2 workers
    deadline = time.monotonic() + 30
    while any(alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert children and not any(alive(c) for c in children)

    resumed = subprocess.run([sys.executable, str(script), str(db), "0"], capture_output=True,
                             text=True, check=True)
    trained, skipped = json.loads(resumed.stdout)
    assert (trained, skipped) == (32 - len(before), len(before))
    after = stored(db)
    assert len(after) == len({key for key, _, _ in after}) == 32  # every run once
    assert set(before) <= set(after)


def test_the_inline_executor_trains_in_this_process_and_stores_the_same(
        tmp_path: Path) -> None:
    spec, _ = sweep("relu,gelu", tmp_path / "pool.db", seeds=2)
    failing = FakeTrainer(fail="gelu", fail_seed=1)
    summary = run_sweep(spec, tmp_path / "inline.db", executor="inline", quiet=True,
                        trainer=failing)
    assert (summary.trained, summary.failed) == (3, 1)  # an exception is a failed record
    with Store(tmp_path / "pool.db") as pool, Store(tmp_path / "inline.db") as inline:
        pooled = {r.key: r for r in pool.records()}
        here = {r.key: r for r in inline.records()}
    assert set(here) == set(pooled)
    for key, record in here.items():
        if record.status == "failed":
            assert "fake failure of gelu seed 1" in (record.error or "")
            continue
        assert record.test_metric == pooled[key].test_metric
        assert record.environment["pid"] == str(os.getpid())  # no worker process
        assert pooled[key].environment["pid"] != str(os.getpid())
    with pytest.raises(UserError, match="the inline executor trains in this process"):
        run_sweep(spec, tmp_path / "inline.db", executor="inline", workers=2, quiet=True)
