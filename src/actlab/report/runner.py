"""Runs the report's experiments one after another, reusing cached results and
keeping going when one fails (its error is shown on its page instead)."""

from __future__ import annotations

import functools
import hashlib
import importlib
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actlab.lab.outputs import figure_filename, run_directory, save_run
from actlab.lab.overrides import ConfigOverrides
from actlab.lab.registry import Experiment, experiments
from actlab.lab.result import Result
from actlab.report.cache import RunRecord, cache_key, load_cached, plain_config, source_digest

# Called with (index of the experiment, fraction of it done, description).
StepFn = Callable[[int, float, str], None]

FIGURE_DPI = 110
RUN_SHARE = 0.9  # of an experiment's progress step; its figures take the rest


@dataclass
class ExperimentRun:
    """One experiment as the report shows it: the record and, unless it failed, the result."""

    experiment: Experiment
    record: RunRecord
    result: Result | None

    @property
    def ok(self) -> bool:
        return self.record.status == "ok" and not self.record.figure_errors


def make_config(experiment: Experiment, quick: bool, overrides: ConfigOverrides) -> Any:
    """The experiment's config, with each override it has a field for (seed, data_dir)."""
    return overrides.apply(experiment.config(quick=quick))


# Packages whose code decides a result beside the experiment's own module: the verdict rule
# and the claim records, the bench (its statistics judge claims), the models, the data and
# the catalogue.  A change anywhere in them must not reuse results made by the old code.
SHARED_PACKAGES = ("actlab.lab", "actlab.bench", "actlab.models", "actlab.data",
                   "actlab.catalogue")


def code_digest(experiment: Experiment) -> str:
    """The digest of the code that made an experiment's result: its module and the shared
    packages (a change to one experiment leaves the others' results cached)."""
    return f"{source_digest(experiment.module)}+{shared_code_digest()}"


@functools.lru_cache(maxsize=1)
def shared_code_digest() -> str:
    """One digest of every source file of :data:`SHARED_PACKAGES` except the experiments'
    own modules (each of those is in its own experiment's key)."""
    own = {e.module for e in experiments()}
    digest = hashlib.sha256()
    for package in SHARED_PACKAGES:
        root = Path(importlib.import_module(package).__path__[0])
        for path in sorted(root.rglob("*.py")):
            module = ".".join((package, *path.relative_to(root).with_suffix("").parts))
            if module not in own:
                digest.update(module.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def run_all(
    selected: list[Experiment],
    experiments_dir: Path,
    *,
    quick: bool,
    overrides: ConfigOverrides,
    rerun: bool,
    step: StepFn | None = None,
) -> list[ExperimentRun]:
    """Run (or reuse) every experiment in ``selected``; never raises for a failing one."""
    runs = []
    for index, experiment in enumerate(selected):

        def report(fraction: float, message: str, _index: int = index) -> None:
            if step is not None:
                step(_index, min(max(float(fraction), 0.0), 1.0), message)

        run = run_one(experiment, experiments_dir, quick=quick, overrides=overrides, rerun=rerun,
                      progress=report)
        runs.append(run)
        report(1.0, "FAILED" if run.record.status == "error"
               else "cached" if run.record.cached else "done")
    return runs


def run_one(
    experiment: Experiment,
    experiments_dir: Path,
    *,
    quick: bool,
    overrides: ConfigOverrides,
    rerun: bool,
    progress: Callable[[float, str], None],
) -> ExperimentRun:
    """Run one experiment and draw its figures, or reuse a cached result with the same config."""
    directory = run_directory(experiment, experiments_dir)
    try:
        config = make_config(experiment, quick, overrides)
    except Exception as err:  # a broken Config is that experiment's failure, not the report's
        return _failed(experiment, directory, "", {}, err)
    key = cache_key(experiment.name, config, code_digest(experiment))
    figures_code = source_digest(experiment.figures_module)
    cached = None if rerun else load_cached(directory, key)
    if cached is not None:
        record, result = cached
        missing = [f for f in record.figures.values() if not (directory / f).is_file()]
        if not missing and not record.figure_errors and record.figures_code == figures_code:
            return ExperimentRun(experiment, record, result)
        progress(RUN_SHARE, "redrawing figures")
        record.figures, record.figure_errors = _draw_figures(experiment, result, directory)
        record.figures_code = figures_code
        record.save(directory)
        return ExperimentRun(experiment, record, result)

    progress(0.0, "starting")
    started = time.perf_counter()
    try:
        # the run is the first 90% of the step, drawing the figures the rest
        result = experiment.run(config, progress=lambda f, m: progress(RUN_SHARE * f, m))
    except Exception as err:
        return _failed(experiment, directory, key, plain_config(config), err)
    seconds = time.perf_counter() - started
    save_run(experiment, result, directory.parent, figures=False)
    progress(RUN_SHARE, "drawing figures")
    figures, figure_errors = _draw_figures(experiment, result, directory)
    record = RunRecord(experiment.name, key, plain_config(config), figures=figures,
                       figures_code=figures_code, figure_errors=figure_errors, seconds=seconds)
    record.save(directory)
    return ExperimentRun(experiment, record, result)


def _draw_figures(
    experiment: Experiment, result: Result, directory: Path
) -> tuple[dict[str, str], dict[str, str]]:
    """Save each figure as PNG (named as ``actlab lab run`` names them); errors by figure."""
    figures: dict[str, str] = {}
    errors: dict[str, str] = {}
    try:
        drawn = experiment.figures(result)
    except Exception as err:
        return figures, {"(all figures)": _one_line(err)}
    directory.mkdir(parents=True, exist_ok=True)
    for name, fig in drawn.items():
        filename = figure_filename(name)
        try:
            fig.savefig(directory / filename, dpi=FIGURE_DPI)
            figures[name] = filename
        except Exception as err:
            errors[name] = _one_line(err)
        finally:
            _release(fig)
    return figures, errors


def _release(fig: Any) -> None:
    """Free a figure; only pyplot keeps figures alive, so close it there if it is in use."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)


def _failed(
    experiment: Experiment, directory: Path, key: str, config: dict[str, Any], err: BaseException
) -> ExperimentRun:
    record = RunRecord(experiment.name, key, config, status="error", error=_one_line(err),
                       traceback=traceback.format_exc())
    record.save(directory)
    return ExperimentRun(experiment, record, None)


def _one_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0]}" if text else type(err).__name__
