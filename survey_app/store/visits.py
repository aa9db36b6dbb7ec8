"""A browser's progress with a participant's link, kept here rather than in its cookie.

The cookie holds only a random key; this table holds the key's SHA-256 (so reading the database
is not enough to take over a browser's visit) and the progress: which link, when an access code
was entered and last used, the language chosen, and consent choices not yet confirmed. A visit
goes with its link (ON DELETE CASCADE), at the quick exit, and a day after it last changed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.store.db import Base


class ParticipantVisit(Base):
    __tablename__ = "participant_visit"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"), index=True)
    progress: Mapped[str] = mapped_column(Text)  # JSON
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
