"""Retention: people whose case closed longer ago than the study keeps data are deleted, exactly as a
withdrawal with deletion deletes them (`consent.erase`), each deletion audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.services import audit, consent
from survey_app.services.audit import Actor
from survey_app.services.unit_of_work import transaction
from survey_app.store.db import push_deletions_to_disk
from survey_app.store.records import MODELS, Record


@dataclass(frozen=True)
class Due:
    store: str
    study_id: str
    closure_date: date

    @property
    def subject(self) -> str:
        return f"{self.store}:{self.study_id}"


def due_for_deletion(session: Session, days: int, today: date | None = None) -> list[Record]:
    """Records closed more than `days` days ago that still hold anything to delete (their key)."""
    cutoff = (today or clock.today()) - timedelta(days=days)  # closed before it: more than `days` days ago
    found: list[Record] = []
    for model in MODELS.values():
        found += session.scalars(select(model).where(model.closure_date.is_not(None), model.closure_date < cutoff,
                                                     model.wrapped_key.is_not(None))
                                 .order_by(model.closure_date, model.id)).all()
    return found


def purge(session: Session, days: int, actor: Actor, dry_run: bool = False) -> list[Due]:
    """Delete everyone past the retention period (or, with `dry_run`, only say who). One transaction
    per person, so an interruption keeps the deletions already made."""
    if days < 0:
        raise ValueError("A retention period is a number of days, 0 or more.")
    due = due_for_deletion(session, days)
    found = [Due(r.store, r.study_id, r.closure_date) for r in due]
    if dry_run or not due:
        return found
    for record in due:
        with transaction(session):
            now = clock.now()
            consent.erase(session, record, actor, now)
            audit.record(session, actor, "record.purged", f"{record.store}:{record.study_id}",
                         {"closure_date": record.closure_date.isoformat(), "retention_days": days})
    push_deletions_to_disk(session)
    return found
