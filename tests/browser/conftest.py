"""Browser tests: the app on a live local server, driven by Debian's Chromium through Playwright.

Without Chromium these tests skip with a loud reason, except under CI (CI=true), where a
missing browser fails the run. Every page load records requests: any request to another
host fails the test, because no participant page may contact anything but the platform.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.pages import AXE, opened_page
from tests.helpers import without_fonts

CHROMIUM = Path(os.environ.get("SURVEY_CHROMIUM", "/usr/bin/chromium"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI)", pytrace=False)
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


@pytest.fixture(scope="session")
def live_server(migrated_app):
    server = make_server("127.0.0.1", 0, migrated_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def playwright():
    _require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM}; install Debian's chromium (see README)")
    _require(AXE.exists(), f"axe-core not found at {AXE}; run `make setup`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    browser = _launch(playwright, _browser_environment())
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_without_nastaliq(playwright, tmp_path_factory):
    """A second browser, on a device with no Nastaliq font (as most Android phones), so a page's
    own subset of Noto Nastaliq Urdu is downloaded."""
    browser = _launch(playwright, {**_browser_environment(), **without_fonts(tmp_path_factory.mktemp("fontconfig"))})
    yield browser
    browser.close()


def _launch(playwright, environment: dict[str, str]):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, env=environment,
                                      args=["--no-sandbox", "--disable-dev-shm-usage"])


@pytest.fixture
def page(browser, live_server, app):
    """A fresh page at 1280×800 with JavaScript."""
    with opened_page(browser, live_server) as page:
        yield page


def _browser_environment() -> dict[str, str]:
    """The browser runs on the machine's real clock even when the suite's clock is moved with
    faketime (`make test-dates`): Chromium crashes under libfaketime, and only the server's clock,
    in this process, matters to what the tests check."""
    return {name: value for name, value in os.environ.items()
            if name != "LD_PRELOAD" and not name.startswith("FAKETIME")}
