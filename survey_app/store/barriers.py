"""The evaluator's register of barriers, for progression criteria 4 and 10.

No person is named here: a barrier is a short description the evaluator writes, and whether
it looks surmountable.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.store.db import Base


class Barrier(Base):
    __tablename__ = "barrier"

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion: Mapped[int] = mapped_column(Integer)  # 4 (implementation and support) or 10 (impact evaluation)
    description: Mapped[str] = mapped_column(String(300))
    surmountable: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
