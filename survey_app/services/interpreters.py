"""Interpreters and the two sides of a case: one interpreter never works with both.

Its own module because recording consent and beginning a questionnaire both check it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.domain.consent import INTERPRETER_CONFLICT
from survey_app.domain.text import Message
from survey_app.store.answers import Administration
from survey_app.store.consent import ConsentEventRow
from survey_app.store.records import Record, ServiceUser, VictimSurvivor


class InterpreterConflict(ValueError):
    """The interpreter already worked with the other side of this case."""

    def __init__(self, message: Message = INTERPRETER_CONFLICT):
        super().__init__(str(message))
        self.message = message  # for the web layer to show, translated


def normalised(interpreter: str | None) -> str | None:
    """Interpreter references are kept upper case without spaces around; empty means none."""
    return (interpreter or "").strip().upper() or None


def check_interpreter(session: Session, record: Record, interpreter: str) -> None:
    """An interpreter who worked with one side of a case (on consent or on a questionnaire) may
    never work with the other side."""
    other_side = _other_side(session, record)
    if not other_side:
        return
    store = other_side[0].store
    ids = [r.id for r in other_side]
    clash = session.scalars(select(ConsentEventRow.id).where(
        ConsentEventRow.store == store, ConsentEventRow.record_id.in_(ids),
        ConsentEventRow.interpreter == interpreter).limit(1)).first()
    clash = clash or session.scalars(select(Administration.id).where(
        Administration.owner_column(store).in_(ids), Administration.interpreter == interpreter).limit(1)).first()
    if clash is not None:
        raise InterpreterConflict()


def _other_side(session: Session, record: Record) -> list[Record]:
    if isinstance(record, VictimSurvivor):
        if not record.linked_service_user:
            return []
        return list(session.scalars(select(ServiceUser).where(ServiceUser.study_id == record.linked_service_user)))
    return list(session.scalars(select(VictimSurvivor).where(VictimSurvivor.linked_service_user == record.study_id)))
