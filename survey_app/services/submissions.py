"""A state-changing form is acted on once, however often it is sent.

The page gives each such form a random token (web/once.py). The use case claims the token inside
its own transaction, before it changes anything: a retry of the same form (the reply was lost after
the save, and the person pressed the button again) finds the token claimed and changes nothing. A
use case that fails rolls its claim back with everything else, so the person can simply try again.
Two copies sent at the same moment are safe too: the second claim waits for the first transaction,
then finds the token taken (a primary key, claimed with INSERT … ON CONFLICT DO NOTHING).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.store.db import insert_for
from survey_app.store.submissions import FormSubmission

TOKEN_LENGTH = 64


def claim(session: Session, token: str | None) -> bool:
    """True when this form has not been acted on before (its token is now claimed, in the caller's
    transaction); False for a repeat. A form without a token (a command, a test) is always new."""
    if not token:
        return True
    statement = (insert_for(session, FormSubmission).values(token=token[:TOKEN_LENGTH], result="", at=clock.now())
                 .on_conflict_do_nothing().returning(FormSubmission.token))
    return session.execute(statement).first() is not None


def remember_result(session: Session, token: str | None, result: str) -> None:
    """Where the first submission led (a new record's reference), for its repeats."""
    if token:
        session.execute(update(FormSubmission).where(FormSubmission.token == token[:TOKEN_LENGTH])
                        .values(result=result))


def earlier_result(session: Session, token: str | None) -> str | None:
    if not token:
        return None
    return session.scalar(select(FormSubmission.result).where(FormSubmission.token == token[:TOKEN_LENGTH]))


def acted_on(session: Session, token: str | None) -> bool:
    """Whether the form with this token has been acted on already."""
    return earlier_result(session, token) is not None
