"""Writes the HTML pages from the runs and the atlas entries (Jinja2 templates).

Layout of the output directory (every link is relative, so the site works
from ``file://`` and from any static HTTP server)::

    index.html, method.html, bibliography.html
    static/style.css
    atlas/<name>.html, atlas/img/*.png|svg
    experiments/<name>.html, experiments/<name>/{result.json, run.json, *.png}
"""

from __future__ import annotations

import shlex
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from actlab.catalogue.families import Family
from actlab.lab.result import Claim
from actlab.lab.verdict import ALPHA, LEVEL, MIN_SEEDS
from actlab.report.atlas import AtlasEntry
from actlab.report.bench_section import BenchSection, write_bench_page
from actlab.report.bibliography import REFERENCES, cite
from actlab.report.formatting import (
    format_interval,
    format_seconds,
    format_value,
    is_numeric,
    numeric_columns,
)
from actlab.report.runner import ExperimentRun

PACKAGE_DIR = Path(__file__).parent
VERDICT_ORDER = ("reproduced", "partly", "not reproduced")
FAMILY_VALUES = frozenset(f.value for f in Family)


@dataclass
class ClaimRow:
    experiment: Any  # Experiment
    claim: Claim


@dataclass(frozen=True)
class ClaimTally:
    """What an experiment's badge says: verdicts of its claims, and its checks."""

    verdicts: list[tuple[str, int]]  # claims only, in VERDICT_ORDER
    checks: int
    failed_checks: int

    @property
    def text(self) -> str:
        """e.g. "3 reproduced · 1 partly", or "4 checks hold" when there is no claim."""
        parts = [f"{count} {verdict}" for verdict, count in self.verdicts]
        if self.failed_checks:
            parts.append(f"{self.failed_checks} check{'s' if self.failed_checks > 1 else ''} "
                         "FAIL")
        elif not parts and self.checks:
            parts.append(f"{self.checks} checks hold" if self.checks > 1 else "1 check holds")
        return " · ".join(parts) or "no claims"


def tally(claims: Iterable[Claim]) -> ClaimTally:
    claims = list(claims)
    checks = [c for c in claims if c.kind == "check"]
    return ClaimTally(verdict_counts(claims), len(checks),
                      sum(1 for c in checks if c.failed_check))


@dataclass
class RunInfo:
    """The facts the footer and the index state about this report run."""

    generated: str
    seconds: float  # wall time of this report run (short when the results are cached)
    quick: bool
    seed: int | None
    versions: dict[str, str]
    computed_seconds: float = 0.0  # what the shown results took to compute, cached or not
    cached_runs: int = 0  # experiments whose result was reused from an earlier run


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
    env.filters["tally"] = tally
    env.filters["interval"] = interval_text
    env.filters["cite"] = cite
    env.filters["numeric_columns"] = numeric_columns
    env.filters["shell_quote"] = shlex.quote  # a reproduce line's path may hold spaces
    env.tests["numeric_value"] = is_numeric
    return env


def verdict_class(verdict: str) -> str:
    return verdict.replace(" ", "-") if verdict in VERDICT_ORDER else "other"


def interval_text(interval: tuple[float, float] | list[float] | None) -> str:
    """"[low, high]" with four significant digits, or an em dash when there is none."""
    return "—" if interval is None else format_interval(interval)


def verdict_counts(claims: Iterable[Claim]) -> list[tuple[str, int]]:
    """(verdict, count) of the claims (checks left out) in a fixed order, verdicts with no
    claim left out."""
    counts: Counter[str] = Counter(str(c.verdict) for c in claims if c.kind == "claim")
    known = [(v, counts.pop(v)) for v in VERDICT_ORDER if v in counts]
    return known + sorted(counts.items())


def write_site(out: Path, runs: list[ExperimentRun], atlas: list[AtlasEntry],
               info: RunInfo, bench: BenchSection | None = None) -> list[Path]:
    """Render every page into ``out``; returns the pages written (index first)."""
    env = environment()
    shutil.copytree(PACKAGE_DIR / "static", out / "static", dirs_exist_ok=True)
    rows = [ClaimRow(r.experiment, c) for r in runs if r.result for c in r.result.claims]
    claims = [row for row in rows if row.claim.kind == "claim"]
    checks = [row for row in rows if row.claim.kind == "check"]
    failed_checks = [row for row in checks if row.claim.failed_check]
    common: dict[str, Any] = {"run": info, "bench": bench}
    pages = [out / "index.html"]
    _write(pages[0], env.get_template("index.html").render(
        root="", section="", runs=runs, claims=claims, checks=checks,
        failed_checks=failed_checks, atlas=atlas,
        verdict_counts=verdict_counts(c.claim for c in claims),
        failed=[r for r in runs if not r.ok], atlas_by_family=by_family(atlas), **common))
    pages.append(out / "method.html")
    _write(pages[-1], env.get_template("method.html").render(
        root="", section="method", alpha=ALPHA, level=LEVEL, min_seeds=MIN_SEEDS,
        claims=claims, checks=checks, **common))
    cited = {ref.key: [row for row in claims + checks if cite(row.claim.source) == ref]
             for ref in REFERENCES}
    pages.append(out / "bibliography.html")
    _write(pages[-1], env.get_template("bibliography.html").render(
        root="", section="bibliography", references=REFERENCES, cited=cited,
        notes=[row for row in claims + checks if cite(row.claim.source) is None],
        **common))
    template = env.get_template("experiment.html")
    for i, r in enumerate(runs):
        page = out / "experiments" / f"{r.experiment.name}.html"
        mine = [ClaimRow(r.experiment, c) for c in r.result.claims] if r.result else []
        _write(page, template.render(
            root="../", section="experiments", r=r,
            claim_rows=[row for row in mine if row.claim.kind == "claim"],
            check_rows=[row for row in mine if row.claim.kind == "check"],
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


def by_family(atlas: list[AtlasEntry]) -> list[tuple[str, list[AtlasEntry]]]:
    """(family title, its entries) in the catalogue's family order; an entry that could
    not be documented (no family) comes last, under "Not documented"."""
    groups: dict[Family | None, list[AtlasEntry]] = {}
    for e in atlas:
        family = Family(e.family) if e.family in FAMILY_VALUES else None
        groups.setdefault(family, []).append(e)
    ordered = sorted(groups.items(), key=lambda kv: len(Family) if kv[0] is None else kv[0].rank)
    return [("Not documented" if f is None else f.heading, entries) for f, entries in ordered]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
