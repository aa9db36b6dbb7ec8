"""A browser's progress with a participant's link, kept on the server (store/visits.py).

The browser's cookie holds a random key and nothing else about the visit; here, its SHA-256 finds
the progress: a small dict the participant pages read and replace (web/browser_progress.py).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain.times import as_utc
from survey_app.domain import invitations as invitation_rules
from survey_app.services.unit_of_work import transaction
from survey_app.store.db import by_dialect, rows
from survey_app.store.invitations import Invitation
from survey_app.store.records import Record
from survey_app.store.visits import ParticipantVisit


def hashed(key: str | None) -> str | None:
    """What the table holds for a browser's key (None for none)."""
    return invitation_rules.token_hash(key) if isinstance(key, str) else None


# Every participant page reads its visit, and most posts replace it: the statements are built once.
_LOAD = select(ParticipantVisit.progress, ParticipantVisit.changed_at).where(
    ParticipantVisit.key_hash == bindparam("key_hash"))
_FORGET_EXPIRED = delete(ParticipantVisit).where(ParticipantVisit.changed_at < bindparam("before"))


@by_dialect
def _keep(dialect):
    insert = dialect.insert(ParticipantVisit)
    replaced = ("invitation_id", "progress", "changed_at")
    return insert.on_conflict_do_update(index_elements=[ParticipantVisit.key_hash],
                                        set_={name: insert.excluded[name] for name in replaced})


def load(session: Session, key: str, now: datetime | None = None) -> dict | None:
    """The progress kept under this key; None for a key unknown, forgotten or expired."""
    row = rows(session, _LOAD, key_hash=hashed(key)).first()
    return None if row is None else kept(row.progress, row.changed_at, now)


def kept(progress: str | None, changed_at: datetime | None, now: datetime | None = None) -> dict | None:
    """The progress read from a visit's row (None for no row, or one expired)."""
    if progress is None or invitation_rules.visit_expired(as_utc(changed_at), now or clock.now()):
        return None
    return json.loads(progress)


def keep(session: Session, key: str, progress: dict, now: datetime | None = None) -> None:
    """Keep this progress under this key (replacing what was kept), and forget expired visits."""
    now = now or clock.now()
    with transaction(session):
        rows(session, _keep(session), key_hash=hashed(key), invitation_id=progress.get("invitation"),
             progress=json.dumps(progress, separators=(",", ":")), changed_at=now)
        rows(session, _FORGET_EXPIRED, before=now - invitation_rules.VISIT_KEPT)


def forget(session: Session, key: str) -> None:
    with transaction(session):
        session.execute(delete(ParticipantVisit).where(ParticipantVisit.key_hash == hashed(key)))


# --- helpers: they take the caller's session and never commit ----------------------------------

def forget_person(session: Session, record: Record) -> None:
    """Forget every browser's progress with this person's links (their data being deleted: a consent
    choice not yet confirmed is theirs too), in one statement."""
    links = select(Invitation.id).where(Invitation.owner_column(record.store) == record.id)
    session.execute(delete(ParticipantVisit).where(ParticipantVisit.invitation_id.in_(links)))
