"""Giving consent online in a real browser, keyboard only, at 320 px wide, with JavaScript and
without; axe on every consent page and on the practitioner's verbal-consent screen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.store.consent import ConsentEventRow
from survey_app.store.records import VictimSurvivor
from survey_app.store.staff import Site
from tests.browser.pages import axe_violations, check_page, choose, opened_page, submit_by_keyboard, tab_to
from tests.factories import PASSWORD, create_linked_person, create_staff



@pytest.fixture
def link(app):
    return create_linked_person(app, "victim_survivor")[1]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_consent_by_keyboard_at_320_px(browser, live_server, app, link, javascript):
    with opened_page(browser, live_server, javascript=javascript, width=320, height=640) as page:
        page.goto(f"{live_server}/q/{link.token}")
        page.fill("#code", link.access_code)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("h1").inner_text() == "Before you start"
        check_page(page)
        tab_to(page, "summary")
        page.keyboard.press("Enter")  # opens the first section
        assert page.locator("details").first.get_attribute("open") is not None
        tab_to(page, "main a.govuk-button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        for answer in ("yes", "yes", "no", "yes", "no"):
            check_page(page)
            choose(page, answer)
        assert page.locator("h1").inner_text() == "Check your choices"
        check_page(page)
        submit_by_keyboard(page)
        assert "Your choices are saved" in page.locator(".govuk-notification-banner").inner_text()
        check_page(page)
        page.goto(f"{live_server}/q/{link.token}/information")
        check_page(page)
        page.goto(f"{live_server}/q/{link.token}/stop")
        check_page(page)
    with app.extensions["survey_sessions"]() as session:
        [event] = session.scalars(select(ConsentEventRow)).all()
        assert (event.kind, event.mode) == ("given", "online")
        assert '"share_monitoring": false' in event.answers and '"link_partner": false' in event.answers


def test_not_now_pages_pass_axe(page, link):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{page.live_server}/q/{link.token}")
    page.fill("#code", link.access_code)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.click("main a.govuk-button")
    page.check("input[value=not_now]")
    with page.expect_navigation():
        page.click("form button")
    check_page(page)
    with page.expect_navigation():
        page.click("form button")
    assert page.locator("h1").inner_text() == "Thank you for telling us"
    check_page(page)
    page.click("form button")  # a reason is never needed, so there is no error page to check
    assert page.locator("h1").inner_text() == "Before you start"


def test_the_verbal_consent_screen_passes_axe(page, app, link):
    with app.extensions["survey_sessions"]() as session:
        record = session.get(VictimSurvivor, link.invitation.victim_survivor_id)
        worker = create_staff(session, "partner_support_worker", sites=[session.get(Site, record.site_id)])
        session.commit()
        study_id = record.study_id
    page.goto(f"{page.live_server}/sign-in")
    page.fill("#email", worker.email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")
    page.goto(f"{page.live_server}/victim-survivors/{study_id}/consent")
    assert page.locator("h1").inner_text() == "Consent on a call"
    assert axe_violations(page) == []
    with page.expect_navigation():
        page.click("main form button[type=submit]")  # nothing chosen: the error summary must pass too
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.goto(f"{page.live_server}/victim-survivors/{study_id}/stop")
    assert axe_violations(page) == []
