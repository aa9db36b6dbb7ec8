"""Records about instrument versions that must live in the database, not in the repo."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from survey_app import clock
from survey_app.store.db import Base


class WordingConfirmation(Base):
    """An admin's statement that a version's wording matches the licensed form.

    Tied to the content hash, so a confirmation can never carry over to other text.
    """

    __tablename__ = "instrument_wording_confirmation"
    __table_args__ = (UniqueConstraint("instrument_id", "version", "content_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    content_sha256: Mapped[str] = mapped_column(String(64))
    confirmed_by: Mapped[str] = mapped_column(String(200))
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")


def confirmations_by_version(session: Session) -> dict[tuple[str, str, str], WordingConfirmation]:
    rows = session.scalars(select(WordingConfirmation)).all()
    return {(r.instrument_id, r.version, r.content_sha256): r for r in rows}


def confirmed_hashes(session: Session) -> frozenset[str]:
    """The content hash of every version an admin has confirmed."""
    return frozenset(session.scalars(select(WordingConfirmation.content_sha256)))


def record_confirmation(session: Session, *, instrument_id: str, version: str,
                        content_sha256: str, confirmed_by: str, note: str = "") -> WordingConfirmation:
    row = WordingConfirmation(instrument_id=instrument_id, version=version,
                              content_sha256=content_sha256, confirmed_by=confirmed_by,
                              confirmed_at=clock.now(), note=note)
    session.add(row)
    return row
