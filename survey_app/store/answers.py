"""Administrations (one sitting of a measure set, for one link) and their answers.

Every answer names what it was given in and how: instrument version, language and
translation, the mode (own device, shared screen, phone), the staff member who recorded it
if any, and the consent scope in force, so exports can filter on it later.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.store.db import Base
from survey_app.store.owners import OwnedByRecord


class Administration(OwnedByRecord, Base):
    __tablename__ = "administration"
    __table_args__ = (CheckConstraint("(service_user_id IS NULL) <> (victim_survivor_id IS NULL)",
                                      name="administration_one_store"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"), unique=True)
    service_user_id: Mapped[int | None] = mapped_column(ForeignKey("service_user.id", ondelete="CASCADE"), index=True)
    victim_survivor_id: Mapped[int | None] = mapped_column(ForeignKey("victim_survivor.id", ondelete="CASCADE"),
                                                           index=True)
    timepoint: Mapped[str] = mapped_column(String(2))
    # The instrument versions given, in order, space-separated ("urica/1.0 wai_sr/1.0"): fixed
    # when the administration begins, so a version published mid-way changes nothing.
    instruments: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(20))
    interpreter: Mapped[str | None] = mapped_column(String(40))
    # The language the interpreter spoke (a language tag, e.g. "syl"); `language` stays the
    # written form's, since a language with no written translation is read from the English form.
    spoken_language: Mapped[str | None] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Begun from a T2 link made before T2 was due (the practitioner confirmed it): evaluators may
    # want to set these apart.
    early: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def instrument_keys(self) -> tuple[tuple[str, str], ...]:
        return instrument_keys(self.instruments)


def instrument_keys(instruments: str) -> tuple[tuple[str, str], ...]:
    """(instrument id, version) pairs from an administration's `instruments` column, in order."""
    return tuple(tuple(key.split("/", 1)) for key in instruments.split())


class Answer(Base):
    __tablename__ = "answer"
    # One row per question: saving again updates it (with its revision), never adds another.
    __table_args__ = (UniqueConstraint("administration_id", "instrument_id", "item_number", name="answer_once"),
                      CheckConstraint("(value IS NULL) <> (missing_reason IS NULL)", name="answer_value_or_reason"))

    id: Mapped[int] = mapped_column(primary_key=True)
    administration_id: Mapped[int] = mapped_column(ForeignKey("administration.id", ondelete="CASCADE"))
    instrument_id: Mapped[str] = mapped_column(String(40))
    instrument_version: Mapped[str] = mapped_column(String(10))
    item_number: Mapped[int] = mapped_column(Integer)
    value: Mapped[int | None] = mapped_column(Integer)
    missing_reason: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(20))
    translation: Mapped[str] = mapped_column(String(80))  # the translation's key, or "" for the original
    translation_status: Mapped[str] = mapped_column(String(20))  # "original" or the translation's status
    mode: Mapped[str] = mapped_column(String(12))  # link | screen_share | phone
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    consent_scope: Mapped[str] = mapped_column(String(200))  # statements agreed, space-separated
    revision: Mapped[int] = mapped_column(Integer, default=1)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
