"""Changing language in the middle of a questionnaire, as a person would: "Change language" at the
foot of a question, the language page, then back to the same question in the new language, with
every answer given before it kept. With JavaScript and without."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.store.answers import Answer
from tests.browser.pages import check_page, choose, opened_page, submit_by_keyboard
from tests.factories import create_person_who_agreed


@pytest.fixture
def link(app):
    """A victim-survivor who has agreed, with a T1 link (SWEMWBS, 7 questions, shipped in Urdu and Arabic)."""
    return create_person_who_agreed(app, "victim_survivor", with_code=False)[1]


def saved_answers(app) -> dict[int, tuple[int, str]]:
    with app.extensions["survey_sessions"]() as session:
        return {a.item_number: (a.value, a.language) for a in session.scalars(select(Answer))}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_switching_language_mid_questionnaire_keeps_every_answer(browser, live_server, app, link, javascript):
    with opened_page(browser, live_server, javascript=javascript, width=320, height=640) as page:
        page.goto(f"{live_server}/q/{link.token}")
        with page.expect_navigation():
            page.click("main a.govuk-button")
        for number, value in ((1, "2"), (2, "5"), (3, "3")):
            assert page.locator("#progress").inner_text() == f"Question {number} of 7"
            choose(page, value)
        question_four = page.url
        with page.expect_navigation():
            page.click("#change-language")
        assert page.locator("input[name=language][value=en]").is_checked(), "the language in use is chosen"
        assert page.locator("label[lang=ur]").inner_text() == "اردو"
        check_page(page)
        page.check("input[name=language][value=ur]")
        submit_by_keyboard(page)

        assert page.url == question_four, "back on the question the person left"
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ur", "rtl"]
        check_page(page)
        assert saved_answers(app) == {1: (2, "en"), 2: (5, "en"), 3: (3, "en")}
        for value in ("4", "1", "2", "5"):
            choose(page, value)
        assert page.locator(".govuk-summary-list__row").count() == 7
        check_page(page)
    assert saved_answers(app) == {1: (2, "en"), 2: (5, "en"), 3: (3, "en"),
                                  4: (4, "ur"), 5: (1, "ur"), 6: (2, "ur"), 7: (5, "ur")}
