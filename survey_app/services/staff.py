"""Staff accounts: invitations, passwords (argon2), second factor (TOTP), sign-in throttling."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain import limits
from survey_app.domain.access import ADMIN, ROLES, totp_required
from survey_app.domain.text import N_, Message
from survey_app.domain.times import as_utc
from survey_app.services import audit
from survey_app.services.audit import Actor
from survey_app.services.refusal import Refused, refuse_if_too_long
from survey_app.services.unit_of_work import transaction
from survey_app.store.crypto import Keyring
from survey_app.store.db import insert_for
from survey_app.store.staff import ResetLink, SigninThrottle, Site, Staff

HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
RESET_HOURS = 24
# What a one-time link lets its holder do: set a password, or set up new sign-in codes.
PASSWORD, CODES = "password", "codes"
SLOW_DOWN_AFTER = 3  # failures before each further try must wait
MAX_WAIT_SECONDS = 60
# Concurrent tries that lose the race for their turn read the state again this many times at most.
TURN_RETRIES = 5
# A dummy hash so an unknown address costs the same time as a known one.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


def normalise_email(email: str) -> str:
    return email.strip().lower()


def active_staff(session: Session, staff_id: int | None) -> Staff | None:
    """The account behind a staff session, if it may still sign in."""
    staff = session.get(Staff, staff_id) if staff_id is not None else None
    return staff if staff is not None and staff.active else None


def by_email(session: Session, email: str) -> Staff | None:
    return session.scalars(select(Staff).where(Staff.email == normalise_email(email))).first()


def create(session: Session, *, email: str, name: str, role: str, site_ids: list[int], actor: Actor,
           password: str | None = None, is_demo: bool = False) -> Staff:
    if role not in ROLES:
        raise ValueError(f"Role must be one of {', '.join(ROLES)}.")
    staff = Staff(email=normalise_email(email), name=name.strip(), role=role, active=True, is_demo=is_demo,
                  created_at=clock.now(),
                  password_hash=HASHER.hash(password) if password else None)
    staff.sites = list(session.scalars(select(Site).where(Site.id.in_(site_ids)))) if site_ids else []
    session.add(staff)
    session.flush()
    audit.record(session, actor, "staff.create", f"staff:{staff.id}", {"role": role, "sites": sorted(site_ids)})
    return staff


# --- the admin's use cases ------------------------------------------------------------------

def staff_list(session: Session) -> list[Staff]:
    return list(session.scalars(select(Staff).order_by(Staff.email)))


@dataclass(frozen=True)
class Invited:
    staff: Staff
    token: str  # for the one-time link to set a password


def invite(session: Session, *, email: str, name: str, role: str, site_ids: list[int], actor: Actor) -> Invited:
    """A new account without a password, and a one-time token for its owner to set one."""
    refuse_if_too_long(name.strip(), limits.STAFF_NAME, "name")
    refuse_if_too_long(email.strip(), limits.EMAIL, "email")
    with transaction(session):
        if by_email(session, email) is not None:
            raise Refused(Message(N_("This email address already has an account")), "email")
        person = create(session, email=email, name=name, role=role, site_ids=site_ids, actor=actor)
        token = new_reset_link_token(session, person, actor)
    return Invited(person, token)


def reset_link(session: Session, staff_id: int, purpose: str, actor: Actor) -> str:
    """A one-time token for a member of staff to set a new password or new sign-in codes, from the admin's
    pages and the command line alike. Refused for an account that cannot sign in, and for codes that
    were never set up (there is nothing to replace: they set them up when they next sign in)."""
    with transaction(session):
        person = session.get(Staff, staff_id)
        if not person.active:
            raise Refused(Message(N_("This account is deactivated. Reactivate it first")))
        if purpose == CODES and person.totp_secret is None:
            raise Refused(Message(N_("This person has not set up sign-in codes, so there are none to reset")))
        return new_reset_link_token(session, person, actor, purpose)


@dataclass(frozen=True)
class StaffMemberPage:
    staff: Staff
    sites: list[Site]


def staff_member_page(session: Session, staff_id: int) -> StaffMemberPage | None:
    person = session.get(Staff, staff_id)
    if person is None:
        return None
    return StaffMemberPage(person, list(session.scalars(select(Site).order_by(Site.name))))


def change_staff(session: Session, staff_id: int, actor: Actor, *, role: str | None = None,
                 site_ids: list[int] | None = None, active: bool | None = None) -> Staff:
    """Change a role, sites or whether the account may sign in (None leaves a part as it is).
    Audited as one `staff.update` with the account's new state, from the web and the command line alike."""
    with transaction(session):
        person = session.get(Staff, staff_id)
        if role is not None and role not in ROLES:
            raise ValueError(f"Role must be one of {', '.join(ROLES)}.")
        if actor.id == f"staff:{staff_id}" and (role not in (None, ADMIN) or active is False):
            raise Refused(Message(N_("You cannot remove your own admin role or deactivate yourself")), "role")
        if role is not None:
            person.role = role
        if site_ids is not None:
            person.sites = list(session.scalars(select(Site).where(Site.id.in_(site_ids)))) if site_ids else []
        if active is not None:
            person.active = active
        if active is False:
            _end_sessions(session, person)
        audit.record(session, actor, "staff.update", f"staff:{person.id}",
                     {"role": person.role, "sites": sorted(person.site_ids), "active": person.active})
    return person


def set_password(session: Session, staff: Staff, password: str, actor: Actor) -> None:
    """A new password ends every session begun with the old one."""
    staff.password_hash = HASHER.hash(password)
    _end_sessions(session, staff)
    audit.record(session, actor, "staff.password_set", f"staff:{staff.id}")


def new_reset_link_token(session: Session, staff: Staff, actor: Actor, purpose: str = PASSWORD,
                         now: datetime | None = None) -> str:
    """A one-time token to set a password or new sign-in codes; only its hash is stored. An earlier
    unused link for the same purpose stops working, so only the newest one handed over does."""
    token = secrets.token_urlsafe(32)
    now = now or clock.now()
    session.execute(delete(ResetLink).where(ResetLink.staff_id == staff.id, ResetLink.purpose == purpose,
                                            ResetLink.used_at.is_(None)))
    session.add(ResetLink(token_hash=_sha256(token), staff_id=staff.id, purpose=purpose,
                          expires_at=now + timedelta(hours=RESET_HOURS)))
    audit.record(session, actor, "staff.reset_link", f"staff:{staff.id}", {"purpose": purpose})
    return token


def staff_for_reset(session: Session, token: str, purpose: str = PASSWORD, now: datetime | None = None) -> Staff | None:
    """The active account a link is for, while it is unused and unexpired; None otherwise."""
    link = session.get(ResetLink, _sha256(token))
    now = now or clock.now()
    if link is None or link.purpose != purpose or link.used_at is not None or as_utc(link.expires_at) < now:
        return None
    return active_staff(session, link.staff_id)


def use_reset(session: Session, token: str, password: str, now: datetime | None = None) -> Staff | None:
    """Set a password with a one-time link; None (and nothing changed) when the link does not work.
    A password shorter than MIN_PASSWORD_LENGTH is refused, and the link still works."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused(Message(N_("Use at least %(count)s characters"), {"count": MIN_PASSWORD_LENGTH}), "password")
    with transaction(session):
        staff = _use_link(session, token, PASSWORD, now)
        if staff is not None:
            set_password(session, staff, password, Actor.staff(staff))
    return staff


def use_codes_reset(session: Session, token: str, secret: str, code: str, ring: Keyring,
                    now: datetime | None = None) -> bool:
    """Replace a person's sign-in codes with a one-time link, once they show a right code from the new
    authenticator; False (nothing changed) when the code is wrong or the link does not work. Sessions
    begun with the old codes end."""
    step = matching_step(secret, code, clock.now())
    if step is None:
        return False
    with transaction(session):
        staff = _use_link(session, token, CODES, now)
        if staff is not None:
            _save_second_factor(session, staff, secret, step, ring)
            _end_sessions(session, staff)
    return staff is not None


def _use_link(session: Session, token: str, purpose: str, now: datetime | None) -> Staff | None:
    staff = staff_for_reset(session, token, purpose, now)
    if staff is not None:
        session.get(ResetLink, _sha256(token)).used_at = now or clock.now()
        audit.record(session, Actor.staff(staff), "staff.reset_link_used", f"staff:{staff.id}", {"purpose": purpose})
    return staff


# --- second factor --------------------------------------------------------------------------

def new_totp_secret() -> str:
    return pyotp.random_base32()


def save_totp_secret(staff: Staff, secret: str, ring: Keyring) -> None:
    staff.totp_secret = ring.wrap(secret.encode("ascii"))


def totp_secret(staff: Staff, ring: Keyring) -> str | None:
    return ring.unwrap(staff.totp_secret).decode("ascii") if staff.totp_secret else None


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The 30-second step whose code this is: the current one or either neighbour (a phone's clock
    may be a little out), or None."""
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    return next((step for step in (current - 1, current, current + 1)
                 if hmac.compare_digest(totp.generate_otp(step), code)), None)


def needs_code_setup(staff: Staff) -> bool:
    return totp_required(staff.role) and staff.totp_secret is None


def check_code(session: Session, staff: Staff, code: str, ring: Keyring, config: dict,
               now: datetime | None = None) -> SigninResult:
    """Check a code from this person's saved second factor. Wrong codes slow down, then lock, as
    passwords do; a code is accepted once only (not again in its own step, nor an older one)."""
    now = now or clock.now()
    key = _sha256(f"second-factor:staff:{staff.id}")
    turn = _take_turn(session, key, config, now)
    if turn.outcome != "go":
        return SigninResult(turn.outcome, wait_seconds=turn.wait_seconds)
    secret = totp_secret(staff, ring)
    step = matching_step(secret, code, now) if secret else None
    with transaction(session):
        if step is not None and _claim_step(session, staff, step):
            _clear_turns(session, key)
            return SigninResult("ok", staff)
        audit.record(session, audit.SYSTEM, "signin.code_failure", f"staff:{staff.id}", {"locked": turn.locks})
    return SigninResult("locked" if turn.locks else "wrong")


def _claim_step(session: Session, staff: Staff, step: int) -> bool:
    """Record `step` as the newest accepted, unless it (or a later one) already was: one UPDATE, so
    two requests with the same code cannot both pass."""
    claimed = session.execute(
        update(Staff).where(Staff.id == staff.id,
                            (Staff.totp_last_step.is_(None)) | (Staff.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    return claimed == 1


def add_second_factor(session: Session, staff: Staff, secret: str, code: str, ring: Keyring) -> bool:
    """Save a new second factor once its owner shows a right code from it; False (nothing saved) otherwise."""
    step = matching_step(secret, code, clock.now())
    if step is None:
        return False
    with transaction(session):
        _save_second_factor(session, staff, secret, step, ring)
    return True


def _save_second_factor(session: Session, staff: Staff, secret: str, step: int, ring: Keyring) -> None:
    """The code shown to set it up is used: it cannot sign in again."""
    save_totp_secret(staff, secret, ring)
    staff.totp_last_step = step
    audit.record(session, Actor.staff(staff), "staff.code_added", f"staff:{staff.id}")


# --- signing in -----------------------------------------------------------------------------

@dataclass(frozen=True)
class SigninResult:
    outcome: str  # "ok", "wrong", "wait", "locked"
    staff: Staff | None = None
    wait_seconds: int = 0


def sign_in(session: Session, email: str, password: str, config: dict, now: datetime | None = None) -> SigninResult:
    """Check an email and password. Failures slow down, then lock, per address, whether or not the
    address has an account, and the same message is shown either way. An unknown address costs the
    same work as a known one (a password is checked against a dummy hash), so timing tells nothing."""
    now = now or clock.now()
    key = _sha256(normalise_email(email))
    turn = _take_turn(session, key, config, now)
    if turn.outcome != "go":
        return SigninResult(turn.outcome, wait_seconds=turn.wait_seconds)
    staff = by_email(session, email)
    known = staff is not None and staff.active
    right = _password_matches(staff.password_hash if known else None, password)
    with transaction(session):  # a failure is audited: it must be committed too
        if right:
            _clear_turns(session, key)
            return SigninResult("ok", staff)
        subject = f"staff:{staff.id}" if staff else "unknown-address"
        audit.record(session, audit.SYSTEM, "signin.failure", subject, {"locked": turn.locks})
    return SigninResult("locked" if turn.locks else "wrong")


def signed_in(session: Session, staff: Staff, now: datetime | None = None) -> None:
    """Sign-in is complete (password, and code where there is one)."""
    with transaction(session):
        staff.last_signin_at = now or clock.now()
        audit.record(session, Actor.staff(staff), "signin.success", f"staff:{staff.id}")


def signed_out(session: Session, staff: Staff) -> None:
    """Every session of this account ends, wherever its cookie is."""
    with transaction(session):
        _end_sessions(session, staff)
        audit.record(session, Actor.staff(staff), "signout", f"staff:{staff.id}")


def session_ran_out(session: Session, staff_id: int, generation: int) -> None:
    """A session went unused for too long: it ends for every copy of its cookie, not only the one that
    came back late (unless the account's sessions had already ended)."""
    with transaction(session):
        session.execute(update(Staff).where(Staff.id == staff_id, Staff.session_generation == generation)
                        .values(session_generation=generation + 1).execution_options(synchronize_session=False))


def _end_sessions(session: Session, staff: Staff) -> None:
    staff.session_generation = (staff.session_generation or 0) + 1


def _password_matches(stored: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


# --- turns: how many tries may be checked -------------------------------------------------------

@dataclass(frozen=True)
class Turn:
    outcome: str  # "go" (check this try), "wait" or "locked"
    wait_seconds: int = 0
    locks: bool = False  # if this try is wrong, the lock begins


def _take_turn(session: Session, key: str, config: dict, now: datetime) -> Turn:
    """Count a try as failed before it is checked, in its own committed transaction: one conditional
    UPDATE on the state read, so concurrent tries each need their own turn and no more are checked
    than the limits allow. A right try then clears the count (_clear_turns)."""
    with transaction(session):
        session.execute(insert_for(session, SigninThrottle).values(email_hash=key, failures=0)
                        .on_conflict_do_nothing())
    for _ in range(TURN_RETRIES):
        with transaction(session):
            throttle = session.get(SigninThrottle, key, populate_existing=True)
            refusal = _refusal(throttle, now)
            if refusal is not None:
                return refusal
            failures = (throttle.failures or 0) + 1
            locks = failures >= config["SURVEY_SIGNIN_LOCK_AFTER"]
            taken = session.execute(
                update(SigninThrottle)
                .where(SigninThrottle.email_hash == key, SigninThrottle.failures == throttle.failures,
                       _same(SigninThrottle.locked_until, throttle.locked_until))
                .values(failures=0 if locks else failures, last_failure_at=now,
                        locked_until=now + timedelta(minutes=config["SURVEY_SIGNIN_LOCK_MINUTES"]) if locks else None)
                .execution_options(synchronize_session=False)).rowcount
        if taken == 1:
            return Turn("go", locks=locks)
    return Turn("wait", wait_seconds=1)  # others keep taking the turns: this one waits


def _same(column, value):
    return column.is_(None) if value is None else column == value


def _refusal(throttle: SigninThrottle, now: datetime) -> Turn | None:
    if throttle.locked_until and as_utc(throttle.locked_until) > now:
        return Turn("locked")
    wait = _wait_seconds(throttle, now)
    return Turn("wait", wait_seconds=wait) if wait else None


def _clear_turns(session: Session, key: str) -> None:
    session.execute(update(SigninThrottle).where(SigninThrottle.email_hash == key)
                    .values(failures=0, locked_until=None).execution_options(synchronize_session=False))


def _wait_seconds(throttle: SigninThrottle, now: datetime) -> int:
    if throttle.failures < SLOW_DOWN_AFTER or throttle.last_failure_at is None:
        return 0
    delay = min(2 ** (throttle.failures - SLOW_DOWN_AFTER), MAX_WAIT_SECONDS)
    remaining = (as_utc(throttle.last_failure_at) + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
