"""Writing to and checking the audit log. Entries are written in the caller's transaction, so
an action and its audit entry are committed together or not at all."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain.audit_chain import GENESIS, NOT_JSON, Anchor, Break, Entry, entry_hash, extends, verify
from survey_app.store.audit import AuditEntry, AuditHead

HEAD_ID = 1
MAX_RETRIES = 5
AT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # UTC, fixed width: the text sorts as the moments do


@dataclass(frozen=True)
class Actor:
    """Who did something: a signed-in staff member, the command line, or the platform itself."""

    id: str
    role: str

    @classmethod
    def staff(cls, staff) -> "Actor":
        return cls(f"staff:{staff.id}", staff.role)

    @classmethod
    def participant(cls, invitation_id: int) -> "Actor":
        """A participant, known only by the link they used."""
        return cls(f"participant:invitation:{invitation_id}", "participant")


SYSTEM = Actor("system", "system")
COMMAND_LINE = Actor("cli", "admin")


class AuditConflict(RuntimeError):
    pass


def record(session: Session, actor: Actor, action: str, subject: str = "", detail: dict | None = None,
           now: datetime | None = None) -> AuditEntry:
    """Append one entry, chained to the newest. Never logs passwords, codes or contact details:
    callers pass ids and field names only."""
    at = (now or clock.now()).strftime(AT_FORMAT)
    for _ in range(MAX_RETRIES):
        head = _head(session)
        entry = Entry(head.sequence + 1, at, actor.id, actor.role, action, subject, detail or {}, head.hash)
        entry = replace(entry, hash=entry_hash(entry))
        # Claim the next place in the chain; if another writer got there first, read again.
        moved = session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID, AuditHead.sequence == head.sequence)
                                .values(sequence=entry.sequence, hash=entry.hash)
                                .execution_options(synchronize_session=False)).rowcount
        if moved == 1:
            row = AuditEntry(sequence=entry.sequence, at=entry.at, actor=entry.actor, role=entry.role,
                             action=entry.action, subject=entry.subject, detail=_canonical(entry.detail),
                             previous_hash=entry.previous_hash, hash=entry.hash)
            session.add(row)
            session.flush()
            return row
        session.expire_all()
    raise AuditConflict("The audit log is busy; try again.")


def _head(session: Session) -> AuditHead:
    head = session.get(AuditHead, HEAD_ID, populate_existing=True)
    if head is None:
        head = AuditHead(id=HEAD_ID, sequence=0, hash=GENESIS)
        session.add(head)
        session.flush()
    return head


def _canonical(detail: dict) -> str:
    return json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def verify_log(session: Session, anchors: list[Anchor] = ()) -> Break | None:
    """The first break in the chain, or, when it is whole, the first anchor it no longer extends."""
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.sequence)).all()
    entries = (Entry(r.sequence, r.at, r.actor, r.role, r.action, r.subject, _detail(r.detail),
                     r.previous_hash, r.hash) for r in rows)
    head = session.get(AuditHead, HEAD_ID)
    problem = verify(entries, (head.sequence, head.hash) if head and head.sequence else None)
    if problem:
        return problem
    hashes = {r.sequence: r.hash for r in rows}
    for anchor in anchors:
        problem = extends(anchor, hashes.get(anchor.count))
        if problem:
            return problem
    return None


def _detail(stored: str):
    try:
        return json.loads(stored)
    except (ValueError, TypeError, RecursionError):
        return NOT_JSON


def head_anchor(session: Session) -> Anchor:
    """The log's head now, to be signed and kept outside the database."""
    head = session.get(AuditHead, HEAD_ID, populate_existing=True)
    count, head_hash = (head.sequence, head.hash) if head else (0, GENESIS)
    return Anchor(clock.now().strftime(AT_FORMAT), count, head_hash)


def newest_sequence(session: Session) -> int:
    """How many entries the log holds (its sequence starts at 1)."""
    return session.scalar(select(AuditEntry.sequence).order_by(AuditEntry.sequence.desc()).limit(1)) or 0
