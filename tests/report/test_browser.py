"""The report in a real browser: headless Chromium (Debian's chromium + chromedriver).

A quick report of two experiments is served over HTTP on 127.0.0.1 and opened
from file://; the index, an atlas page and an experiment page must load with
no console error and every image must decode (naturalWidth > 0).

Without Chromium and ChromeDriver (or selenium) these tests skip, with the reason
shown in pytest's summary; with ACTLAB_REQUIRE_BROWSER=1 (set by .ci/run, which
installs them) a missing browser is a failure, so CI never skips them.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from actlab.cli import main
from headless_chromium import chromium

EXPERIMENTS = "gallery,derivatives,temperature_neuron,bench"  # bench: a pre-filled quick bench
# gallery's quick panels, a cases formula, and rrelu's long formula (a cases block and a note)
ATLAS = ["relu", "sigmoid", "softmax", "elu", "rrelu"]
PHONE_WIDTH = 420  # CSS pixels

pytestmark = pytest.mark.browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # no request log in test output
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A quick report with a small atlas, built through the CLI."""
    import actlab

    out = tmp_path_factory.mktemp("report") / "site"
    db = _filled_bench_store(out.parent / "bench.db")
    patch = pytest.MonkeyPatch()
    patch.setattr(actlab, "names", lambda: list(ATLAS))
    try:
        code = main(["report", "--out", str(out), "--quick", "--only", EXPERIMENTS, "--quiet",
                     "--db", str(db)])
    finally:
        patch.undo()
    assert code == 0
    return out


def _filled_bench_store(db: Path) -> Path:
    """Every run of the quick default bench, made up (no training): the report reuses them."""
    from actlab.bench.spec import default_spec
    from actlab.bench.store import Store
    from bench_fake_runs import DIVERGED, spec_runs

    def accuracy(activation: str, task: str, seed: int) -> float | str:
        if activation == "sigmoid" and seed == 0:
            return DIVERGED
        return 0.8 + 0.01 * len(activation) + 0.002 * ((seed * 3 + len(task)) % 4)

    with Store(db) as store:
        store.insert(spec_runs(default_spec(quick=True), accuracy))
    return db


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    with chromium((1280, 1600)) as browser:
        yield browser


def _check_page(driver: object, url: str) -> int:
    """Load ``url``; assert no console error and every image decoded; returns the image count."""
    driver.get_log("browser")  # drop anything logged by an earlier page
    driver.get(url)
    images = driver.execute_script(
        "return Array.from(document.images).map(i => [i.currentSrc, i.complete, i.naturalWidth]);"
    )
    broken = [src for src, complete, width in images if not complete or width == 0]
    assert not broken, f"{url}: images that did not load: {broken}"
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert not errors, f"{url}: console errors: {errors}"
    assert driver.find_element("css selector", "header.site-header").is_displayed()
    return len(images)


@pytest.mark.parametrize(
    ("page", "min_images"),
    [
        ("index.html", len(ATLAS)),  # a thumbnail per activation
        ("atlas/relu.html", 4),  # formula pieces, the plot and the gallery panel
        ("experiments/derivatives.html", 1),
        ("experiments/gallery.html", 3),
        ("bench.html", 4),  # critical difference, heat map, seeds, learning curves
    ],
)
def test_page_loads_over_http_without_errors(driver, server, page, min_images) -> None:
    assert _check_page(driver, f"{server}/{page}") >= min_images


def test_index_works_from_file_url_and_links_to_the_pages(driver, site: Path) -> None:
    assert _check_page(driver, (site / "index.html").as_uri()) >= len(ATLAS)
    hrefs = {a.get_attribute("href") for a in driver.find_elements("css selector", "a")}
    assert (site / "atlas" / "relu.html").as_uri() in hrefs
    assert (site / "experiments" / "derivatives.html").as_uri() in hrefs
    assert (site / "bench.html").as_uri() in hrefs
    verdicts = driver.find_elements("css selector", "tr.claim-row .verdict")
    assert verdicts, "the claims table lists the claims with their verdicts"
    # colour-coded: a reproduced badge is drawn green-ish, a different colour from the text
    colour = verdicts[0].value_of_css_property("background-color")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")


def _at_width(driver: object, width: int) -> None:
    """Lay pages out at ``width`` CSS pixels (a headless window has a minimum width)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 900, "deviceScaleFactor": 1,
                            "mobile": False})


_OVERFLOW = """
const page = document.documentElement;
const boxes = Array.from(document.querySelectorAll(arguments[0]));
return {page: [page.scrollWidth, page.clientWidth],
        boxes: boxes.map(b => [b.scrollWidth, b.clientWidth])};
"""


@pytest.mark.parametrize("page", ["index.html", "experiments/temperature_neuron.html",
                                  "experiments/derivatives.html", "method.html",
                                  "atlas/rrelu.html"])
def test_pages_fit_a_420_px_screen_without_horizontal_overflow(
    driver, site: Path, page: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    _at_width(driver, PHONE_WIDTH)
    try:
        driver.get((site / page).as_uri())
        assert driver.execute_script("return window.innerWidth") == PHONE_WIDTH
        found = driver.execute_script(_OVERFLOW, ".claims-wrap, .formula-row")
        page_width, viewport = found["page"]
        assert page_width <= viewport, f"{page}: the page scrolls sideways ({page_width} px)"
        for scroll, client in found["boxes"]:
            assert scroll <= client, f"{page}: a claims table or formula is cut off"
        if page == "index.html":
            assert len(found["boxes"]) == 2  # the claims and the checks
            # the claim cells are laid out as labelled lines, all inside the screen
            cells = driver.execute_script(
                "return Array.from(document.querySelectorAll('tr.claim-row td'))"
                ".map(c => c.getBoundingClientRect().right)")
            assert cells and max(cells) <= PHONE_WIDTH
        shot = tmp_path_factory.mktemp("shots") / (page.replace("/", "_") + ".png")
        assert driver.save_screenshot(str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_claim_rows_show_seeds_and_intervals_in_the_browser(driver, site: Path) -> None:
    driver.get((site / "experiments" / "temperature_neuron.html").as_uri())
    rows = driver.find_elements("css selector", "tr.claim-row")
    assert len(rows) == 2  # w and b; the fixed neuron is a check
    for row in rows:
        seeds = row.find_element("css selector", "td.seeds").text
        interval = row.find_element("css selector", "td.interval").text
        assert int(seeds) >= 5
        assert interval.startswith("[") and interval.endswith("]")
    checks = driver.find_elements("css selector", "tr.check-row")
    assert len(checks) == 1 and "holds" in checks[0].text
