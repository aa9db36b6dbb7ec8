"""Attempt limits that hold when many tries arrive at once: run against the real database (SQLite or
PostgreSQL, SURVEY_TEST_DB), each try in its own thread with its own connection, as gunicorn's
workers would send them. However many arrive together, no more are checked than the limit, and
none fails with an error."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from threading import Barrier

from sqlalchemy import func, select

from survey_app.domain.invitations import CODE_ATTEMPTS
from survey_app.services import attempts, invitations, staff as staff_service
from survey_app.store.audit import AuditEntry
from survey_app.store.invitations import Invitation
from tests.factories import PASSWORD, create_linked_person, create_staff, keyring
from tests.helpers import current_code

START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
CONFIG = {"SURVEY_SIGNIN_LOCK_AFTER": 10, "SURVEY_SIGNIN_LOCK_MINUTES": 30}
TOGETHER = 16


def all_at_once(app, attempt, count=TOGETHER) -> list:
    """`attempt(session)` in `count` threads released together, each with its own database session."""
    barrier = Barrier(count)

    def one(_):
        with app.extensions["survey_sessions"]() as session:
            barrier.wait()
            return attempt(session)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))  # an error in any thread is raised here


def audited(app, action: str) -> int:
    with app.extensions["survey_sessions"]() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action))


def test_concurrent_access_code_guesses_check_no_more_than_the_limit(app):
    _record_id, made = create_linked_person(app, with_code=True)

    def guess(session):
        return invitations.check_code(session, session.get(Invitation, made.invitation.id), "000000", now=START)

    outcomes = all_at_once(app, guess)
    assert audited(app, "invitation.code_wrong") == CODE_ATTEMPTS  # checked: five, however many came
    assert outcomes.count(invitations.CODE_WRONG) == CODE_ATTEMPTS - 1
    with app.extensions["survey_sessions"]() as session:
        right = invitations.check_code(session, session.get(Invitation, made.invitation.id), made.access_code, now=START)
    assert right == invitations.CODE_PAUSED


def test_concurrent_sign_ins_check_no_more_passwords_than_the_limit(app, session):
    person = create_staff(session, "case_manager")
    session.commit()
    outcomes = all_at_once(app, lambda s: staff_service.sign_in(s, person.email, "wrong password!", CONFIG, now=START))
    checked = [result for result in outcomes if result.outcome != "wait"]
    assert len(checked) == staff_service.SLOW_DOWN_AFTER and audited(app, "signin.failure") == len(checked)
    # The right password now has to wait its turn like any other try.
    assert staff_service.sign_in(session, person.email, PASSWORD, CONFIG, now=START).outcome == "wait"


def test_concurrent_sign_ins_near_the_lock_stop_at_it(app, session):
    create_staff(session, "case_manager")
    session.commit()
    email = "case_manager@example.org"
    moment = START
    for _ in range(CONFIG["SURVEY_SIGNIN_LOCK_AFTER"] - 1):  # one try short of the lock, each after its wait
        moment += timedelta(seconds=staff_service.MAX_WAIT_SECONDS)
        assert staff_service.sign_in(session, email, "wrong password!", CONFIG, now=moment).outcome == "wrong"
    moment += timedelta(seconds=staff_service.MAX_WAIT_SECONDS)
    outcomes = all_at_once(app, lambda s: staff_service.sign_in(s, email, "wrong password!", CONFIG, now=moment))
    assert sorted(result.outcome for result in outcomes) == ["locked"] * TOGETHER
    assert audited(app, "signin.failure") == CONFIG["SURVEY_SIGNIN_LOCK_AFTER"]


def test_concurrent_wrong_codes_check_no_more_than_the_limit(app, session):
    ring = keyring()
    person = create_staff(session, "admin")
    staff_service.save_totp_secret(person, staff_service.new_totp_secret(), ring)
    session.commit()

    def guess(s):
        return staff_service.check_code(s, s.get(type(person), person.id), "000000", ring, CONFIG, now=START)

    outcomes = all_at_once(app, guess)
    assert len([r for r in outcomes if r.outcome != "wait"]) == staff_service.SLOW_DOWN_AFTER


def test_one_code_sent_many_times_at_once_signs_in_once(app, session):
    ring = keyring()
    person = create_staff(session, "admin")
    secret = staff_service.new_totp_secret()
    staff_service.save_totp_secret(person, secret, ring)
    session.commit()
    code = current_code(secret)

    def use(s):
        return staff_service.check_code(s, s.get(type(person), person.id), code, ring, CONFIG).outcome

    assert all_at_once(app, use, count=4).count("ok") == 1


def test_tries_from_one_address_at_once_are_each_counted(app):
    limit = attempts.Limit("test", 10, timedelta(minutes=15))
    waits = all_at_once(app, lambda s: attempts.wait_seconds(s, limit, "203.0.113.9", now=START))
    assert waits.count(0) == 10 and all(wait == 15 * 60 for wait in waits if wait)
