"""The admin's view of the audit log: filtered, a page at a time, with the accounts behind the ids.

Only reads the log (services/audit.py writes it and keeps its chain). Dates in filters are days in
London; entries keep their time in UTC, as hashed, and the page shows it in London time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.clock import LONDON
from survey_app.services import audit
from survey_app.services.audit import Actor
from survey_app.services.unit_of_work import transaction
from survey_app.store.audit import AuditEntry
from survey_app.store.staff import Staff

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # an id as the log holds it: "staff:3", "cli", "system"
    action: str = ""  # one action exactly, e.g. "site.create"
    start: date | None = None  # first day shown, in London
    end: date | None = None  # last day shown, in London


@dataclass(frozen=True)
class AuditRow:
    sequence: int
    at: datetime  # UTC, timezone-aware
    actor: str
    role: str
    action: str
    subject: str


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    number: int  # from 1
    pages: int
    total: int
    staff: dict[str, Staff]  # every account, by the id the log uses for it ("staff:3")
    actions: list[str]  # every action the log holds, to choose from


def audit_page(session: Session, viewer: Actor, filters: AuditFilters = AuditFilters(), number: int = 1) -> AuditPage:
    """The entries that match, newest first, one page of them. Reading the log is itself audited."""
    query = _matching(select(AuditEntry), filters)
    with transaction(session):
        total = session.scalar(_matching(select(func.count()).select_from(AuditEntry), filters))
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(max(number, 1), pages)
        entries = session.scalars(query.order_by(AuditEntry.sequence.desc())
                                  .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
        rows = [AuditRow(e.sequence, datetime.fromisoformat(e.at), e.actor, e.role, e.action, e.subject)
                for e in entries]
        audit.record(session, viewer, "audit.view", "audit", _described(filters, number))
    staff = {f"staff:{person.id}": person for person in session.scalars(select(Staff).order_by(Staff.name))}
    actions = list(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
    return AuditPage(rows, number, pages, total, staff, actions)


def _matching(query, filters: AuditFilters):
    if filters.actor:
        query = query.where(AuditEntry.actor == filters.actor)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    # Times are stored as text in UTC (audit.AT_FORMAT): comparing the text compares the moments.
    if filters.start:
        query = query.where(AuditEntry.at >= _utc_text(filters.start))
    if filters.end:
        query = query.where(AuditEntry.at < _utc_text(filters.end + timedelta(days=1)))
    return query


def _utc_text(day: date) -> str:
    """The moment a London day starts, written as the log writes its times."""
    start = datetime.combine(day, time(0), LONDON).astimezone(timezone.utc)
    return start.strftime(audit.AT_FORMAT)


def _described(filters: AuditFilters, number: int) -> dict:
    return {"actor": filters.actor, "action": filters.action, "page": number,
            "start": filters.start.isoformat() if filters.start else "",
            "end": filters.end.isoformat() if filters.end else ""}
