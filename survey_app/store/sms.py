"""Safe-contact answers and the text-message outbox.

A message waits in the outbox until the worker sends it, so a Twilio error never loses an
invitation. The link a message carries is kept only encrypted with the person's own key, and
only until the message has gone.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.store.db import Base


class SafeContactRow(Base):
    """The newest row for a person is in force; older rows are kept as their history."""

    __tablename__ = "safe_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    store: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer, index=True)
    may_text: Mapped[bool] = mapped_column(Boolean)
    text_from: Mapped[time | None] = mapped_column(Time)
    text_until: Mapped[time | None] = mapped_column(Time)
    never_say: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted with the person's key
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SmsMessage(Base):
    __tablename__ = "sms_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # invitation | reminder
    language: Mapped[str] = mapped_column(String(20))
    link: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted; cleared once sent
    status: Mapped[str] = mapped_column(String(12), index=True)  # queued | sending | sent | delivered | failed | undelivered
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    send_after: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    last_error: Mapped[str | None] = mapped_column(String(200))
    twilio_sid: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SmsTemplate(Base):
    """An admin's wording for one kind of text in one language, used instead of the default."""

    __tablename__ = "sms_template"
    __table_args__ = (UniqueConstraint("kind", "language", name="sms_template_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # invitation | reminder
    language: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(300))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
