"""Forms that change something once: the token each such form carries, kept once it has been acted on.

A person whose reply was lost (a dropped connection after the save) presses the button again and
sends the same form, with the same token: finding the token already here, the use case does nothing
a second time. Tokens are random and say nothing about the person or the form's content.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.store.db import Base


class FormSubmission(Base):
    __tablename__ = "form_submission"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Where the first submission led, for a use case whose retry must lead to the same place.
    result: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
