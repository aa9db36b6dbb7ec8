"""Consent and the whole of SWEMWBS in Urdu and in Arabic, in a real browser, with JavaScript and
without: every page is in the chosen language and mirrored, passes axe, and what is saved says
which translation each answer was given in and that it is not validated. Screenshots of the
mirrored pages are kept in test-results/screenshots/ (ignored by git), as evidence to look at.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
import yaml
from sqlalchemy import select

from survey_app.config import PROJECT_ROOT, instruments_dir
from survey_app.store.answers import Administration, Answer
from survey_app.store.consent import ConsentEventRow
from survey_app.store.scores import AdministrationScore
from tests.browser.pages import check_page, choose_language, opened_page
from tests.factories import create_linked_person

# Answers chosen so the raw score (their sum, 22) and Warwick's metric score for it (19.98) are known.
ANSWERS = [3, 4, 2, 4, 3, 5, 1]
METRIC_FOR_22 = Fraction("19.98")
# The victim-survivor's statements, in order: no to linking with a partner's answers, yes to the rest.
STATEMENT_ANSWERS = ["yes", "yes", "yes", "yes", "no"]
SCREENSHOTS = ("consent-summary", "consent-check", "question", "check-answers")


@pytest.fixture
def offered(app, monkeypatch):
    """English, Urdu and Arabic offered, as a deployment's SURVEY_LOCALES would list them."""
    monkeypatch.setitem(app.config, "SURVEY_LOCALES", ["en", "ur", "ar"])


@pytest.fixture(scope="module")
def screenshots():
    folder = PROJECT_ROOT / "test-results" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shipped_swemwbs(language: str) -> dict:
    return yaml.safe_load((instruments_dir() / "swemwbs" / f"1.0.{language}.yaml").read_text(encoding="utf-8"))


def submit(page) -> None:
    with page.expect_navigation():
        page.click("main form button[type=submit] >> nth=0")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("language", ["ur", "ar"])
def test_consent_and_swemwbs_completed_in_a_right_to_left_language(browser, live_server, app, offered, screenshots,
                                                                    language, javascript):
    translation = shipped_swemwbs(language)
    token = create_linked_person(app, "victim_survivor", with_code=False)[1].token

    def in_language(name: str | None = None) -> None:
        """This page is in the chosen language and mirrored; the first page of each kind (`name`d)
        also passes axe and fits at 320 px (later pages of a kind differ only in their words). Four
        kinds are screenshotted, with JavaScript (the layout is the same without)."""
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [language, "rtl"], \
            page.url
        if name:
            check_page(page)
            if javascript and name in SCREENSHOTS:
                page.screenshot(path=screenshots / f"{language}-end-to-end-{name}.png", full_page=True)

    with opened_page(browser, live_server, javascript=javascript, width=320, height=640) as page:
        page.goto(f"{live_server}/q/{token}")
        choose_language(page, language)

        in_language("consent-summary")
        with page.expect_navigation():
            page.click("main a.govuk-button")
        for number, answer in enumerate(STATEMENT_ANSWERS):
            in_language("consent-question" if number == 0 else None)
            page.check(f"main input[type=radio][value={answer}]")
            submit(page)
        in_language("consent-check")
        submit(page)

        in_language("introduction")  # with the banner saying the choices are saved
        banner_title = page.locator(".govuk-notification-banner__title").inner_text()
        assert banner_title.strip() and not re.search("[A-Za-z]", banner_title), banner_title  # not GOV.UK's "Success"
        with page.expect_navigation():
            page.click("main a.govuk-button")
        for number, value in enumerate(ANSWERS, start=1):
            assert page.locator("legend").inner_text().strip() == translation["items"][str(number)]
            assert page.locator(f"main label[for] >> nth={value - 1}").inner_text().strip() == \
                translation["scales"]["frequency"][str(value)]
            in_language("question" if number == 1 else None)
            page.check(f"main input[type=radio][value='{value}']")
            submit(page)
        in_language("check-answers")
        submit(page)
        in_language("thank-you")

    with app.extensions["survey_sessions"]() as session:
        [given] = session.scalars(select(ConsentEventRow)).all()
        assert (given.kind, given.mode, given.language, given.document_version) == ("given", "online", language, "1.0")
        [administration] = session.scalars(select(Administration)).all()
        assert administration.language == language and administration.submitted_at is not None
        stored = session.scalars(select(Answer).order_by(Answer.item_number)).all()
        assert [a.value for a in stored] == ANSWERS
        assert {(a.language, a.translation, a.translation_status) for a in stored} == \
            {(language, f"swemwbs/1.0/{language}/1", "unvalidated")}
        scores = {s.score_id: s for s in session.scalars(select(AdministrationScore))}
        assert Fraction(scores["raw"].numerator, scores["raw"].denominator) == sum(ANSWERS)
        assert Fraction(scores["metric"].numerator, scores["metric"].denominator) == METRIC_FOR_22
        assert {s.status for s in scores.values()} == {"complete"}
