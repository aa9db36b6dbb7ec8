"""The participant shell in a real browser: the quick exit with and without JavaScript, axe, 320 px."""

from __future__ import annotations

import pytest

from tests.browser.pages import axe_violations
from tests.factories import create_linked_person

EXIT_PAGE = "<!doctype html><html lang='en'><title>Weather</title><h1>Weather</h1></html>"


@pytest.fixture
def link(app):
    return create_linked_person(app, "service_user")[1]


def stand_in_for_the_exit_site(page, app) -> str:
    """Answer the quick exit's address locally, so the test never leaves the machine."""
    url = app.config["SURVEY_QUICK_EXIT_URL"]
    page.context.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=EXIT_PAGE))
    return url


def enter(page, link) -> None:
    page.goto(f"{page.live_server}/q/{link.token}")
    page.fill("#code", link.access_code)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_participant_pages_pass_axe_and_fit_320_px(page, link):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{page.live_server}/q/{link.token}")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    enter(page, link)
    assert page.url.endswith("/about")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.goto(f"{page.live_server}/q/not-a-token")
    assert axe_violations(page) == []
    page.recorder.console_errors.clear()  # the neutral page is (rightly) a 404, which Chromium logs


def test_shift_three_times_leaves_and_back_does_not_return(page, app, link):
    exit_url = stand_in_for_the_exit_site(page, app)
    page.goto(page.live_server + "/")
    enter(page, link)
    with page.expect_navigation():
        for _ in range(3):
            page.keyboard.press("Shift")
    assert page.url == exit_url
    page.go_back()
    assert page.locator("h1").inner_text() == "Enter your access code", "Back must not show the questions"


def test_the_quick_exit_button_replaces_the_history_entry(page, app, link):
    exit_url = stand_in_for_the_exit_site(page, app)
    page.goto(page.live_server + "/")
    enter(page, link)
    with page.expect_navigation():
        page.click(".app-quick-exit__button")
    assert page.url == exit_url
    page.go_back()
    assert page.locator("h1").inner_text() == "Enter your access code"


def test_the_quick_exit_is_a_plain_link_without_javascript(browser, live_server, app, link):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.live_server = live_server
        exit_url = stand_in_for_the_exit_site(page, app)
        page.goto(f"{live_server}/q/not-a-token")
        page.keyboard.press("Tab")  # skip link
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className").find("app-quick-exit__button") >= 0
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == exit_url
    finally:
        context.close()
