"""Private links: what makes a link usable, and its optional access code.

A link carries a random token of 256 bits. Only its SHA-256 hash is stored, so a copy of
the database cannot be turned back into working links. An expired, revoked or unknown link
gets the same neutral answer, so a link read by someone else reveals nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from survey_app.domain.text import N_, Message

TOKEN_BYTES = 32
DEFAULT_DAYS = 14
CODE_ATTEMPTS = 5  # wrong access codes before the link pauses
CODE_PAUSE = timedelta(minutes=15)
CHANNELS = ("copy", "qr", "sms")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_access_code() -> str:
    """Six digits, read aloud by the practitioner on a call."""
    return f"{secrets.randbelow(10**6):06d}"


@dataclass(frozen=True)
class LinkState:
    expires_at: datetime
    revoked_at: datetime | None
    completed_at: datetime | None = None
    paused_at: datetime | None = None


def usable(state: LinkState, now: datetime) -> bool:
    """Not revoked, finished, paused or expired."""
    return state.revoked_at is None and state.completed_at is None and state.paused_at is None \
        and now < state.expires_at


def pauses_on_exit(has_code: bool) -> bool:
    """After a quick exit, a link with an access code asks for the code again; one without a code
    has nothing to ask, so it stops opening until a practitioner reopens it."""
    return not has_code


def code_still_fresh(last_seen: int | None, now: int, timeout: timedelta) -> bool:
    """Whether an access code entered in this browser still holds: it lapses after `timeout`
    without a page being opened (both moments in seconds since the epoch)."""
    return last_seen is not None and now - last_seen <= timeout.total_seconds()


# How stale "the last page opened" may get before it is written again. Writing it on every page would
# be a write to the database with every page; refreshing it at most once a minute can only make a
# code lapse sooner, never later.
SEEN_REFRESH_SECONDS = 60


def seen_needs_refresh(last_seen: int | None, now: int) -> bool:
    return last_seen is None or now - last_seen >= SEEN_REFRESH_SECONDS


def code_entered_after_exit(code_entered_at: float | None, exited_at: datetime | None) -> bool:
    """An access code entered before the link's last quick exit no longer holds (a moment in
    seconds since the epoch against the exit's time)."""
    if code_entered_at is None:
        return False
    return exited_at is None or code_entered_at > exited_at.timestamp()


def expiry(created: datetime, days: int = DEFAULT_DAYS) -> datetime:
    return created + timedelta(days=days)


@dataclass(frozen=True)
class CodeCheck:
    failures: int
    paused_until: datetime | None


def code_paused(check: CodeCheck, now: datetime) -> bool:
    return check.paused_until is not None and now < check.paused_until


def after_wrong_code(check: CodeCheck, now: datetime) -> CodeCheck:
    failures = check.failures + 1
    if failures >= CODE_ATTEMPTS:
        return CodeCheck(0, now + CODE_PAUSE)
    return CodeCheck(failures, None)


def code_paused_message() -> Message:
    """What a person is told when the link pauses: the wait it names is the pause in force."""
    return Message(N_("Too many tries. Wait %(minutes)s minutes, then try again, or ask for a new code"),
                   {"minutes": int(CODE_PAUSE.total_seconds() // 60)})


# A browser's progress with a link (store/visits.py) is forgotten this long after it last changed: an
# access code lapses long before, and what else it holds (the language chosen, consent choices not yet
# confirmed) is asked again. The link itself remembers the language chosen after the access code.
VISIT_KEPT = timedelta(days=1)


def visit_expired(changed_at: datetime, now: datetime) -> bool:
    return now - changed_at > VISIT_KEPT
