"""Headless Chromium for the browser tests (Debian's chromium + chromedriver, driven by
selenium): the one place that knows where it lives and how it is started.

Without Chromium, ChromeDriver or selenium the browser tests skip, with the reason shown
in pytest's summary; with ACTLAB_REQUIRE_BROWSER=1 (set by .ci/run, which installs them)
a missing part is a failure, so CI never skips them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REQUIRE_BROWSER = "ACTLAB_REQUIRE_BROWSER"


def missing_browser_parts(paths: tuple[Path, ...] = (CHROMIUM, CHROMEDRIVER)) -> list[str]:
    """What the browser tests need and this machine lacks (empty: all there)."""
    missing = [str(p) for p in paths if not p.exists()]
    if importlib.util.find_spec("selenium") is None:
        missing.append("the selenium package")
    return missing


def require_browser(missing: list[str]) -> None:
    """Skip (with the reason) when parts are missing, or fail when the environment says
    a browser must be there (ACTLAB_REQUIRE_BROWSER=1)."""
    if not missing:
        return
    message = (f"headless browser test needs {', '.join(missing)} "
               "(Debian: apt-get install chromium chromium-driver)")
    if os.environ.get(REQUIRE_BROWSER) == "1":
        pytest.fail(f"{message}; {REQUIRE_BROWSER}=1 makes it mandatory")
    pytest.skip(message)


@contextlib.contextmanager
def chromium(window: tuple[int, int]) -> Iterator[Any]:
    """A headless Chromium of ``window`` (width, height) CSS pixels with its console log
    kept, in a throw-away profile; skips or fails first if a part is missing."""
    require_browser(missing_browser_parts())
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="actlab-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--window-size={window[0]},{window[1]}",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.set_page_load_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)
