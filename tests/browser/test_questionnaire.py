"""Answering a questionnaire in a real browser: keyboard only, 320 px wide, with JavaScript and
without; axe on every kind of questionnaire page."""

from __future__ import annotations

import pytest

from survey_app.domain.catalogue import load_catalogue
from survey_app.services import consent, questionnaires
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.invitations import Invitation
from survey_app.store.records import ServiceUser, VictimSurvivor
from survey_app.store.staff import Site
from tests.browser.pages import check_page, choose, opened_page, submit_by_keyboard, tab_to
from tests.factories import create_person_who_agreed, PASSWORD, create_linked_person, create_staff


@pytest.fixture
def link(app):
    """A victim-survivor who has agreed, with a T1 link (SWEMWBS, 7 questions)."""
    return create_person_who_agreed(app, "victim_survivor", with_code=False)[1]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_questionnaire_by_keyboard_at_320_px(browser, live_server, app, link, javascript):
    with opened_page(browser, live_server, javascript=javascript, width=320, height=640) as page:
        page.goto(f"{live_server}/q/{link.token}")
        assert page.locator("h1").inner_text() == "How you have been feeling"
        check_page(page)
        tab_to(page, "main a.govuk-button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        for number in range(1, 8):
            assert page.locator("#progress").inner_text() == f"Question {number} of 7"
            if number in (1, 7):
                check_page(page)
            choose(page, "4")
        assert page.locator("h1").inner_text() == "Check your answers"
        check_page(page)
        submit_by_keyboard(page)
        assert "Answers sent" in page.locator("h1").inner_text()
        check_page(page)


def answer_in_advance(app, invitation_id: int, instrument: str, numbers: range) -> None:
    """Answers saved as if given earlier, so a test can start near the end of a measure."""
    catalogue = load_catalogue(app.config["SURVEY_INSTRUMENTS_DIR"])
    sitting = questionnaires.Sitting(questionnaires.LINK, frozenset({"questionnaires"}))
    with app.extensions["survey_sessions"]() as session:
        administration = questionnaires.administration_for(session, session.get(Invitation, invitation_id))
        definition = catalogue.get(instrument)
        for number in numbers:
            questionnaires.save(session, administration, definition, number, questionnaires.GivenAnswer(3), sitting, 0)
        session.commit()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_second_measure_starts_with_its_introduction(browser, live_server, app, javascript):
    """A service user at T2: URICA's instructions and answers, then WAI-SR's introduction, then stopping."""
    record_id, made = create_linked_person(app, "service_user", with_code=False, timepoint="T2")
    with app.extensions["survey_sessions"]() as session:
        consent.record_decision(session, session.get(ServiceUser, record_id),
                                consent.Decision("given", "1.0", "en", "online", {"questionnaires": True}),
                                COMMAND_LINE)
        session.commit()
    with opened_page(browser, live_server, javascript=javascript, width=320, height=640) as page:
        page.goto(f"{live_server}/q/{made.token}")
        assert page.locator("h1").inner_text() == "Part 1 of 2: Thinking about change"
        assert page.locator("main ul li").all_inner_texts() == ["Strongly Disagree", "Disagree", "Undecided",
                                                                "Agree", "Strongly Agree"]
        check_page(page)
        answer_in_advance(app, made.invitation.id, "urica", range(1, 32))
        page.goto(f"{live_server}/q/{made.token}/questions/urica/32")
        choose(page, "3")
        assert page.locator("h1").inner_text() == "Part 2 of 2: You and your case manager"
        check_page(page)
        with page.expect_navigation():
            page.click("text=Stop taking part")
        assert page.locator("legend").inner_text() == "What should happen to the answers you have already given?"
        check_page(page)


def test_the_error_and_conflict_messages_pass_axe(page, link):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{page.live_server}/q/{link.token}/questions/swemwbs/1")
    with page.expect_navigation():
        page.click("main form button >> nth=0")  # nothing chosen
    assert page.locator(".govuk-error-summary").is_visible()
    check_page(page)


def test_the_assisted_pages_pass_axe(page, app, link):
    """The shared screen and the phone script, each with its record page afterwards."""
    with app.extensions["survey_sessions"]() as session:
        record = session.get(VictimSurvivor, link.invitation.victim_survivor_id)
        worker = create_staff(session, "partner_support_worker", sites=[session.get(Site, record.site_id)])
        session.commit()
        base = f"/victim-survivors/{record.study_id}/links/{link.invitation.id}"
    page.goto(f"{page.live_server}/sign-in")
    page.fill("#email", worker.email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{page.live_server}{base}/phone")  # who is helping, before the first question
    check_page(page)
    page.goto(f"{page.live_server}{base}/screen")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.startswith(f"{page.live_server}/screen/")  # a neutral address from here on
    screen = page.url.removesuffix("/questions/swemwbs")
    for step in ("swemwbs", "swemwbs/1"):  # the introduction, a question
        page.goto(f"{screen}/questions/{step}")
        check_page(page)
    for step in ("swemwbs", "swemwbs/1"):  # the phone's reading script, a question
        page.goto(f"{page.live_server}{base}/phone/questions/{step}")
        check_page(page)
    page.keyboard.press("5")  # the phone script's shortcut for the fifth choice
    assert page.evaluate("document.activeElement.value") == "5"
    page.keyboard.press("d")
    assert page.evaluate("document.activeElement.value") == "missing:declined"
