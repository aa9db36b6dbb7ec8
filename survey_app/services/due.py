"""What is due for whom: each person's T1 and T2 windows, where they stand today, and any
questionnaires begun on a link that still works but not yet sent.

A caseload asks for many people at once (`due_by_record`): a fixed number of queries however
many people it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain import windows
from survey_app.domain.windows import Window
from survey_app.store.answers import Administration, Answer
from survey_app.store.invitations import Invitation
from survey_app.store.records import Record, ServiceUser


@dataclass(frozen=True)
class Started:
    """Questionnaires begun and not sent, on a link that can still be used."""

    link_id: int
    started_at: datetime
    mode: str | None  # how the last answer was given (link, screen_share, phone); None before any answer


@dataclass(frozen=True)
class Due:
    timepoint: str
    window: Window | None
    status: str
    started: Started | None = None


def due_for(session: Session, record: Record, today: date, t1_working_days: int = windows.T1_WORKING_DAYS
            ) -> list[Due]:
    return due_by_record(session, [record], today, t1_working_days)[record.id]


def due_by_record(session: Session, shown: Sequence[Record], today: date,
                  t1_working_days: int = windows.T1_WORKING_DAYS) -> dict[int, list[Due]]:
    """Record id -> its T1 and T2, for records of one store."""
    if not shown:
        return {}
    store = shown[0].store
    ids = [r.id for r in shown]
    done = _submitted_timepoints(session, store, ids)
    started = _started(session, store, ids)
    closures = _t2_triggers(session, shown)
    found = {}
    for record in shown:
        t1 = windows.t1_window(record.first_session_date, t1_working_days)
        t2 = windows.t2_window(store, closures.get(record.id))
        found[record.id] = [
            Due("T1", t1, windows.t1_status(t1, today, (record.id, "T1") in done, record.closure_date),
                started.get((record.id, "T1"))),
            Due("T2", t2, windows.status(t2, today, (record.id, "T2") in done), started.get((record.id, "T2")))]
    return found


def t2_window(session: Session, record: Record) -> Window | None:
    return windows.t2_window(record.store, _t2_triggers(session, [record])[record.id])


def _t2_triggers(session: Session, shown: Sequence[Record]) -> dict[int, date | None]:
    """Record id -> the closure that opens T2: a service user's own; for a victim-survivor, the
    linked service user's. Only the date crosses between the stores, inside the platform."""
    if isinstance(shown[0], ServiceUser):
        return {r.id: r.closure_date for r in shown}
    linked = {r.linked_service_user for r in shown if r.linked_service_user}
    rows = session.execute(select(ServiceUser.study_id, ServiceUser.closure_date)
                           .where(ServiceUser.study_id.in_(linked))) if linked else []
    closed = {study_id: closure for study_id, closure in rows}
    return {r.id: closed.get(r.linked_service_user) for r in shown}


def _submitted_timepoints(session: Session, store: str, ids: list[int]) -> set[tuple[int, str]]:
    owner = Administration.owner_column(store)
    rows = session.execute(select(owner, Administration.timepoint).where(
        owner.in_(ids), Administration.submitted_at.is_not(None)))
    return {(record_id, timepoint) for record_id, timepoint in rows}


def _started(session: Session, store: str, ids: list[int]) -> dict[tuple[int, str], Started]:
    """(record id, timepoint) -> the latest administration begun and not sent on a usable link."""
    owner = Administration.owner_column(store)
    rows = session.execute(
        select(owner, Administration.timepoint, Administration.id, Administration.invitation_id,
               Administration.started_at)
        .join(Invitation, Invitation.id == Administration.invitation_id)
        .where(owner.in_(ids), Administration.submitted_at.is_(None), Invitation.revoked_at.is_(None),
               Invitation.completed_at.is_(None), Invitation.expires_at > clock.now())
        .order_by(Administration.started_at)).all()
    modes = _last_modes(session, [row.id for row in rows])
    return {(row[0], row.timepoint): Started(row.invitation_id, row.started_at, modes.get(row.id)) for row in rows}


def _last_modes(session: Session, administration_ids: list[int]) -> dict[int, str]:
    """Administration id -> the mode of its most recently saved answer."""
    if not administration_ids:
        return {}
    rows = session.execute(select(Answer.administration_id, Answer.mode, func.max(Answer.saved_at).label("last"))
                           .where(Answer.administration_id.in_(administration_ids))
                           .group_by(Answer.administration_id, Answer.mode).order_by("last")).all()
    return {row.administration_id: row.mode for row in rows}
