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


def test_error_borders_and_radio_circles_sit_on_the_right_in_rtl(browser, live_server, app, urdu):
    from survey_app.services import invitations, records
    from survey_app.services.audit import COMMAND_LINE
    from tests.factories import create_record, create_site

    with app.extensions["survey_sessions"]() as session:
        record = create_record(session, records.keyrings(app.config)["service_user"], "service_user",
                               create_site(session))
        link = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=True)
        session.commit()
    context = browser.new_context(extra_http_headers={"Accept-Language": "ur"}, viewport={"width": 800, "height": 600})
    try:
        page = context.new_page()
        page.goto(f"{live_server}/q/{link.token}")
        with page.expect_navigation():
            page.click("button[type=submit], input[type=submit]")
        group = page.locator(".govuk-form-group--error")
        borders = group.evaluate("e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]")
        assert borders == ["5px", "0px"]
        # A radio group rendered into the same page shows where the circle sits.
        page.evaluate("""document.querySelector('main').insertAdjacentHTML('beforeend',
            '<div class="govuk-radios"><div class="govuk-radios__item"><input class="govuk-radios__input" ' +
            'id="r" type="radio" name="r"><label class="govuk-label govuk-radios__label" for="r">Yes</label></div></div>')""")
        item = page.locator(".govuk-radios__item").bounding_box()
        circle_right = page.evaluate("""(() => { const l = document.querySelector('.govuk-radios__label');
            const s = getComputedStyle(l, '::before'); return s.right; })()""")
        assert circle_right == "2px"
        label = page.locator(".govuk-radios__label").bounding_box()
        assert label["x"] + label["width"] < item["x"] + item["width"] - 30, "label sits left of the circle"
    finally:
        context.close()
