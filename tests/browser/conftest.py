"""Browser tests: the app on a live local server, driven by Debian's Chromium through Playwright.

Without Chromium these tests skip with a loud reason, except under CI (CI=true), where a
missing browser fails the run. Every page load records requests: any request to another
host fails the test, because no participant page may contact anything but the platform.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

from survey_app.config import PROJECT_ROOT

CHROMIUM = Path(os.environ.get("SURVEY_CHROMIUM", "/usr/bin/chromium"))
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
    event => window.__cspViolations.push(`${event.effectiveDirective} ${event.blockedURI}`), true);
"""


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
def browser():
    _require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM}; install Debian's chromium (see README)")
    _require(AXE.exists(), f"axe-core not found at {AXE}; run `make setup`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


class OffHostRecorder:
    """Aborts and remembers every request that leaves the live server."""

    def __init__(self, origin: str):
        self.host = urlparse(origin).netloc
        self.off_host: list[str] = []
        self.console_errors: list[str] = []

    def route(self, route):
        url = route.request.url
        if urlparse(url).scheme in ("data", "blob") or urlparse(url).netloc == self.host:
            route.continue_()
        else:
            self.off_host.append(url)
            route.abort()


@contextmanager
def opened_page(browser, live_server, javascript: bool = True, width: int = 1280, height: int = 800):
    """A fresh page; fails the test afterwards if it asked any other host for anything or
    logged a console error (a blocked script or style shows up there)."""
    recorder = OffHostRecorder(live_server)
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
    context.route("**/*", recorder.route)
    # Added through the DevTools protocol, so it runs before the page's own scripts and the CSP
    # does not apply to it.
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and recorder.console_errors.append(message.text))
    page.on("pageerror", lambda error: recorder.console_errors.append(str(error)))
    page.set_default_timeout(15_000)
    page.live_server = live_server
    page.recorder = recorder
    page.javascript = javascript
    try:
        yield page
    finally:
        context.close()
    assert recorder.off_host == [], f"requests to other hosts: {recorder.off_host}"
    assert recorder.console_errors == [], f"console errors: {recorder.console_errors}"


@pytest.fixture
def page(browser, live_server, app):
    """A fresh page at 1280×800 with JavaScript."""
    with opened_page(browser, live_server) as page:
        yield page


def axe_violations(page) -> list[str]:
    """Run axe-core's WCAG 2.2 AA rules on the page; one line per violation and element."""
    if not getattr(page, "javascript", True):
        with scriptless_copy(page) as copy:
            return _run_axe(copy)
    return _run_axe(page)


@contextmanager
def scriptless_copy(page):
    """The page's current document, as it stands, in a page where JavaScript runs but the page's
    own scripts may not. axe needs timers, and a page with JavaScript turned off never fires them,
    so axe would wait for ever."""
    context = page.context.browser.new_context(viewport=page.viewport_size)
    html = page.content()

    def serve(route):
        if route.request.url == page.url and route.request.resource_type == "document":
            route.fulfill(status=200, body=html, headers={"Content-Type": "text/html; charset=utf-8",
                                                         "Content-Security-Policy": "script-src 'none'"})
        else:
            route.continue_()

    context.route("**/*", serve)
    copy = context.new_page()
    copy.set_default_timeout(15_000)
    try:
        copy.goto(page.url)
        yield copy
    finally:
        context.close()


def _run_axe(page) -> list[str]:
    # Evaluated through the DevTools protocol, so the page's strict CSP (rightly) does not block it,
    # and the page's own headers are tested as they are.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    return [f"{v['id']} ({v['impact']}): {node['target']}" for v in result["violations"] for node in v["nodes"]]


def csp_violations(page) -> list[str]:
    """What the page's Content Security Policy has blocked since it loaded: "directive blocked-URI"."""
    return page.evaluate("window.__cspViolations || []")
