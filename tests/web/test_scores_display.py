"""Scores on screen keep their exactness: the definition's decimal places, a sign on changes, the
locale's decimal sign, never a float on the way; score statuses are translated like other words."""

from __future__ import annotations

from fractions import Fraction

import pytest
from flask_babel import force_locale

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain import scoring
from survey_app.domain.change import Change
from survey_app.domain.scoring import COMPLETE, INSUFFICIENT, PRORATED, Score
from survey_app.services import invitations, questionnaires
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.records import ServiceUser
from survey_app.web import text
from survey_app.web.formatting import score_number, score_status
from tests.factories import create_agreed_case, give_browser_progress, sign_in_as
from tests.helpers import soup

ON_OWN = questionnaires.Sitting(questionnaires.LINK, frozenset({"questionnaires", "share_answers"}))
PRECONTEMPLATION_ITEM = 1


def a_score(numerator, denominator=1, decimals=2, status=COMPLETE) -> Score:
    return Score("action", numerator, denominator, status, (), (), decimals)


def a_change(difference: Fraction, decimals=2) -> Change:
    return Change("action", a_score(1, decimals=decimals), a_score(1, decimals=decimals), difference,
                  None, None, None)


@pytest.mark.parametrize("shown, expected", [
    (a_score(3, 2), "1.50"),
    (a_score(4), "4.00"),
    (a_score(12, decimals=0), "12"),
    (a_score(-15, 7), "-2.14"),
    (a_score(-1, 8), "-0.13"),  # half away from zero, as the domain rounds, not to even
    (a_change(Fraction(3, 2)), "+1.50"),
    (a_change(Fraction(-1)), "-1.00"),
    (a_change(Fraction(0)), "0.00"),
    (a_change(Fraction(1, 200)), "+0.01"),
    (a_change(Fraction(7), decimals=0), "+7"),
    (a_score(123456, 100), "1,234.56"),
])
def test_a_score_or_a_change_shows_the_definitions_places(app, shown, expected):
    with app.test_request_context():
        assert score_number(shown) == expected


def test_the_decimal_sign_is_the_readers(app):
    with app.test_request_context(), force_locale("de"):
        assert score_number(a_change(Fraction(3, 2))) == "+1,50"
        assert score_number(a_score(123456, 100)) == "1.234,56"


def test_a_score_that_could_not_be_worked_out_shows_no_number(app):
    with app.test_request_context():
        assert score_number(a_score(None, status=INSUFFICIENT)) == ""
        assert score_number(Change("action", a_score(1), a_score(None), None, None, None, None)) == ""


def test_statuses_are_named_through_the_translation(app, monkeypatch):
    monkeypatch.setattr(text, "gettext", lambda words, **values: f"«{words}»")
    with app.test_request_context():
        assert [score_status(a_score(1, status=status)) for status in (COMPLETE, PRORATED, INSUFFICIENT)] == [
            "«complete»", "«prorated»", "«not enough answers»"]


# --- on the pages -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(instruments_dir())


def answered(session, person, catalogue, timepoint: str, value: int, declined: int | None = None):
    """A sent administration with every answer `value`, except a declined item."""
    link = invitations.create(session, person, timepoint, COMMAND_LINE, None, with_code=False)
    administration = questionnaires.begin(session, link.invitation, person, catalogue, "en",
                                          confirmation_required=False)
    for definition in questionnaires.definitions(administration, catalogue):
        for item in definition.items:
            refused = definition.id == "urica" and item.number == declined
            given = questionnaires.GivenAnswer(missing_reason="declined") if refused else \
                questionnaires.GivenAnswer(value=value)
            questionnaires.save(session, administration, definition, item.number, given, ON_OWN, 0)
    questionnaires.submit(session, administration, link.invitation, catalogue, COMMAND_LINE)
    return administration


@pytest.fixture
def case(app, client, catalogue):
    """A case manager signed in and a service user at their site who agreed to the questionnaires."""
    with app.extensions["survey_sessions"]() as session:
        worker, person = create_agreed_case(session, app.config)
        session.commit()
        sign_in_as(client, worker)
        return person.id, person.study_id


def sent(app, record_id, catalogue, timepoint, value, declined=None) -> int:
    with app.extensions["survey_sessions"]() as session:
        administration = answered(session, session.get(ServiceUser, record_id), catalogue, timepoint, value, declined)
        session.commit()
        return administration.id


def score_rows(page) -> dict[str, list[str]]:
    table = page.select_one("#scores + [role=region] table")
    return {row.select_one("th").text: [cell.text for cell in row.select("td")] for row in table.select("tbody tr")}


@pytest.mark.parametrize("before, after, change", [(2, 3, "+1.00"), (3, 2, "-1.00")])
def test_the_record_shows_scores_and_change_with_their_places(app, client, case, catalogue, before, after, change):
    record_id, study_id = case
    sent(app, record_id, catalogue, "T1", before)
    sent(app, record_id, catalogue, "T2", after, declined=PRECONTEMPLATION_ITEM)
    rows = score_rows(soup(client.get(f"/service-users/{study_id}")))
    assert rows["Action (mean of 7 items)"] == [f"{before}.00", f"{after}.00", change]
    assert rows["Precontemplation (mean of 7 items)"] == [f"{before}.00",
                                                          "not enough answers (no answer to question 1)", "–"]


def test_score_statuses_on_the_record_and_the_thank_you_page_are_translated(app, client, case, catalogue,
                                                                            monkeypatch):
    record_id, study_id = case
    finished = sent(app, record_id, catalogue, "T1", 4, declined=PRECONTEMPLATION_ITEM)
    monkeypatch.setattr(text, "gettext", lambda words, **values: f"«{words}»")
    rows = score_rows(soup(client.get(f"/service-users/{study_id}")))
    assert rows["Precontemplation (mean of 7 items)"] == ["«not enough answers» (no answer to question 1)"]
    assert rows["Action (mean of 7 items)"] == ["4.00"]

    monkeypatch.setitem(app.config, "SURVEY_SHOW_SCORES_TO_PARTICIPANTS", True)
    participant = app.test_client()
    give_browser_progress(participant, {"finished": finished})
    shown = soup(participant.get("/q/thank-you")).select_one("#scores-urica")
    assert [value.text for value in shown.select(".govuk-summary-list__value")] == [
        "«not enough answers»", "4.00", "4.00", "4.00", "«not enough answers»"]


def test_the_record_and_thank_you_pages_read_stored_scores_without_scoring_again(app, client, case, catalogue,
                                                                                 monkeypatch):
    record_id, study_id = case
    sent(app, record_id, catalogue, "T1", 2)
    finished = sent(app, record_id, catalogue, "T2", 3, declined=PRECONTEMPLATION_ITEM)

    def no_scoring(*_args, **_kwargs):
        raise AssertionError("a page scored answers again instead of reading the stored scores")

    monkeypatch.setattr(scoring.Scorer, "score", no_scoring)
    rows = score_rows(soup(client.get(f"/service-users/{study_id}")))
    assert rows["Action (mean of 7 items)"] == ["2.00", "3.00", "+1.00"]
    assert rows["Precontemplation (mean of 7 items)"] == ["2.00", "not enough answers (no answer to question 1)", "–"]

    monkeypatch.setitem(app.config, "SURVEY_SHOW_SCORES_TO_PARTICIPANTS", True)
    participant = app.test_client()
    give_browser_progress(participant, {"finished": finished})
    shown = soup(participant.get("/q/thank-you")).select_one("#scores-urica")
    assert [value.text for value in shown.select(".govuk-summary-list__value")][1:4] == ["3.00"] * 3
