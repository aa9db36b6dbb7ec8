"""Error pages: each failure has its own plain page, in the participant shell on a participant's
page (quick exit, neutral title, nothing revealing) and the staff shell elsewhere; no-store always."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from flask import abort
from sqlalchemy import select

from survey_app import create_app
from survey_app.extensions import db_session
from survey_app.services import attempts, consent
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.answers import Answer
from survey_app.store.records import ServiceUser
from survey_app.store.staff import Site
from survey_app.web.session import current_staff
from survey_app.web import permissions
from survey_app.web.limits import limited
from tests.factories import create_linked_person, create_staff, sign_in_as
from tests.helpers import ABUSE_WORDS, main_text, soup

STAFF_URL = "/staff-page-for-tests"
PARTICIPANT_URL = "/q/page-for-tests"


@pytest.fixture
def make_app(database_url, app, monkeypatch):
    """A fresh app on the test database, with extra settings, and one route at a staff URL and one at
    a participant URL that does `action` (routes must be added before an app's first request).
    The role wall lets anyone reach the two routes, as it does the participant pages."""
    made = []
    for endpoint in ("staff_test_page", "participant_test_page"):
        monkeypatch.setitem(permissions.ACCESS, endpoint, permissions.EVERYONE)

    def make(action, **settings):
        fresh = create_app({"TESTING": True, "SURVEY_MODE": "development", "SURVEY_DATABASE_URL": database_url,
                            "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test-secret-key", **settings})
        fresh.add_url_rule(STAFF_URL, "staff_test_page", action, methods=["GET", "POST"])
        fresh.add_url_rule(PARTICIPANT_URL, "participant_test_page", action, methods=["GET", "POST"])
        made.append(fresh)
        return fresh

    yield make
    for fresh in made:
        fresh.extensions["survey_engine"].dispose()


@pytest.fixture
def link(app):
    """A person with a T1 link and an access code: (record id, path of the link, the code)."""
    record_id, made = create_linked_person(app, "service_user", with_code=True)
    return record_id, f"/q/{made.token}", made.access_code


def check_shell(response, participant: bool, status: int, heading: str):
    page = soup(response)
    assert response.status_code == status
    assert page.select_one("h1").text == heading
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers
    assert (page.select_one("#quick-exit") is not None) is participant
    assert (page.select_one(".app-staff-nav, a.app-header__name") is not None) is not participant
    if participant:
        assert page.select_one("title").text == f"{heading} – Questionnaire"
        assert not ABUSE_WORDS.search(page.get_text(" "))
    return page


def test_a_participant_page_that_no_longer_exists_is_a_link_not_working(client, link):
    _record_id, path, _code = link
    response = client.get(f"{path}/no-such-page")
    check_shell(response, True, 404, "This link is not working")


def test_a_staff_page_that_does_not_exist_is_page_not_found(client):
    check_shell(client.get("/no-such-page"), False, 404, "Page not found")


def test_a_page_opened_the_wrong_way_has_its_own_page(client, link):
    _record_id, path, _code = link
    check_shell(client.put(path), True, 405, "This page cannot be opened that way")
    check_shell(client.get("/sign-out"), False, 405, "This page cannot be opened that way")


@pytest.mark.parametrize("url, participant", [(PARTICIPANT_URL, True), (STAFF_URL, False)])
def test_a_bad_request_has_its_own_page(make_app, url, participant):
    client = make_app(lambda: abort(400)).test_client()
    page = check_shell(client.post(url), participant, 400, "Sorry, there is a problem with that request")
    assert "Go back, reload the page and try again." in page.select_one("main").text


def test_too_much_sent_is_refused_with_its_own_page(client, link):
    _record_id, path, _code = link
    too_long = {"code": "1" * (300 * 1024)}
    page = check_shell(client.post(path, data=too_long), True, 413, "What you sent is too long")
    assert "Anything already saved is kept." in page.select_one("main").text
    check_shell(client.post("/sign-in", data={"email": "x" * (300 * 1024)}), False, 413, "What you sent is too long")


def test_a_form_sent_after_its_session_ended_has_expired_and_changes_nothing(app, make_app, link):
    record_id, path, code = link
    with app.extensions["survey_sessions"]() as session:
        person = session.get(ServiceUser, record_id)
        consent.record_decision(session, person, consent.Decision("given", "1.0", "en", "online",
                                                                  {"questionnaires": True}), COMMAND_LINE)
        session.commit()
    client = make_app(lambda: "", WTF_CSRF_ENABLED=True).test_client()
    form = soup(client.get(path))
    client.post(path, data={"code": code, "csrf_token": form.select_one("input[name=csrf_token]")["value"]})
    question = soup(client.get(f"{path}/questions/urica/1"))
    token = question.select_one("input[name=csrf_token]")["value"]
    assert client.post(f"{path}/questions/urica/1", data={"answer": "3", "csrf_token": token}).status_code == 302

    # The second tab, or a page left open past the session: the form comes back without its token.
    expired = client.post(f"{path}/questions/urica/1", data={"answer": "5"})
    page = check_shell(expired, True, 400, "This page has expired")
    assert main_text(expired) == ("This page has expired Anything already saved is kept. "
                                  "Go back, reload the page and try again.")
    with app.extensions["survey_sessions"]() as session:
        assert [(a.item_number, a.value) for a in session.scalars(select(Answer))] == [(1, 3)]
    assert page.select_one("#quick-exit")

    staff = client.post("/sign-in", data={"email": "someone@example.org", "password": "not checked"})
    check_shell(staff, False, 400, "This page has expired")


def test_too_many_tries_says_how_long_to_wait(make_app, link):
    _record_id, path, _code = link
    client = make_app(lambda: "").test_client()
    statuses = [client.post(path, data={"code": "000000"}).status_code for _ in range(21)]
    assert statuses[-1] == 429 and 429 not in statuses[:20]
    refused = client.post(path, data={"code": "000000"})
    check_shell(refused, True, 429, "Please wait before trying again")
    # The window is 15 minutes and began with the first try, moments ago.
    assert main_text(refused).endswith("Wait 15 minutes, then try again.")
    assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60


def test_too_many_tries_on_a_staff_page_uses_the_limits_own_window(make_app):
    fresh = make_app(lambda: "ok")
    once = attempts.Limit("test", 1, timedelta(minutes=2))
    fresh.view_functions["staff_test_page"] = limited(once)(fresh.view_functions["staff_test_page"])
    client = fresh.test_client()
    assert client.post(STAFF_URL).status_code == 200
    refused = client.post(STAFF_URL)
    check_shell(refused, False, 429, "Please wait before trying again")
    assert main_text(refused).endswith("Wait 2 minutes, then try again.")
    assert 60 < int(refused.headers["Retry-After"]) <= 120


@pytest.mark.parametrize("url, participant", [(PARTICIPANT_URL, True), (STAFF_URL, False)])
def test_a_failure_is_logged_shows_a_plain_page_and_keeps_nothing_half_done(app, make_app, url, participant,
                                                                            caplog):
    def half_done_then_fails():
        db_session().add(Site(name="Half done"))
        db_session().flush()
        raise RuntimeError("a bug")

    client = make_app(half_done_then_fails, PROPAGATE_EXCEPTIONS=False).test_client()
    with caplog.at_level(logging.ERROR):
        response = client.post(url)
    page = check_shell(response, participant, 500, "Sorry, there is a problem")
    assert "Try again later." in page.select_one("main").text
    assert "RuntimeError: a bug" in caplog.text
    with app.extensions["survey_sessions"]() as session:
        assert session.scalars(select(Site).where(Site.name == "Half done")).all() == []


def test_a_failure_after_a_refused_write_still_shows_the_signed_in_staff_page(make_app, session):
    def refused_write():
        current_staff()  # as every staff page does first
        db_session().add(Site(name=None))
        db_session().flush()  # refused by the database: the session can do nothing more until rolled back

    client = make_app(refused_write, PROPAGATE_EXCEPTIONS=False).test_client()
    staff = create_staff(session)
    session.commit()
    sign_in_as(client, staff)
    page = check_shell(client.get(STAFF_URL), False, 500, "Sorry, there is a problem")
    assert page.select_one(".app-staff-nav")
