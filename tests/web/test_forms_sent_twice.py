"""A form sent twice is acted on once: a person whose reply was lost after the save (a dropped
connection) presses the button again, and the browser sends the same form with the cookie it had
before. No second consent event, no double count in the tallies, no second record."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from survey_app.services import records
from survey_app.store.consent import ConsentEventRow, ConsentTally
from survey_app.store.records import ServiceUser
from tests.factories import create_linked_person, create_record, create_site, create_staff, sign_in_as
from tests.helpers import soup

STATEMENTS = ("questionnaires", "share_answers", "share_monitoring", "interview_contact", "link_partner")
ALL_YES = {"questionnaires": "yes", "share_answers": "yes", "share_monitoring": "yes",
           "interview_contact": "yes", "link_partner": "no"}


@pytest.fixture
def person(app):
    record_id, link = create_linked_person(app, "service_user", with_code=False)
    return record_id, f"/q/{link.token}"


@pytest.fixture
def practitioner_case(app):
    with app.extensions["survey_sessions"]() as session:
        site = create_site(session)
        record = create_record(session, records.keyrings(app.config)["service_user"], "service_user", site)
        staff = create_staff(session, "case_manager", sites=[site])
        session.commit()
        return record.id, record.study_id, staff, site.id


def kinds(app, record_id) -> list[str]:
    with app.extensions["survey_sessions"]() as session:
        return list(session.scalars(select(ConsentEventRow.kind).where(ConsentEventRow.record_id == record_id)
                                    .order_by(ConsentEventRow.id)))


def tallies(app) -> dict:
    with app.extensions["survey_sessions"]() as session:
        return {(t.outcome, t.reason): t.count for t in session.scalars(select(ConsentTally))}


def token(page) -> str:
    found = page.select_one("form input[type=hidden][name=once]")
    assert found is not None and len(found["value"]) >= 20, "the form carries its own token"
    return found["value"]


@contextmanager
def reply_lost(client):
    """Whatever the request in the block did to the browser's cookie never reached the browser."""
    with client.session_transaction() as before:
        kept = dict(before)
    yield
    with client.session_transaction() as after:
        after.clear()
        after.update(kept)


def test_consent_confirmed_twice_is_saved_and_counted_once(app, client, person):
    record_id, path = person
    for statement in STATEMENTS:
        client.post(f"{path}/choices/{statement}", data={"answer": "yes"})
    once = token(soup(client.get(f"{path}/choices/check")))
    with reply_lost(client):
        assert client.post(f"{path}/choices/check", data={"once": once}).status_code == 302
    again = client.post(f"{path}/choices/check", data={"once": once})
    assert again.location == f"{path}/ready?saved=1", "the retry ends where the first post did"
    assert kinds(app, record_id) == ["given"]
    assert tallies(app) == {("asked", ""): 1, ("given", ""): 1}


def test_a_new_page_is_a_new_decision(app, client, person):
    """The token belongs to the page as drawn: a later decision on a fresh page is recorded."""
    record_id, path = person
    client.post(f"{path}/choices/questionnaires", data={"answer": "not_now"})
    first = token(soup(client.get(f"{path}/reason")))
    client.post(f"{path}/reason", data={"once": first})
    client.post(f"{path}/decided")
    client.post(f"{path}/choices/questionnaires", data={"answer": "no"})
    second = token(soup(client.get(f"{path}/reason")))
    assert second != first
    client.post(f"{path}/reason", data={"once": second})
    assert kinds(app, record_id) == ["not_now", "declined"]


def test_not_now_sent_twice_is_counted_once(app, client, person):
    record_id, path = person
    client.post(f"{path}/choices/questionnaires", data={"answer": "not_now"})
    once = token(soup(client.get(f"{path}/reason")))
    with reply_lost(client):
        client.post(f"{path}/reason", data={"reason": "worried_who_sees", "once": once})
    assert client.post(f"{path}/reason", data={"reason": "worried_who_sees", "once": once}).location == \
        f"{path}/decided"
    assert kinds(app, record_id) == ["not_now"]
    assert tallies(app) == {("asked", ""): 1, ("not_now", "worried_who_sees"): 1}


def test_verbal_consent_recorded_twice_is_saved_once(app, client, practitioner_case):
    record_id, study_id, staff, _site = practitioner_case
    sign_in_as(client, staff)
    once = token(soup(client.get(f"/service-users/{study_id}/consent")))
    form = {"outcome": "given", **ALL_YES, "language": "en", "read_out": "y", "once": once}
    for _ in range(2):
        assert client.post(f"/service-users/{study_id}/consent", data=form).location == f"/service-users/{study_id}"
    assert kinds(app, record_id) == ["given"]
    assert tallies(app) == {("asked", ""): 1, ("given", ""): 1}


def test_a_withdrawal_recorded_twice_is_saved_once(app, client, practitioner_case):
    record_id, study_id, staff, _site = practitioner_case
    sign_in_as(client, staff)
    once = token(soup(client.get(f"/service-users/{study_id}/stop")))
    for _ in range(2):
        response = client.post(f"/service-users/{study_id}/stop", data={"keep": "keep", "once": once})
        assert response.location == f"/service-users/{study_id}"
    assert kinds(app, record_id) == ["withdrawn"]
    assert tallies(app) == {("withdrawn", ""): 1}


def test_a_participant_withdrawal_sent_twice_is_saved_once(app, client, person):
    record_id, path = person
    once = token(soup(client.get(f"{path}/stop")))
    with reply_lost(client):
        assert client.post(f"{path}/stop", data={"keep": "keep", "once": once}).status_code == 200
    client.post(f"{path}/stop", data={"keep": "keep", "once": once})
    assert kinds(app, record_id) == ["withdrawn"]
    assert tallies(app) == {("withdrawn", ""): 1}


def test_a_new_record_sent_twice_is_made_once(app, client, practitioner_case):
    _record_id, _study_id, staff, site_id = practitioner_case
    sign_in_as(client, staff)
    once = token(soup(client.get("/service-users/new")))
    form = {"name": "Cy Testperson", "site": site_id, "referral_date": ["2", "11", "2026"],
            "referral_source": "housing", "once": once}
    first = client.post("/service-users/new", data=form)
    second = client.post("/service-users/new", data=form)
    assert first.status_code == 302 and second.location == first.location, "the retry shows the same record"
    with app.extensions["survey_sessions"]() as session:
        assert session.scalar(select(func.count()).select_from(ServiceUser)) == 2
