"""Invitations: one private link for one participant and one timepoint, and how it was shared."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.store.db import Base
from survey_app.store.owners import OwnedByRecord


class Invitation(OwnedByRecord, Base):
    __tablename__ = "invitation"
    # Exactly one of the two stores: the link belongs to one person.
    __table_args__ = (CheckConstraint("(service_user_id IS NULL) <> (victim_survivor_id IS NULL)",
                                      name="invitation_one_store"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    service_user_id: Mapped[int | None] = mapped_column(ForeignKey("service_user.id", ondelete="CASCADE"))
    victim_survivor_id: Mapped[int | None] = mapped_column(ForeignKey("victim_survivor.id", ondelete="CASCADE"))
    timepoint: Mapped[str] = mapped_column(String(2))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    access_code_hash: Mapped[str | None] = mapped_column(String(200))  # argon2; None when no code is asked
    code_failures: Mapped[int] = mapped_column(Integer, default=0)
    code_paused_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when someone left a link without an access code by the quick exit; until a practitioner
    # reopens it, the link shows only the neutral "not working" page.
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last quick exit from this link: an access code entered in any browser before it no longer
    # holds, so a copy of the session taken before the exit cannot reopen the questions.
    exited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The page language the participant chose (a locale code such as "ur" or "pa_Arab"), so the next
    # visit and the texts sent about this link use it; None until they choose.
    language: Mapped[str | None] = mapped_column(String(20))


class InvitationShare(Base):
    """Each time a link was shared, and how: copied, shown as a QR code, or sent by SMS."""

    __tablename__ = "invitation_share"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    shared_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    shared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
