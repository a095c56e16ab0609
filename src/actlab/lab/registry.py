"""The experiments the lab knows, by name (``actlab lab list``)."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from actlab.lab.result import Result

# Progress callback: fraction done in [0, 1] and a short description of the step.
ProgressFn = Callable[[float, str], None]


class FigureBuilder(Protocol):
    def __call__(self, result: Result) -> dict[str, Any]:  # name -> matplotlib Figure
        ...


@dataclass(frozen=True)
class Experiment:
    name: str
    title: str
    summary: str  # one or two sentences for `lab list` and the report
    module: str  # module holding Config and run()
    figures_module: str  # module in actlab.plot holding figures(result) -> {name: Figure}
    order: int = 100  # position in the report

    def load(self) -> Any:
        return importlib.import_module(self.module)

    def config(self, quick: bool = False, **overrides: Any) -> Any:
        mod = self.load()
        cfg = mod.Config.quick() if quick else mod.Config()
        return dataclasses.replace(cfg, **overrides) if overrides else cfg

    def run(self, config: Any, progress: ProgressFn | None = None) -> Result:
        """Run the experiment single-threaded (see :func:`single_threaded`)."""
        with single_threaded():
            return self.load().run(config, progress=progress)

    def figures(self, result: Result) -> dict[str, Any]:
        return importlib.import_module(self.figures_module).figures(result)


@contextmanager
def single_threaded() -> Iterator[None]:
    """One BLAS and one torch thread while an experiment runs.

    The lab's models are small: a thread pool's hand-offs cost more than they
    save, and on a busy 2-core machine oversubscribed OpenMP threads made the
    same run several times slower (vanishing_gradients: 210 s of CPU with the
    default pools against about 30 s with one thread).
    """
    import torch
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with threadpool_limits(1):
            yield
    finally:
        torch.set_num_threads(previous)


EXPERIMENTS: dict[str, Experiment] = {}


def register_experiment(exp: Experiment) -> Experiment:
    if exp.name in EXPERIMENTS:
        raise ValueError(f"experiment {exp.name!r} registered twice")
    EXPERIMENTS[exp.name] = exp
    return exp


def experiments() -> list[Experiment]:
    """All experiments in report order."""
    from actlab.lab import catalogue_of_experiments  # noqa: F401  (registers them)

    return sorted(EXPERIMENTS.values(), key=lambda e: (e.order, e.name))


def experiment(name: str) -> Experiment:
    from actlab.lab import catalogue_of_experiments  # noqa: F401

    if name not in EXPERIMENTS:
        import difflib

        close = difflib.get_close_matches(name, EXPERIMENTS, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown experiment {name!r}{hint} (see `actlab lab list`)")
    return EXPERIMENTS[name]
