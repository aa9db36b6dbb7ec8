"""This browser's progress with a participant's link: kept on the server (services/participant_visits),
found by a random key that is the only thing about it in the browser's cookie.

A page reads the progress once (`current`), and a page that changes it saves it at once (`replace`),
before it answers: what the next page needs is saved when this one says it is done. The quick exit
forgets it (`forget`).
"""

from __future__ import annotations

import secrets

from flask import g, session

from survey_app.extensions import db_session
from survey_app.services import participant_visits

COOKIE_KEY = "visit"  # in the session cookie: the random key, nothing else about the visit
_LOADED = "participant_progress"


def key() -> str | None:
    """The random key in this browser's cookie, if it has one."""
    found = session.get(COOKIE_KEY)
    return found if isinstance(found, str) else None


def found(progress: dict | None) -> None:
    """This browser's progress, read with its link (services.invitations.open_link): `current`
    need not read it again."""
    if _LOADED not in g:
        setattr(g, _LOADED, progress or {})


def current() -> dict:
    """This browser's progress (empty when it has none): a copy, changed only through `replace`."""
    if _LOADED not in g:
        visit_key = key()
        setattr(g, _LOADED, (participant_visits.load(db_session(), visit_key) if visit_key else None) or {})
    return dict(getattr(g, _LOADED))


def replace(progress: dict) -> None:
    """Save this browser's progress now (a new key for a browser that had none)."""
    key = session.get(COOKIE_KEY)
    if not isinstance(key, str):
        key = session[COOKIE_KEY] = secrets.token_urlsafe(32)
    participant_visits.keep(db_session(), key, progress)
    setattr(g, _LOADED, dict(progress))


def forget() -> None:
    """Forget this browser's progress, on the server and in the cookie."""
    key = session.pop(COOKIE_KEY, None)
    if isinstance(key, str):
        participant_visits.forget(db_session(), key)
    setattr(g, _LOADED, {})
