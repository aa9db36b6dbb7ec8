"""The record shows each sent questionnaire's answers item by item, and which items a score lacks."""

from __future__ import annotations

import pytest

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.store.records import ServiceUser
from tests.factories import create_agreed_case, create_sent_administration
from tests.helpers import statements_run

URICA_ITEMS = 32


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(instruments_dir())


@pytest.fixture
def case(app, client_request):
    """A case manager signed in and a service user at their site who agreed to the questionnaires."""
    with app.extensions["survey_sessions"]() as session:
        worker, person = create_agreed_case(session, app.config)
        session.commit()
        client_request.sign_in(worker)
        return person.id, f"/service-users/{person.study_id}"


def send(app, record_id, catalogue, timepoint="T1", **answers):
    with app.extensions["survey_sessions"]() as session:
        create_sent_administration(session, session.get(ServiceUser, record_id), catalogue, timepoint, **answers)
        session.commit()


def answer_rows(page, timepoint_index: int, caption: str) -> list[list[str]]:
    shown = page.select_one(f"#answers-{timepoint_index}")
    table = next(t for t in shown.select("table") if t.caption.text.startswith(caption))
    return [[cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in table.select("tbody tr")]


def test_each_answer_shows_with_its_question_its_label_or_missing_reason_and_the_mode(app, client_request, case,
                                                                                        catalogue):
    record_id, record = case
    send(app, record_id, catalogue, values={"urica": [5] + [1] * (URICA_ITEMS - 1)}, declined=(2,))
    page = client_request.get(record)
    summary = page.select_one("#answers-1 summary").get_text(" ", strip=True)
    assert summary == "T1 answers, sent 30/11/2026"
    urica = catalogue.get("urica")
    rows = answer_rows(page, 1, "URICA")
    assert len(rows) == URICA_ITEMS
    assert rows[0] == [f"1. {urica.items[0].text}", "Strongly Agree", "Own device, with a link"]
    assert rows[1] == [f"2. {urica.items[1].text}", "Declined to answer", "Own device, with a link"]
    assert rows[2][1] == "Strongly Disagree"


def test_a_score_without_enough_answers_names_the_items_missing(app, client_request, case, catalogue):
    record_id, record = case
    send(app, record_id, catalogue, declined=(1, 5))
    cells = {row.th.text: row.td.text for row in client_request.get(record).select("#scores ~ [role=region] table tbody tr")}
    assert cells["Precontemplation (mean of 7 items)"] == "not enough answers (no answer to questions 1, 5)"


def test_the_record_page_asks_the_database_the_same_number_of_times_however_many_were_sent(
        app, client_request, case, catalogue):
    record_id, record = case
    send(app, record_id, catalogue, "T1")
    with statements_run(app) as one:
        client_request.get(record)
    send(app, record_id, catalogue, "T2")
    send(app, record_id, catalogue, "T2")
    with statements_run(app) as three:
        page = client_request.get(record)
    assert len(page.select("details[id^=answers-]")) == 3
    assert len(three) == len(one)
