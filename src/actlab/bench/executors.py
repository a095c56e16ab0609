"""Where seed groups train: a local process pool, Ray Core tasks on a cluster, or inline.

``inline`` trains in the calling process, one group after another: no worker to
start, so it is the fastest for a sweep of a few seconds (the lab's MNIST-1D
activation comparison: starting a pool, whose workers import torch, took longer
than its training).  Each takes a list of groups and yield ``(group, records)`` as groups finish, in
whatever order they finish; the records travel back to the caller, which alone
writes the store (so Ray workers need no shared file system).  An executor
never raises for a group: a worker that dies or a task that cannot run yields
``failed`` records with the reason.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from typing import Any

from actlab.bench.config import RunConfig
from actlab.bench.records import RunRecord
from actlab.bench.worker import Trainer, failed_record, run_group
from actlab.errors import UserError

Group = Sequence[RunConfig]
Finished = Iterator[tuple[Group, list[RunRecord]]]
EXECUTORS = ("local", "ray", "inline")


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def check_executor(executor: str, workers: int | None, address: str | None) -> None:
    """A mistake in the executor's options, found before anything starts."""
    if executor not in EXECUTORS:
        raise UserError(f"unknown executor {executor!r} (executors: {', '.join(EXECUTORS)})")
    if workers is not None and workers < 1:
        raise UserError(f"--workers must be at least 1, got {workers}")
    if executor in ("local", "inline") and address is not None:
        raise UserError(f"--address is for --executor ray; the {executor} executor needs none")
    if executor == "inline" and workers not in (None, 1):
        raise UserError("the inline executor trains in this process: one worker, not "
                        f"{workers}")
    if executor == "ray":
        try:
            import ray  # noqa: F401
        except ImportError:
            raise UserError("--executor ray needs Ray: pip install 'actlab[ray]'") from None
        if address is not None:
            check_reachable(address)


def run_groups(groups: Sequence[Group], executor: str, workers: int | None,
               address: str | None, trainer: Trainer | None) -> Finished:
    """Train ``groups`` on the named executor (options checked by :func:`check_executor`)."""
    check_executor(executor, workers, address)
    if executor == "local":
        return run_local(groups, workers or default_workers(), trainer)
    if executor == "inline":
        return run_inline(groups, trainer)
    return run_ray(groups, workers, address, trainer)


def run_inline(groups: Sequence[Group], trainer: Trainer | None) -> Finished:
    """In this process, one group after another (a crash of the training ends the caller
    too; an exception becomes failed records, as in a worker)."""
    from actlab.bench.training import train_group  # restores the caller's thread counts

    for group in groups:
        yield group, run_group(group, trainer or train_group)


# --- local processes -----------------------------------------------------------------
# Imported once by the fork server, so that each worker starts as a cheap fork of a
# process that already holds them instead of importing torch on its own.
PRELOAD = ["torch", "actlab.bench.worker", "actlab.bench.training", "sklearn.datasets"]


def _pool_context() -> BaseContext:
    """forkserver where the platform has it (fast starts, no state copied from the sweep's
    process), spawn elsewhere; never plain fork, which copies the parent's threads."""
    if "forkserver" in get_all_start_methods():
        context = get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return get_context("spawn")  # pragma: no cover - not Linux


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process took the number
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:  # no /proc: trust kill
        return True


def _start_worker(sweep: int) -> None:
    """Pool initialiser: one thread per worker (the workers already fill the cores), and
    exit when the sweep's process dies (a killed sweep must not leave workers training
    for nobody)."""
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = "1"
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)  # BLAS pools the fork server loaded before the variables were set
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)

    def watch() -> None:
        while _alive(sweep):
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def run_local(groups: Sequence[Group], workers: int, trainer: Trainer | None) -> Finished:
    """A process pool of ``workers`` processes."""
    if not groups:
        return
    pool = ProcessPoolExecutor(max_workers=min(workers, len(groups)),
                               mp_context=_pool_context(),
                               initializer=_start_worker, initargs=(os.getpid(),))
    finished = False
    try:
        futures: dict[Future[list[RunRecord]], Group] = {
            pool.submit(run_group, group, trainer): group for group in groups}
        for future in as_completed(futures):
            group = futures[future]
            try:
                records = future.result()
            except Exception:  # the worker process died (killed, out of memory, ...)
                error = traceback.format_exc()
                records = [failed_record(run, error) for run in group]
            yield group, records
        finished = True
    finally:
        if not finished:  # interrupted (Ctrl-C, an error): stop training for nobody
            _terminate(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's workers now, not after their current group."""
    terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:  # pragma: no cover - newer Pythons
        terminate()
        return
    pids = list(getattr(pool, "_processes", None) or {})  # before shutdown forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):  # it has already exited
            os.kill(pid, signal.SIGTERM)


# --- Ray ---------------------------------------------------------------------------
def check_reachable(address: str) -> None:
    """``HOST:PORT`` must answer within seconds (Ray itself retries for minutes); ``auto``
    finds the cluster this machine belongs to."""
    if address == "auto":
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        raise UserError(f"--address must be auto or HOST:PORT, got {address!r}")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except OSError as err:
        reason = err.strerror or str(err) or type(err).__name__
        raise UserError(f"cannot reach a Ray cluster at {address}: {reason}") from None


def run_ray(groups: Sequence[Group], workers: int | None, address: str | None,
            trainer: Trainer | None) -> Finished:
    """Ray Core tasks, one per group, each asking for one CPU.

    ``address`` is ``auto`` or ``HOST:PORT`` of a running cluster; without it a local
    Ray instance starts for the sweep (``workers`` CPUs, default all) and stops after.
    """
    import ray

    if not groups:
        return
    started = False
    if not ray.is_initialized():
        try:
            if address is None:
                # "local": a private instance, even if this machine belongs to a cluster
                ray.init(address="local", num_cpus=workers or default_workers(),
                         include_dashboard=False, log_to_driver=False)
            else:
                ray.init(address=address, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as err:
            where = address or "a local instance"
            raise UserError(f"cannot start Ray on {where}: {str(err).splitlines()[0]}") from None
        started = True
    remote: Any = ray.remote(num_cpus=1, max_retries=0)(run_group)
    try:
        pending: dict[Any, Group] = {remote.remote(list(g), trainer): g for g in groups}
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                group = pending.pop(ref)
                try:
                    records = ray.get(ref)
                except Exception:  # the task could not run: worker lost, node died, ...
                    error = traceback.format_exc()
                    records = [failed_record(run, error) for run in group]
                yield group, records
    finally:
        for ref in list(pending):
            ray.cancel(ref, force=True)
        if started:
            ray.shutdown()
