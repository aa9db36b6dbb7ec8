"""The participant shell mirrors for right-to-left languages (lang and dir from the locale)."""

from __future__ import annotations

import pytest


@pytest.fixture
def urdu(app, monkeypatch):
    # Urdu is offered so the locale selector picks it; its catalogue comes with the languages work,
    # so text stays English here: what is tested is direction and layout.
    monkeypatch.setitem(app.config, "SURVEY_LOCALES", ["en", "ur"])


def test_the_shell_is_right_to_left_for_urdu(browser, live_server, urdu):
    context = browser.new_context(locale="ur-PK", extra_http_headers={"Accept-Language": "ur"},
                                  viewport={"width": 800, "height": 600})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/q/not-a-token")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ur", "rtl"]
        exit_box = page.locator(".app-quick-exit__button").bounding_box()
        heading_box = page.locator("h1").bounding_box()
        # The quick exit sits at the inline end: the left edge in a right-to-left page.
        assert exit_box["x"] + exit_box["width"] < 400
        # Text starts at the right.
        assert heading_box["x"] + heading_box["width"] > 600
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    finally:
        context.close()


def test_the_shell_is_left_to_right_in_english(browser, live_server):
    context = browser.new_context(viewport={"width": 800, "height": 600})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/q/not-a-token")
        assert page.evaluate("document.documentElement.dir") == "ltr"
        exit_box = page.locator(".app-quick-exit__button").bounding_box()
        assert exit_box["x"] > 400
    finally:
        context.close()
