"""Fonts: the device's own first; the Urdu Nastaliq subset is downloaded only for an Urdu page on
a device without a Nastaliq font, and only once: the next page takes it from the browser's cache
(counted both by what Chromium reports received and by what the server sent). An English page
downloads no font at all, even where it shows a language's own name in Urdu (as a language
control does).

Until the Urdu catalogue exists the pages are in English, so each test adds a line of Urdu to the
page, as a translated page would show: the word اردو, whose letters every Urdu subset keeps.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.factories import create_person_who_agreed
from tests.helpers import WireMeter

URDU = "اردو"
ADD_URDU = f"""() => {{
    document.querySelector('main').insertAdjacentHTML('afterbegin', '<p class="govuk-body" id="urdu" lang="ur">{URDU}</p>');
    document.body.offsetWidth;  // lay the page out now, so any font it needs starts loading
    return document.fonts.ready.then(() => true);
}}"""


@pytest.fixture
def urdu_offered(app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_LOCALES", ["en", "ur"])


@pytest.fixture
def fonts_sent(app, monkeypatch):
    """The font files the live server sent during the test, as the server saw the requests: what
    was downloaded, whatever the browser reports."""
    sent, serve = [], app.wsgi_app

    def counting(environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/static/build/fonts/"):
            sent.append(environ["PATH_INFO"])
        return serve(environ, start_response)

    monkeypatch.setattr(app, "wsgi_app", counting)
    return sent


@pytest.fixture
def token(app):
    return create_person_who_agreed(app)[1].token


def test_an_urdu_page_downloads_the_nastaliq_subset_once_on_a_device_without_it(
        browser_without_nastaliq, live_server, urdu_offered, token, fonts_sent):
    context = browser_without_nastaliq.new_context(extra_http_headers={"Accept-Language": "ur"})
    try:
        page = context.new_page()
        meter = WireMeter(page)
        fonts = []
        page.on("response", lambda response: response.request.resource_type == "font" and fonts.append(response))
        first = meter.step(lambda: (page.goto(f"{live_server}/q/{token}/questions/swemwbs/1"), page.evaluate(ADD_URDU)))
        assert first.kinds["Font"] == 1
        [font] = fonts
        assert "/static/build/fonts/noto-nastaliq-urdu." in font.url
        assert font.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert font.headers["content-type"] == "font/woff2"
        assert rendered_in(page, "#urdu") == [("Noto Nastaliq Urdu", True)]

        def next_page():
            page.check("main input[type=radio] >> nth=0")
            with page.expect_navigation():
                page.click("main form button >> nth=0")
            page.evaluate(ADD_URDU)

        # The whole of the next page is measured, its loading included: the font is used again
        # (from Chromium's memory or disk cache), and nothing is downloaded for it.
        second = meter.step(next_page)
        assert page.url.endswith("/questions/swemwbs/2")
        assert rendered_in(page, "#urdu") == [("Noto Nastaliq Urdu", True)]
        assert second.kinds["Font"] == 0, "the font is kept, not downloaded again"
        assert fonts_sent == [urlparse(font.url).path], "the platform sent the font once"
    finally:
        context.close()


def test_an_english_page_downloads_no_font_even_with_an_urdu_word_on_it(browser_without_nastaliq, live_server,
                                                                        urdu_offered, token):
    context = browser_without_nastaliq.new_context()
    try:
        page = context.new_page()
        meter = WireMeter(page)
        weight = meter.step(lambda: (page.goto(f"{live_server}/q/{token}/questions/swemwbs/1"), page.evaluate(ADD_URDU)))
        assert page.evaluate("document.documentElement.lang") == "en"
        assert weight.kinds["Font"] == 0
        assert all(not custom for _, custom in rendered_in(page, "#urdu"))
    finally:
        context.close()


def test_a_device_with_nastaliq_uses_its_own(browser, live_server, urdu_offered, token):
    context = browser.new_context(extra_http_headers={"Accept-Language": "ur"})
    try:
        page = context.new_page()
        meter = WireMeter(page)
        weight = meter.step(lambda: (page.goto(f"{live_server}/q/{token}/questions/swemwbs/1"), page.evaluate(ADD_URDU)))
        assert weight.kinds["Font"] == 0
        assert rendered_in(page, "#urdu") == [("Noto Nastaliq Urdu", False)]
    finally:
        context.close()


def rendered_in(page, selector: str) -> list[tuple[str, bool]]:
    """The fonts Chromium drew the element's text with: (family, whether it is a downloaded web font)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [(font["familyName"], font["isCustomFont"]) for font in fonts]
