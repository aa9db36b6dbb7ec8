"""Sessions end on the server: a copy of a staff cookie kept from before sign-out, a new password,
deactivation or a timeout is refused when it comes back; and the session cookie shows nothing to
whoever holds it."""

from __future__ import annotations

import base64
import binascii
import zlib
from datetime import timedelta

import pytest

from survey_app import clock
from survey_app.services import participant_visits
from survey_app.services import staff as staff_service
from survey_app.services.audit import COMMAND_LINE
from tests.factories import PASSWORD, create_linked_person, create_staff

CASELOAD = "/caseload"


@pytest.fixture
def person(session):
    made = create_staff(session, "case_manager")
    session.commit()
    return made


def signed_in_cookie(client, person) -> str:
    """Sign in through the pages; the session cookie the browser now holds."""
    assert client.post("/sign-in", data={"email": person.email, "password": PASSWORD}).location == CASELOAD
    assert client.get(CASELOAD).status_code == 200
    return client.get_cookie("session").value


def replayed(client, cookie: str) -> int:
    client.set_cookie("session", cookie)
    return client.get(CASELOAD).status_code


def test_a_cookie_kept_from_before_sign_out_is_refused(client, person):
    cookie = signed_in_cookie(client, person)
    client.post("/sign-out")
    assert replayed(client, cookie) == 302


def test_a_new_password_ends_sessions_begun_with_the_old_one(app, client, person, session):
    cookie = signed_in_cookie(client, person)
    token = staff_service.reset_link(session, person.id, staff_service.PASSWORD, COMMAND_LINE)
    staff_service.use_reset(session, token, "a brand new long password")
    assert replayed(client, cookie) == 302


def test_a_session_from_before_deactivation_stays_ended_after_reactivation(client, person, session):
    cookie = signed_in_cookie(client, person)
    staff_service.change_staff(session, person.id, COMMAND_LINE, active=False)
    staff_service.change_staff(session, person.id, COMMAND_LINE, active=True)
    assert replayed(client, cookie) == 302


def test_a_session_that_ran_out_ends_for_every_copy_of_its_cookie(app, client, person, fixed_clock):
    cookie = signed_in_cookie(client, person)
    copy = app.test_client()  # someone else holding the same cookie, keeping it busy
    with clock.set_to(fixed_clock + timedelta(minutes=20)):
        assert replayed(copy, cookie) == 200
    with clock.set_to(fixed_clock + timedelta(minutes=31)):
        assert client.get(CASELOAD).status_code == 302  # the owner's browser: signed out for inactivity
    with clock.set_to(fixed_clock + timedelta(minutes=32)):
        assert copy.get(CASELOAD).status_code == 302


def readable(cookie: str) -> str:
    """Everything a holder of the cookie could read without the server's key: each dot-separated
    part decoded from base64, and inflated where it is compressed (as Flask's own cookie is)."""
    found = [cookie]
    for part in cookie.split("."):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            continue
        try:
            raw = zlib.decompress(raw)
        except zlib.error:
            pass
        found.append(raw.decode("latin-1"))
    return "\n".join(found)


def test_the_participant_cookie_reveals_no_token_code_record_or_progress(app, client):
    _record_id, made = create_linked_person(app, with_code=True)
    client.post(f"/q/{made.token}", data={"code": made.access_code})
    assert client.get(f"/q/{made.token}/start").status_code == 302  # the code was taken
    seen = readable(client.get_cookie("session").value)
    for secret in (made.token, made.access_code, "participant", "invitation", "code_at", "seen_at"):
        assert secret not in seen


def test_even_with_the_server_s_key_the_participant_cookie_holds_only_a_random_key(app, client):
    """Progress (the link, the code's time, the language, consent choices not yet confirmed) is kept on
    the server; the cookie, decrypted with the platform's own key, holds a random key and the form
    protection token, nothing else."""
    _record_id, made = create_linked_person(app, with_code=True)
    client.post(f"/q/{made.token}", data={"code": made.access_code})
    client.post(f"/q/{made.token}/choices/questionnaires", data={"answer": "yes"})
    serializer = app.session_interface.get_signing_serializer(app)
    held = serializer.loads(client.get_cookie("session").value)
    assert set(held) <= {"visit", "csrf_token"} and len(held["visit"]) >= 43
    with app.extensions["survey_sessions"]() as session:
        kept = participant_visits.load(session, held["visit"])
    assert kept["invitation"] == made.invitation.id and kept["choices"]["questionnaires"] is True
