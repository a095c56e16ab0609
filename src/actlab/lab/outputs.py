"""Writing one experiment's run to disk: ``<directory>/<name>/result.json`` and one PNG per
figure.  Shared by ``actlab lab run`` and the report builder, so both lay files out alike."""

from __future__ import annotations

import re
from pathlib import Path

from actlab.lab.registry import Experiment, ProgressFn
from actlab.lab.result import Result

RESULT_FILE = "result.json"


def run_directory(experiment: Experiment, directory: Path | str) -> Path:
    """Where the run of ``experiment`` is written under ``directory``."""
    return Path(directory) / experiment.name


def figure_filename(figure_name: str) -> str:
    """A safe file name for a figure key (activation names are already safe)."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", figure_name).strip("._") or "figure"
    return f"{stem}.png"


def save_run(
    experiment: Experiment,
    result: Result,
    directory: Path | str,
    *,
    dpi: int = 110,
    figures: bool = True,
    progress: ProgressFn | None = None,
) -> dict[str, Path]:
    """Write ``result.json`` and every figure of ``result`` as PNG into
    ``<directory>/<experiment.name>/``; ``progress(fraction, figure name)`` after each PNG.

    Returns ``{"result": json path, <figure name>: png path, ...}``.
    """
    out = run_directory(experiment, directory)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {"result": result.save(out / RESULT_FILE)}
    if figures:
        drawn = experiment.figures(result)
        total = len(drawn)
        for i, name in enumerate(list(drawn)):
            fig = drawn.pop(name)  # drop each figure once saved: the gallery has dozens
            path = out / figure_filename(name)
            fig.savefig(path, dpi=dpi)
            written[name] = path
            if progress:
                progress((i + 1) / total, name)
    return written


def load_result(experiment: Experiment, directory: Path | str) -> Result:
    """Read back the ``result.json`` that :func:`save_run` wrote."""
    path = run_directory(experiment, directory) / RESULT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no result for {experiment.name!r} at {path}")
    return Result.from_json(path.read_text())
