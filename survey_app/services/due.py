"""What is due for whom: each person's T1 and T2 windows and where they stand today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.domain import windows
from survey_app.domain.windows import Window
from survey_app.store.answers import Administration
from survey_app.store.records import Record, ServiceUser


@dataclass(frozen=True)
class Due:
    timepoint: str
    window: Window | None
    status: str


def due_for(session: Session, record: Record, today: date, t1_working_days: int = windows.T1_WORKING_DAYS
            ) -> list[Due]:
    done = _submitted_timepoints(session, record)
    t1 = windows.t1_window(record.first_session_date, t1_working_days)
    t2 = t2_window(session, record)
    return [Due("T1", t1, windows.status(t1, today, "T1" in done)),
            Due("T2", t2, windows.status(t2, today, "T2" in done))]


def t2_window(session: Session, record: Record) -> Window | None:
    return windows.t2_window(record.store, _t2_trigger(session, record))


def _t2_trigger(session: Session, record: Record) -> date | None:
    """A service user's own closure; for a victim-survivor, the linked service user's. Only the
    date crosses between the stores, inside the platform."""
    if isinstance(record, ServiceUser):
        return record.closure_date
    if not record.linked_service_user:
        return None
    return session.scalar(select(ServiceUser.closure_date).where(ServiceUser.study_id == record.linked_service_user))


def _submitted_timepoints(session: Session, record: Record) -> set[str]:
    return set(session.scalars(select(Administration.timepoint).where(
        Administration.owner_column(record.store) == record.id, Administration.submitted_at.is_not(None))))
