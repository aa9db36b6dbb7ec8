"""While the database cannot be reached, people get a calm page in their own shell (503, try again,
what they gave is kept), and the log says so once per outage, not with a traceback per request."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from survey_app.services import outage
from survey_app.store.db import make_engine
from tests.databases import backend
from tests.factories import create_linked_person, create_person_who_agreed, create_site, create_staff, sign_in_as
from tests.helpers import ABUSE_WORDS, soup

UNREACHABLE = {"sqlite": "sqlite:////nonexistent-folder-for-tests/survey.sqlite3",
               "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/survey?connect_timeout=2"}


@pytest.fixture
def database(app, monkeypatch):
    """`cut()` points the app at a database that cannot be reached; `restore()` brings it back."""
    working = app.extensions["survey_sessions"]
    monkeypatch.setattr(outage, "_down", False)  # each test starts with the database up, as far as the log knows
    broken = make_engine(UNREACHABLE[backend()])

    class Switch:
        @staticmethod
        def cut():
            monkeypatch.setitem(app.extensions, "survey_sessions", sessionmaker(bind=broken, expire_on_commit=False))

        @staticmethod
        def restore():
            app.extensions["survey_sessions"] = working

    yield Switch
    broken.dispose()


@pytest.fixture
def link_path(app) -> str:
    _record_id, made = create_linked_person(app, "service_user", with_code=False)
    return f"/q/{made.token}"


@pytest.fixture
def staff(app):
    with app.extensions["survey_sessions"]() as session:
        person = create_staff(session, "case_manager", sites=[create_site(session)])
        session.commit()
        return person


def outage_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "survey_app.database"]


def test_a_participant_gets_a_calm_page_in_their_shell_while_the_database_is_down(client, link_path,
                                                                                  database):
    database.cut()
    response = client.get(f"{link_path}/start?from=text")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    page = soup(response)
    assert page.select_one("h1").text == "Sorry, there is a problem"
    main = page.select_one("main").get_text(" ")
    assert "Anything already saved is kept." in main and "Try again later." in main
    assert page.select_one("main a.govuk-button")["href"] == f"{link_path}/start?from=text", "retry the same page"
    assert page.select_one("#quick-exit") is not None, "the quick exit stays in view"
    assert page.select_one("title").text == "Sorry, there is a problem – Questionnaire"
    assert not ABUSE_WORDS.search(page.get_text(" "))


def test_a_form_sent_while_the_database_is_down_offers_its_page_again(client, link_path, database):
    database.cut()
    response = client.post(f"{link_path}/choices/questionnaires", data={"answer": "yes"})
    assert response.status_code == 503
    assert soup(response).select_one("main a.govuk-button")["href"] == f"{link_path}/choices/questionnaires"


def test_staff_get_the_same_page_in_the_staff_shell(client, staff, database):
    sign_in_as(client, staff)  # (signed in before the outage: the cookie says so)
    database.cut()
    response = client.get("/caseload")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    page = soup(response)
    assert page.select_one("h1").text == "Sorry, there is a problem"
    assert page.select_one("#quick-exit") is None
    assert page.select_one("main a.govuk-button")["href"] == "/caseload"


def test_the_log_says_it_once_per_outage_without_tracebacks(client, link_path, database, caplog):
    database.cut()
    caplog.set_level(logging.INFO)
    for _ in range(5):
        assert client.get(link_path).status_code == 503
    [line] = outage_lines(caplog)
    assert line.startswith("The database cannot be reached")
    assert not any(r.exc_info for r in caplog.records), "no traceback per request"

    database.restore()
    assert client.get(f"{link_path}/start").status_code in (200, 302)
    assert outage_lines(caplog)[1:] == ["The database answers again"]
    database.cut()
    assert client.get(link_path).status_code == 503
    assert len(outage_lines(caplog)) == 3, "a new outage is logged again"


@pytest.mark.parametrize("ending", ["answer", "page"])
def test_a_database_lost_after_the_page_s_own_work_leaves_its_reply_standing(app, client, monkeypatch, ending):
    """A restart between a page's last statement and the rollback that ends its request: the reply
    the page made (the redirect after a saved answer, the page itself) is sent, not a server error."""
    _record_id, made = create_person_who_agreed(app, "victim_survivor", with_code=False)
    question = f"/q/{made.token}/questions/swemwbs/1"
    assert client.get(question).status_code == 200
    lost = OperationalError("ROLLBACK", {}, Exception("server closed the connection unexpectedly"),
                            connection_invalidated=True)

    def close_fails(_session):
        raise lost

    monkeypatch.setattr(Session, "close", close_fails)
    if ending == "answer":
        response = client.post(question, data={"answer": "3", "seen": "0"})
        assert response.status_code == 302 and response.location.endswith("/questions/swemwbs/2")
    else:
        assert client.get(question).status_code == 200
