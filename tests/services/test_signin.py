"""Signing in: passwords, slowing down, locking, and the second factor."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pyotp
import pytest

from survey_app.services import staff as staff_service
from survey_app.services.audit import COMMAND_LINE
from survey_app.services.refusal import Refused
from tests.factories import PASSWORD, create_staff, keyring
from tests.helpers import current_code

CONFIG = {"SURVEY_SIGNIN_LOCK_AFTER": 10, "SURVEY_SIGNIN_LOCK_MINUTES": 30}
START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def attempt(session, email, password, at):
    result = staff_service.sign_in(session, email, password, CONFIG, now=at)
    session.flush()
    return result


def test_the_right_password_signs_in_and_a_wrong_one_does_not(session):
    person = create_staff(session, "case_manager")
    assert attempt(session, person.email, PASSWORD, START).staff is person
    assert attempt(session, person.email.upper() + " ", PASSWORD, START).outcome == "ok"
    assert attempt(session, person.email, PASSWORD + "x", START).outcome == "wrong"


def test_passwords_are_stored_as_argon2id_hashes(session):
    person = create_staff(session, "case_manager")
    assert person.password_hash.startswith("$argon2id$") and PASSWORD not in person.password_hash


@pytest.mark.parametrize("email", ["case_manager@example.org", "nobody@example.org"])
def test_failures_slow_down_then_lock_the_same_way_for_known_and_unknown_addresses(session, email):
    create_staff(session, "case_manager")
    moment = START
    outcomes = []
    for _ in range(3):
        outcomes.append(attempt(session, email, "wrong password!", moment).outcome)
    assert outcomes == ["wrong"] * 3
    # After three failures each try must wait, doubling: 1 s, 2 s, 4 s …
    too_soon = attempt(session, email, PASSWORD, moment + timedelta(milliseconds=500))
    assert (too_soon.outcome, too_soon.wait_seconds) == ("wait", 1)
    for failure in range(4, 11):
        moment += timedelta(seconds=2 ** (failure - 3))
        outcome = attempt(session, email, "wrong password!", moment).outcome
    assert outcome == "locked"
    # Locked: even the right password is refused until the lock ends.
    assert attempt(session, email, PASSWORD, moment + timedelta(minutes=29)).outcome == "locked"
    after = attempt(session, email, PASSWORD, moment + timedelta(minutes=31)).outcome
    assert after == ("ok" if email.startswith("case_manager") else "wrong")


def test_a_deactivated_account_cannot_sign_in(session):
    person = create_staff(session, "case_manager")
    person.active = False
    assert attempt(session, person.email, PASSWORD, START).outcome == "wrong"


def test_totp_codes_from_the_current_and_neighbouring_periods_are_accepted():
    secret = staff_service.new_totp_secret()
    totp = pyotp.TOTP(secret)
    now = totp.timecode(START)
    assert staff_service.matching_step(secret, totp.at(START), START) == now
    assert staff_service.matching_step(secret, " ".join([totp.at(START)[:3], totp.at(START)[3:]]), START) == now
    assert staff_service.matching_step(secret, totp.at(START - timedelta(seconds=30)), START) == now - 1
    assert staff_service.matching_step(secret, totp.at(START - timedelta(minutes=5)), START) is None
    assert staff_service.matching_step(secret, "abcdef", START) is None
    assert staff_service.matching_step(secret, "١٢٣٤٥٦", START) is None  # digits, but not ASCII ones


def test_reset_links_work_once_and_expire(session):
    person = create_staff(session, "evaluator", password=None)
    token = staff_service.new_reset_link_token(session, person, staff_service.audit.COMMAND_LINE, now=START)
    assert staff_service.staff_for_reset(session, token, now=START + timedelta(hours=25)) is None
    assert staff_service.use_reset(session, token, "a new long password", now=START) is person
    assert staff_service.use_reset(session, token, "another long password", now=START) is None
    assert attempt(session, person.email, "a new long password", START).outcome == "ok"


def test_a_password_shorter_than_the_minimum_is_refused_and_the_link_still_works(session):
    person = create_staff(session, "case_manager")
    token = staff_service.new_reset_link_token(session, person, staff_service.audit.COMMAND_LINE, now=START)
    too_short = "x" * (staff_service.MIN_PASSWORD_LENGTH - 1)
    with pytest.raises(Refused, match="Use at least"):
        staff_service.use_reset(session, token, too_short, now=START)
    assert staff_service.use_reset(session, token, too_short + "x", now=START) is person


def test_a_codes_link_replaces_the_authenticator_only_with_a_right_code_and_only_once(session):
    ring = keyring()
    person = create_staff(session, "admin")
    staff_service.save_totp_secret(person, staff_service.new_totp_secret(), ring)
    token = staff_service.reset_link(session, person.id, staff_service.CODES, COMMAND_LINE)
    assert staff_service.staff_for_reset(session, token) is None, "a codes link does not set a password"
    new = staff_service.new_totp_secret()
    assert not staff_service.use_codes_reset(session, token, new, "not a code", ring)
    assert staff_service.staff_for_reset(session, token, staff_service.CODES) is person, "still usable"
    assert staff_service.use_codes_reset(session, token, new, current_code(new), ring)
    assert staff_service.totp_secret(person, ring) == new
    assert not staff_service.use_codes_reset(session, token, new, current_code(new), ring)


def test_reset_links_are_refused_for_a_deactivated_account(session):
    person = create_staff(session, "case_manager")
    person.active = False
    with pytest.raises(Refused, match="deactivated"):
        staff_service.reset_link(session, person.id, staff_service.PASSWORD, COMMAND_LINE)


class CountingHasher:
    """The real password hasher, counting the hashes it checks passwords against."""

    def __init__(self, real):
        self.real, self.checked = real, []

    def verify(self, stored, password):
        self.checked.append(stored)
        return self.real.verify(stored, password)


def test_a_wrong_password_costs_one_argon2_check_whether_or_not_the_address_has_an_account(session, monkeypatch):
    create_staff(session, "case_manager")
    hasher = CountingHasher(staff_service.HASHER)
    monkeypatch.setattr(staff_service, "HASHER", hasher)
    attempt(session, "case_manager@example.org", "wrong password!", START)
    attempt(session, "nobody@example.org", "wrong password!", START)
    known, unknown = hasher.checked
    assert unknown.startswith("$argon2id$") and unknown.split("$")[:4] == known.split("$")[:4]  # same cost


def admin_with_codes(session):
    ring = keyring()
    person = create_staff(session, "admin")
    secret = staff_service.new_totp_secret()
    staff_service.save_totp_secret(person, secret, ring)
    session.commit()
    return person, secret, ring


def test_a_code_signs_in_once_only(session):
    person, secret, ring = admin_with_codes(session)
    code = pyotp.TOTP(secret).at(START)
    assert staff_service.check_code(session, person, code, ring, CONFIG, now=START).outcome == "ok"
    again = staff_service.check_code(session, person, code, ring, CONFIG, now=START + timedelta(seconds=20))
    assert again.outcome == "wrong"
    # Nor an older code that is still within the window a phone's clock may be out by.
    older = pyotp.TOTP(secret).at(START - timedelta(seconds=30))
    assert staff_service.check_code(session, person, older, ring, CONFIG, now=START).outcome == "wrong"
    later = START + timedelta(seconds=30)
    assert staff_service.check_code(session, person, pyotp.TOTP(secret).at(later), ring, CONFIG, now=later).outcome == "ok"


def test_wrong_codes_slow_down_then_lock_like_passwords(session):
    person, secret, ring = admin_with_codes(session)
    moment = START
    outcomes = [staff_service.check_code(session, person, "000000", ring, CONFIG, now=moment).outcome for _ in range(3)]
    assert outcomes == ["wrong"] * 3
    right = pyotp.TOTP(secret).at(moment)
    too_soon = staff_service.check_code(session, person, right, ring, CONFIG, now=moment)
    assert (too_soon.outcome, too_soon.wait_seconds) == ("wait", 1)
    for failure in range(4, 11):
        moment += timedelta(seconds=2 ** (failure - 3))
        outcome = staff_service.check_code(session, person, "000000", ring, CONFIG, now=moment).outcome
    assert outcome == "locked"
    later = moment + timedelta(minutes=29)
    assert staff_service.check_code(session, person, pyotp.TOTP(secret).at(later), ring, CONFIG,
                                    now=later).outcome == "locked"
