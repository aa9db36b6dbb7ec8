"""Scores stored once, when an administration is sent: one row per score.

The engine works in exact fractions, so a value is kept as its integer numerator and
denominator (never a float, never rounded); the items answered and missing are kept in the
engine's order, space-separated. Deleting an administration deletes its scores with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.store.db import Base


class AdministrationScore(Base):
    __tablename__ = "administration_score"
    __table_args__ = (UniqueConstraint("administration_id", "instrument_id", "score_id",
                                       name="administration_score_once"),
                      CheckConstraint("denominator > 0", name="administration_score_denominator"))

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id", ondelete="CASCADE"))
    instrument_id: Mapped[str] = mapped_column(String(40))
    instrument_version: Mapped[str] = mapped_column(String(10))
    score_id: Mapped[str] = mapped_column(String(80))  # "total", a subscale, a composite
    numerator: Mapped[int | None] = mapped_column(BigInteger)  # None: not enough answers
    denominator: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))  # complete | prorated | insufficient
    answered: Mapped[str] = mapped_column(Text)  # item numbers, space-separated
    missing: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
