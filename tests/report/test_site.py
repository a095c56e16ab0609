"""The report as files: pages and links, claims, failures, the cache and the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from actlab.cli import main
from actlab.report import build_report

ATLAS = ["relu", "elu", "heaviside"]  # a small atlas keeps these tests fast


class _Links(HTMLParser):
    """Collects href and src attributes, and the text of each claims-table row."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.claim_rows: list[tuple[str, str]] = []  # (data-verdict, text)
        self.check_rows: list[tuple[str, str]] = []  # (data-verdict, text)
        self._row: list[str] | None = None
        self._rows = self.claim_rows
        self._verdict = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("href", "src"):
            if values.get(key):
                self.links.append((tag, values[key] or ""))
        classes = (values.get("class") or "").split()
        if tag == "tr" and ("claim-row" in classes or "check-row" in classes):
            self._row, self._verdict = [], values.get("data-verdict") or ""
            self._rows = self.claim_rows if "claim-row" in classes else self.check_rows

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row is not None:
            self._rows.append((self._verdict, " ".join("".join(self._row).split())))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row is not None:
            self._row.append(data + " ")


def parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def local_targets(page: Path) -> list[tuple[str, Path]]:
    """Every link or image of ``page`` that points into the site, as a file path."""
    found = []
    for tag, url in parse(page).links:
        parts = urlsplit(url)
        if parts.scheme or url.startswith(("#", "data:")):
            continue
        found.append((tag, (page.parent / parts.path).resolve()))
    return found


@pytest.fixture
def report(tmp_path: Path, fake_experiments) -> tuple[Path, object]:
    out = tmp_path / "site"
    outcome = build_report(out, only=fake_experiments.names, quick=True, quiet=True,
                           activations=ATLAS)
    return out, outcome


def test_every_page_linked_from_the_index_exists_and_every_image_file_too(report) -> None:
    out, _ = report
    index = out / "index.html"
    pages = {index}
    for _tag, target in local_targets(index):
        assert target.is_file(), f"index links to missing {target}"
        if target.suffix == ".html":
            pages.add(target)
    # the index reaches every experiment page and every atlas page
    assert {p.name for p in pages} >= {"fake_good.html", "fake_bad.html",
                                       *(f"{n}.html" for n in ATLAS)}
    images = 0
    for page in pages:
        for tag, target in local_targets(page):
            assert target.is_file(), f"{page.name} refers to missing {target}"
            images += tag == "img"
    assert images > 3 * len(ATLAS)  # thumbnails, plots and formula pieces


def test_claims_table_lists_each_claim_with_its_verdict(report) -> None:
    out, outcome = report
    rows = parse(out / "index.html").claim_rows
    claims = [c for r in outcome.runs if r.result for c in r.result.claims if c.kind == "claim"]
    assert len(rows) == len(claims) == 3
    for claim, (verdict, text) in zip(claims, rows, strict=True):
        assert verdict == claim.verdict
        assert claim.statement in text and claim.source in text
        assert text.rstrip().endswith(claim.verdict)
    assert {v for v, _ in rows} == {"reproduced", "partly", "not reproduced"}
    # the experiment's own page repeats its claims
    assert len(parse(out / "experiments" / "fake_good.html").claim_rows) == 3


def test_claim_rows_show_seeds_interval_and_what_was_measured(report) -> None:
    out, _ = report
    html = (out / "index.html").read_text()
    rows = dict((text.split(" Measured:")[0], text)
                for _, text in parse(out / "index.html").claim_rows)
    pi = rows["pi is about 3"]
    # "… Seeds 5 | 95% interval [2.794, 3.306] | partly"
    assert " 5 [2.794, 3.306] partly" in pi
    assert "pi, measured with a ruler" in pi
    answer = rows["the answer is 42"]
    assert " 1 — reproduced" in answer  # deterministic: one seed, no interval
    assert "<th class=\"num\">Seeds</th>" in html and "95% interval</th>" in html
    # a paper's source links to its bibliography entry
    assert 'href="bibliography.html#glorot2010"' in html


def test_checks_are_shown_apart_and_the_tiles_count_claims_only(report) -> None:
    out, _ = report
    index = parse(out / "index.html")
    assert len(index.claim_rows) == 3
    assert [v for v, _ in index.check_rows] == ["holds"]
    assert "two plus two is four" in index.check_rows[0][1]
    assert not any("two plus two" in text for _, text in index.claim_rows)
    html = (out / "index.html").read_text()
    tiles = html[html.index('<div class="stats">'):html.index("</div>\n  <p")]
    assert '<span class="stat-value">3</span><span class="stat-label">claims</span>' in tiles
    assert "holds" not in tiles and "check" not in tiles
    assert 'id="checks"' in html and "1 <a href=\"#checks\">checks</a>" in html


def test_an_experiments_badge_shows_its_claim_counts(report) -> None:
    out, _ = report
    import re

    badge = "1 reproduced · 1 partly · 1 not reproduced"
    index = (out / "index.html").read_text()
    page = (out / "experiments" / "fake_good.html").read_text()
    for html in (index, page):
        text = re.sub(r"<[^>]+>", "", html)  # each count is its own coloured chip
        assert badge in text
        assert '<span class="status verdict-partly">1 partly</span>' in html
    assert ">ok<" not in index


def test_method_and_bibliography_pages_exist_and_are_linked(report) -> None:
    out, _ = report
    for page in ("index.html", "experiments/fake_good.html"):
        targets = {t.name for _, t in local_targets(out / page)}
        assert {"method.html", "bibliography.html"} <= targets, page
    method = (out / "method.html").read_text()
    for words in ("within P ± tolerance", "at most twice the tolerance",
                  "one-sided test", "Wilcoxon signed-rank", "at least 5 independent runs",
                  "never make “reproduced” easier", "test_verdict.py"):
        assert words in method, words
    bibliography = (out / "bibliography.html").read_text()
    assert 'id="glorot2010"' in bibliography and "Understanding the difficulty" in bibliography
    assert "the lecture notes the project grew from" in bibliography
    # the notes are named as such, never by their file numbers (read as random seeds)
    assert not re.search(r"seeds? 0\d\d", bibliography)
    # the Glorot entry lists the fake claim that cites it
    entry = bibliography[bibliography.index('id="glorot2010"'):]
    entry = entry[:entry.index("</li>")]
    assert "deep sigmoid nets train faster" in entry


def test_a_failing_check_is_shown_loudly_and_fails_the_cli(
    tmp_path: Path, fake_experiments, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sys

    import actlab
    from actlab.lab.result import Claim

    fake = sys.modules[fake_experiments.modules["fake_good"]]
    real = fake.run

    def run_with_a_bug(config, progress=None):
        result = real(config, progress)
        result.claims.append(Claim.check("one is less than zero", "nowhere", True, False,
                                         holds=False))
        return result

    monkeypatch.setattr(fake, "run", run_with_a_bug)
    monkeypatch.setattr(actlab, "names", lambda: ["relu"])
    out = tmp_path / "site"
    code = main(["report", "--out", str(out), "--only", "fake_good", "--quick", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "fake_good (1 failing check(s))" in err
    index = (out / "index.html").read_text()
    assert "1 check FAIL" in index and "one is less than zero" in index
    assert "alert-checks" in (out / "experiments" / "fake_good.html").read_text()
    assert [v for v, _ in parse(out / "index.html").check_rows] == ["holds", "fails"]


def test_a_cached_rerun_says_how_long_the_results_took(
    tmp_path: Path, fake_experiments, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actlab.report import runner

    out = tmp_path / "site"
    kwargs = {"only": ["fake_good"], "quick": True, "quiet": True, "activations": ["relu"]}
    first = build_report(out, **kwargs)
    record = out / "experiments" / "fake_good" / "run.json"
    data = json.loads(record.read_text())
    data["seconds"] = 754.0  # as if the run had taken 12 min 34 s
    record.write_text(json.dumps(data))
    again = build_report(out, **kwargs)
    assert again.runs[0].record.cached and not first.runs[0].record.cached
    html = (out / "index.html").read_text()
    assert "The results shown took 12 min 34 s to compute (1 of 1 experiments reused" in html
    assert runner.code_digest(again.runs[0].experiment)  # the key covers the verdict rule


def test_changing_the_verdict_rule_invalidates_the_cache(
    tmp_path: Path, fake_experiments, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actlab.report import runner

    shared = {"digest": "v1"}  # what the shared packages' sources would digest to
    monkeypatch.setattr(runner, "shared_code_digest", lambda: shared["digest"])
    out = tmp_path / "site"
    kwargs = {"only": ["fake_good"], "quick": True, "quiet": True, "activations": ["relu"]}
    build_report(out, **kwargs)
    build_report(out, **kwargs)
    assert fake_experiments.calls["fake_good"] == 1
    shared["digest"] = "v2"  # e.g. the verdict rule or the bench's statistics changed
    build_report(out, **kwargs)
    assert fake_experiments.calls["fake_good"] == 2


def test_the_shared_digest_covers_the_rule_and_the_bench_but_not_the_experiments(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    from actlab.report import runner

    seen: list[str] = []
    real = hashlib.sha256

    class Recording:  # records which modules go into the digest
        def __init__(self) -> None:
            self.inner = real()

        def update(self, data: bytes) -> None:
            seen.append(data.split(b"\0", 1)[0].decode())
            self.inner.update(data)

        def hexdigest(self) -> str:
            return self.inner.hexdigest()

    runner.shared_code_digest.cache_clear()
    monkeypatch.setattr(runner.hashlib, "sha256", Recording)
    try:
        runner.shared_code_digest()
    finally:
        runner.shared_code_digest.cache_clear()
    assert {"actlab.lab.verdict", "actlab.lab.result", "actlab.bench.statistics",
            "actlab.models.ensemble", "actlab.catalogue.sigmoidal"} <= set(seen)
    assert "actlab.lab.dying_relu" not in seen and "actlab.lab.gates" not in seen


def test_failing_experiment_is_reported_and_the_others_written(report) -> None:
    out, outcome = report
    assert [r.experiment.name for r in outcome.failures] == ["fake_bad"]
    assert "1 of 2 experiments failed (fake_bad)" in outcome.summary()
    bad = (out / "experiments" / "fake_bad.html").read_text()
    assert "the fake experiment broke on purpose" in bad and "Traceback" in bad
    good = out / "experiments" / "fake_good"
    assert json.loads((good / "result.json").read_text())["experiment"] == "fake_good"
    assert (good / "curve.png").stat().st_size > 1000
    assert "failed" in (out / "index.html").read_text()


def test_cached_result_is_reused_until_the_config_changes_or_rerun(
    tmp_path: Path, fake_experiments
) -> None:
    out = tmp_path / "site"
    kwargs = {"only": ["fake_good"], "quiet": True, "activations": ["relu"]}
    first = build_report(out, quick=True, **kwargs)
    assert fake_experiments.calls["fake_good"] == 1 and not first.runs[0].record.cached
    again = build_report(out, quick=True, **kwargs)
    assert fake_experiments.calls["fake_good"] == 1 and again.runs[0].record.cached
    assert again.runs[0].result.claims == first.runs[0].result.claims
    build_report(out, quick=True, rerun=True, **kwargs)
    assert fake_experiments.calls["fake_good"] == 2
    build_report(out, quick=False, **kwargs)  # another config: points=50 instead of 10
    assert fake_experiments.calls["fake_good"] == 3
    seeded = build_report(out, quick=False, seed=7, **kwargs)  # --seed reaches the config
    assert fake_experiments.calls["fake_good"] == 4 and seeded.runs[0].record.config["seed"] == 7


def test_editing_the_code_invalidates_the_cache(
    tmp_path: Path, fake_experiments, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actlab.report import runner

    digests = {}  # module name -> the digest its source would have
    monkeypatch.setattr(runner, "source_digest", lambda module: digests.get(module, "v1")
                        if module.startswith("actlab_report_test") else "v1")
    out = tmp_path / "site"
    kwargs = {"only": ["fake_good"], "quick": True, "quiet": True, "activations": ["relu"]}
    build_report(out, **kwargs)
    calls = fake_experiments.calls
    assert (calls["fake_good"], calls["figures"]) == (1, 1)
    build_report(out, **kwargs)
    assert (calls["fake_good"], calls["figures"]) == (1, 1)  # all reused
    digests["actlab_report_test_fakes_good"] = "v2"  # the figures module is the same module
    build_report(out, **kwargs)
    assert (calls["fake_good"], calls["figures"]) == (2, 2)  # rerun, redrawn
    (out / "experiments" / "fake_good" / "curve.png").unlink()
    build_report(out, **kwargs)
    assert (calls["fake_good"], calls["figures"]) == (2, 3)  # a lost figure is redrawn only


def test_failed_run_is_not_cached(tmp_path: Path, fake_experiments) -> None:
    out = tmp_path / "site"
    for _ in range(2):
        build_report(out, only=["fake_bad"], quick=True, quiet=True, activations=["relu"])
    assert fake_experiments.calls["fake_bad"] == 2


def test_gallery_figures_join_the_atlas_pages(
    tmp_path: Path, fake_experiments, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actlab.report import builder

    monkeypatch.setattr(builder, "GALLERY", "fake_good")  # its figure "relu" is a panel
    out = tmp_path / "site"
    build_report(out, only=["fake_good"], quick=True, quiet=True, activations=["relu", "elu"])
    relu = [u for _, u in parse(out / "atlas" / "relu.html").links]
    assert "../experiments/fake_good/relu.png" in relu
    assert not any("fake_good" in u for _, u in parse(out / "atlas" / "elu.html").links)


def test_cli_unknown_experiment_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    code = main(["report", "--out", str(out), "--only", "gates,no_such_experiment", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "no_such_experiment" in err
    assert not out.exists()  # nothing is run or written for a bad selection


def test_cli_exits_non_zero_with_a_summary_when_an_experiment_fails(
    tmp_path: Path, fake_experiments, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import actlab

    monkeypatch.setattr(actlab, "names", lambda: ["relu"])  # a one-entry atlas: fast
    out = tmp_path / "site"
    # --only both comma-separated and repeated
    code = main(["report", "--out", str(out), "--only", "fake_good", "--only", "fake_bad",
                 "--quick", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().count("\n") == 0
    assert "1 of 2 experiments failed (fake_bad)" in err
    assert (out / "experiments" / "fake_good.html").is_file()
    assert (out / "experiments" / "fake_bad.html").is_file()


def test_cli_success_prints_where_the_report_is(
    tmp_path: Path, fake_experiments, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import actlab

    monkeypatch.setattr(actlab, "names", lambda: ["relu"])
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    out = tmp_path / "site"
    code = main(["report", "--out", str(out), "--only", "fake_good", "--quick", "--open"])
    captured = capsys.readouterr()
    assert code == 0
    assert "report written to" in captured.out
    # progress on stderr (stdout stays clean); not a terminal here, so one line per step
    assert "[1/2] fake_good: done" in captured.err and "ETA" in captured.err
    assert opened == [(out / "index.html").resolve().as_uri()]


def test_a_broken_catalogue_entry_gets_a_page_saying_so(
    tmp_path: Path, fake_experiments, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actlab.report import atlas

    real = atlas.build_entry

    def build_entry(name: str, *args, **kwargs):
        if name == "elu":
            raise RuntimeError("metadata went missing")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(atlas, "build_entry", build_entry)
    out = tmp_path / "site"
    build_report(out, only=["fake_good"], quick=True, quiet=True, activations=["relu", "elu"])
    assert "metadata went missing" in (out / "atlas" / "elu.html").read_text()
    assert "max(0, x)" in (out / "atlas" / "relu.html").read_text()  # the formula's alt text
