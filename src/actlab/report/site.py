"""Writes the HTML pages from the runs and the atlas entries (Jinja2 templates).

Layout of the output directory (every link is relative, so the site works
from ``file://`` and from any static HTTP server)::

    index.html
    static/style.css
    atlas/<name>.html, atlas/img/*.png|svg
    experiments/<name>.html, experiments/<name>/{result.json, run.json, *.png}
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from actlab.lab.result import Claim
from actlab.report.atlas import AtlasEntry
from actlab.report.bench_section import BenchSection, write_bench_page
from actlab.report.formatting import format_seconds, format_value, is_numeric, numeric_columns
from actlab.report.runner import ExperimentRun

PACKAGE_DIR = Path(__file__).parent
VERDICT_ORDER = ("reproduced", "partly", "not reproduced")
FAMILY_ORDER = ("steps", "piecewise_linear", "rectifiers", "sigmoidal", "smooth", "classic",
                "vector")


@dataclass
class ClaimRow:
    experiment: Any  # Experiment
    claim: Claim


@dataclass
class RunInfo:
    """The facts the footer and the index state about this report run."""

    generated: str
    seconds: float
    quick: bool
    seed: int | None
    versions: dict[str, str]


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the tests, not silently
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["fmt"] = format_value
    env.filters["seconds"] = format_seconds
    env.filters["verdict_class"] = verdict_class
    env.filters["verdict_counts"] = verdict_counts
    env.filters["numeric_columns"] = numeric_columns
    env.tests["numeric_value"] = is_numeric
    return env


def verdict_class(verdict: str) -> str:
    return verdict.replace(" ", "-") if verdict in VERDICT_ORDER else "other"


def verdict_counts(claims: Iterable[Claim]) -> list[tuple[str, int]]:
    """(verdict, count) in a fixed order, verdicts with no claim left out."""
    counts = Counter(c.verdict for c in claims)
    known = [(v, counts.pop(v)) for v in VERDICT_ORDER if v in counts]
    return known + sorted(counts.items())


def write_site(out: Path, runs: list[ExperimentRun], atlas: list[AtlasEntry],
               info: RunInfo, bench: BenchSection | None = None) -> list[Path]:
    """Render every page into ``out``; returns the pages written (index first)."""
    env = environment()
    shutil.copytree(PACKAGE_DIR / "static", out / "static", dirs_exist_ok=True)
    claims = [ClaimRow(r.experiment, c) for r in runs if r.result for c in r.result.claims]
    common: dict[str, Any] = {"run": info, "bench": bench}
    pages = [out / "index.html"]
    _write(pages[0], env.get_template("index.html").render(
        root="", section="", runs=runs, claims=claims, atlas=atlas,
        verdict_counts=verdict_counts(c.claim for c in claims),
        failed=[r for r in runs if not r.ok], atlas_by_family=_by_family(atlas), **common))
    template = env.get_template("experiment.html")
    for i, r in enumerate(runs):
        page = out / "experiments" / f"{r.experiment.name}.html"
        rows = [ClaimRow(r.experiment, c) for c in r.result.claims] if r.result else []
        _write(page, template.render(
            root="../", section="experiments", r=r, claim_rows=rows,
            prev=runs[i - 1] if i > 0 else None, next=runs[i + 1] if i + 1 < len(runs) else None,
            **common))
        pages.append(page)
    template = env.get_template("activation.html")
    for i, e in enumerate(atlas):
        page = out / "atlas" / f"{e.name}.html"
        _write(page, template.render(
            root="../", section="atlas", e=e,
            prev=atlas[i - 1] if i > 0 else None, next=atlas[i + 1] if i + 1 < len(atlas) else None,
            **common))
        pages.append(page)
    if bench is not None:
        pages.append(write_bench_page(env, out, bench, common))
    return pages


def _by_family(atlas: list[AtlasEntry]) -> list[tuple[str, list[AtlasEntry]]]:
    groups: dict[str, list[AtlasEntry]] = {}
    for e in atlas:
        groups.setdefault(e.family, []).append(e)
    rank = {f: i for i, f in enumerate(FAMILY_ORDER)}
    return sorted(groups.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
