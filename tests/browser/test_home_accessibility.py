"""The home page in a real browser: WCAG 2.2 AA by axe-core, 320 px wide, keyboard only."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.pages import axe_violations, csp_violations


def test_home_page_passes_axe_wcag_22_aa(page):
    page.goto(page.live_server + "/")
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')"), \
        "GOV.UK Frontend's JavaScript should have started"
    assert axe_violations(page) == []


def test_home_page_fits_320_px_without_horizontal_scrolling(page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(page.live_server + "/")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(page):
    page.goto(page.live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).position") != "absolute" or \
        page.evaluate("document.activeElement.getBoundingClientRect().height") > 0, "skip link visible on focus"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_home_page_asks_only_this_host_and_breaks_no_csp_rule(page):
    """No bypass here: the page runs under its own headers, as a participant's browser runs it."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(page.live_server + "/", wait_until="networkidle")
    assert page.recorder.off_host == []
    assert csp_violations(page) == []
    assert page.recorder.console_errors == []
    assert {urlparse(url).netloc for url in requested} == {urlparse(page.live_server).netloc}
    paths = {urlparse(url).path for url in requested}
    assert "/" in paths and {path.rsplit(".", 1)[-1] for path in paths if path.startswith("/static/build/")} >= \
        {"css", "js"}, "the page should load its own styles and scripts"


def test_the_page_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server + "/")
        assert page.locator("h1").inner_text() == "Questionnaires"
    finally:
        context.close()


def test_the_csp_blocks_an_image_from_another_host(page):
    page.goto(page.live_server + "/")
    loaded = page.evaluate("""() => new Promise(done => {
        const img = document.createElement('img');
        img.onload = () => done(true);
        img.onerror = () => done(false);
        img.src = 'http://example.invalid/pixel.png';
        document.body.append(img);
    })""")
    assert loaded is False
    assert csp_violations(page) == ["img-src http://example.invalid/pixel.png"]
    assert any("Content Security Policy" in error for error in page.recorder.console_errors)
    page.recorder.console_errors.clear()


def test_the_recorder_catches_a_request_to_another_host(page):
    """The harness must be able to fail: leaving the platform is recorded and blocked."""
    with pytest.raises(PlaywrightError):
        page.goto("http://example.invalid/")
    assert page.recorder.off_host == ["http://example.invalid/"]
    page.recorder.off_host.clear()
    page.recorder.console_errors.clear()


def test_axe_reports_a_violation_when_there_is_one(page):
    """The accessibility check must be able to fail: a form field without a label is caught."""
    page.goto(page.live_server + "/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=unlabelled>')")
    assert any(line.startswith("label (critical)") for line in axe_violations(page))
