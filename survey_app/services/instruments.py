"""Admins' confirmations that an instrument version's wording matches its licensed form."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from survey_app.domain.instruments import Definition
from survey_app.store.instruments import WordingConfirmation, confirmations_by_version, record_confirmation


@dataclass(frozen=True)
class ConfirmationState:
    known: bool  # False when the database could not be read (for example, not migrated yet)
    confirmation: WordingConfirmation | None = None


def confirmation_state(session: Session, definition: Definition) -> ConfirmationState:
    try:
        rows = confirmations_by_version(session)
    except SQLAlchemyError:
        session.rollback()
        return ConfirmationState(known=False)
    return ConfirmationState(True, rows.get((definition.id, definition.version, definition.content_sha256)))


def confirm(session: Session, definition: Definition, confirmed_by: str, note: str = "") -> WordingConfirmation:
    """Record that an admin checked this exact text against the licensed form."""
    existing = confirmation_state(session, definition).confirmation
    if existing is not None:
        return existing
    row = record_confirmation(session, instrument_id=definition.id, version=definition.version,
                              content_sha256=definition.content_sha256, confirmed_by=confirmed_by, note=note)
    session.commit()
    return row
