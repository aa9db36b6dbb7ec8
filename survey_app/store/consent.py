"""Consent as immutable events, and anonymous counts of how asking went.

A consent event is never edited: a change of mind is a new event. Decline reasons are kept
apart from any person, only as counts per site, cohort, month and outcome, so they can be
reported honestly without pointing at anyone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.store.db import Base


class ConsentEventRow(Base):
    __tablename__ = "consent_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    store: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer, index=True)  # in the store named above
    kind: Mapped[str] = mapped_column(String(12))  # given | declined | not_now | withdrawn
    document_version: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(20))
    # A translated document: which revision was read, and its status then ("original" for English).
    document_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    translation_status: Mapped[str] = mapped_column(String(12), default="original", server_default="original")
    answers: Mapped[str] = mapped_column(Text)  # JSON: statement -> true/false (given only)
    mode: Mapped[str] = mapped_column(String(10))  # online | verbal
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    interpreter: Mapped[str | None] = mapped_column(String(40))
    ask_again_on: Mapped[str | None] = mapped_column(String(10))  # not_now: ISO date
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConsentTally(Base):
    """How many were asked, agreed, said not now or said no, and why: no person id anywhere."""

    __tablename__ = "consent_tally"
    __table_args__ = (UniqueConstraint("site_id", "cohort", "month", "outcome", "reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    cohort: Mapped[str] = mapped_column(String(20))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    outcome: Mapped[str] = mapped_column(String(12))  # asked | given | not_now | declined
    reason: Mapped[str] = mapped_column(String(30), default="")
    count: Mapped[int] = mapped_column(Integer, default=0)
