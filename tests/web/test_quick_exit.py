"""What the quick exit and the access code's timeout leave behind in a browser: after the exit a
link with a code asks for it again, a link without one is paused until the practitioner reopens
it, and a code lapses after a while without activity. Answers stay saved throughout.
(The same in a real browser, Back and history included: tests/browser/test_participant_shell.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey_app import clock
from survey_app.store.answers import Answer
from survey_app.store.audit import AuditEntry
from survey_app.store.records import VictimSurvivor
from survey_app.store.staff import Site
from survey_app.store.visits import ParticipantVisit
from tests.factories import create_person_who_agreed, create_staff, sign_in_as
from tests.helpers import main_text, soup, statements_run

NOT_WORKING = "This link is not working"


def first_question(token: str) -> str:
    return f"/q/{token}/questions/swemwbs/1"


def answer_the_first_question(client, made) -> None:
    if made.access_code:
        client.post(f"/q/{made.token}", data={"code": made.access_code})
    response = client.post(first_question(made.token), data={"answer": "4", "seen": "0"})
    assert response.location.endswith("/questions/swemwbs/2")


def saved_answers(session) -> list[int]:
    return [answer.value for answer in session.scalars(select(Answer))]


@pytest.fixture
def coded(app):
    return create_person_who_agreed(app, with_code=True)


@pytest.fixture
def plain(app):
    return create_person_who_agreed(app, with_code=False)


def test_the_exit_ends_the_session_and_goes_to_the_neutral_page(app, client, coded):
    _record_id, made = coded
    answer_the_first_question(client, made)
    exit_href = soup(client.get(first_question(made.token))).select_one(".app-quick-exit__button")["href"]
    response = client.get(exit_href)
    assert response.status_code == 303
    assert response.location == app.config["SURVEY_QUICK_EXIT_URL"]
    assert "session=;" in response.headers["Set-Cookie"]  # the cookie is deleted in this browser
    with app.extensions["survey_sessions"]() as session:  # and its progress on the server
        assert session.scalar(select(func.count()).select_from(ParticipantVisit)) == 0


def test_after_the_exit_a_link_with_a_code_asks_for_it_again(client, session, coded):
    _record_id, made = coded
    answer_the_first_question(client, made)
    client.get("/q/leave")
    for page in (first_question(made.token), f"/q/{made.token}/questions/swemwbs", f"/q/{made.token}/questions/check",
                 f"/q/{made.token}/about"):
        assert client.get(page).location == f"/q/{made.token}", page
    assert soup(client.get(f"/q/{made.token}")).select_one("h1").text.strip() == "Enter your access code"
    assert saved_answers(session) == [4]
    client.post(f"/q/{made.token}", data={"code": made.access_code})
    assert client.get(first_question(made.token)).status_code == 200  # the code opens it again


def test_a_copy_of_the_session_taken_before_the_exit_no_longer_opens_the_questions(app, client, coded):
    """Someone who copied the browser's cookie before the exit, and replays it after, is asked for the code."""
    _record_id, made = coded
    answer_the_first_question(client, made)
    copied = client.get_cookie("session").value
    client.get("/q/leave")
    replay = app.test_client()
    replay.set_cookie("session", copied)
    assert replay.get(first_question(made.token)).location == f"/q/{made.token}"
    # and a code entered afresh after the exit holds as before
    replay.post(f"/q/{made.token}", data={"code": made.access_code})
    assert replay.get(first_question(made.token)).status_code == 200


def test_after_the_exit_a_link_without_a_code_is_paused_until_reopened(app, client, session, plain):
    record_id, made = plain
    answer_the_first_question(client, made)
    client.get("/q/leave")
    for browser in (client, app.test_client()):  # this browser, and any other
        for page in (f"/q/{made.token}", first_question(made.token), f"/q/{made.token}/questions/check"):
            response = browser.get(page)
            assert response.status_code == 404 and main_text(response).startswith(NOT_WORKING), page
    assert saved_answers(session) == [4]

    record = session.get(VictimSurvivor, record_id)
    worker = create_staff(session, "partner_support_worker", sites=[session.get(Site, record.site_id)])
    session.commit()
    staff = app.test_client()
    sign_in_as(staff, worker)
    page = soup(staff.get(f"/victim-survivors/{record.study_id}"))
    assert "paused" in page.select_one(".govuk-tag--yellow").text
    assert "quick exit" in page.get_text(" ")
    reopen = next(form for form in page.select("form") if form["action"].endswith("/reopen"))
    assert staff.post(reopen["action"]).location == f"/victim-survivors/{record.study_id}"
    assert session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("invitation.%"))
                           .order_by(AuditEntry.sequence)).all()[-2:] == [
        "invitation.pause", "invitation.reopen"]
    reopened = client.get(first_question(made.token))
    assert reopened.status_code == 200
    assert soup(reopened).select_one("input[name=answer][checked]")["value"] == "4"


def test_another_site_sending_the_browser_to_the_exit_cannot_pause_a_link(client, plain):
    _record_id, made = plain
    answer_the_first_question(client, made)
    client.get("/q/leave", headers={"Sec-Fetch-Site": "cross-site"})
    assert client.get(first_question(made.token)).status_code == 200


def test_a_link_that_is_not_paused_cannot_be_reopened(app, session, plain):
    record_id, made = plain
    record = session.get(VictimSurvivor, record_id)
    worker = create_staff(session, "partner_support_worker", sites=[session.get(Site, record.site_id)])
    session.commit()
    staff = app.test_client()
    sign_in_as(staff, worker)
    assert staff.post(f"/victim-survivors/{record.study_id}/links/{made.invitation.id}/reopen").status_code == 404


def test_the_access_code_is_asked_again_after_a_while_without_activity(app, client, session, fixed_clock, coded):
    _record_id, made = coded
    answer_the_first_question(client, made)
    with clock.set_to(fixed_clock + timedelta(minutes=14)):
        assert client.get(first_question(made.token)).status_code == 200
    with clock.set_to(fixed_clock + timedelta(minutes=28)):  # 14 minutes after the last page: still in
        assert client.get(first_question(made.token)).status_code == 200
    with clock.set_to(fixed_clock + timedelta(minutes=44)):  # 16 minutes idle
        assert client.get(first_question(made.token)).location == f"/q/{made.token}"
        assert soup(client.get(f"/q/{made.token}")).select_one("h1").text.strip() == "Enter your access code"
        client.post(f"/q/{made.token}", data={"code": made.access_code})
        assert client.get(first_question(made.token)).status_code == 200
    assert saved_answers(session) == [4]


def test_pages_opened_within_a_minute_write_nothing_and_the_code_never_lapses_later(app, client, fixed_clock, coded):
    """The last-page time is written at most once a minute (else every page would write to the
    database), which can only make the code lapse sooner: 15 minutes after the last write at the
    latest. The cookie holds only the visit's key, so it is not sent again."""
    _record_id, made = coded
    answer_the_first_question(client, made)
    for after, written in ((timedelta(seconds=30), []), (timedelta(seconds=90), ["participant_visit"])):
        with clock.set_to(fixed_clock + after), statements_run(app) as ran:
            response = client.get(first_question(made.token))
        assert "Set-Cookie" not in response.headers
        assert [table for table in ("participant_visit",) if any(
            statement.lstrip().upper().startswith("INSERT") and table in statement for statement in ran)] == written
    with clock.set_to(fixed_clock + timedelta(seconds=91, minutes=15)):
        assert client.get(first_question(made.token)).location == f"/q/{made.token}"


def test_the_code_timeout_is_configurable(app, client, fixed_clock, coded, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_CODE_TIMEOUT_MINUTES", 60)
    _record_id, made = coded
    answer_the_first_question(client, made)
    with clock.set_to(fixed_clock + timedelta(minutes=50)):
        assert client.get(first_question(made.token)).status_code == 200


def test_the_shift_hint_is_hidden_until_the_script_shows_it(client, coded):
    _record_id, made = coded
    page = soup(client.get(f"/q/{made.token}"))
    assert page.select_one(".app-quick-exit__hint").has_attr("hidden")
