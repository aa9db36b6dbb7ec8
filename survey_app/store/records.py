"""The two record stores: service users, and (ex-)partner victim-survivors.

They are separate tables with separate master keys (see crypto.py) and share nothing but
the shape of a record. The only link between them, a victim-survivor's link to the service
user's case, is held on the victim-survivor side alone.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.store.db import Base

SERVICE_USER = "service_user"
VICTIM_SURVIVOR = "victim_survivor"
STORES = (SERVICE_USER, VICTIM_SURVIVOR)


class Record:
    """Columns both stores have: the pseudonymous id, encrypted contact details, the pathway."""

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[str] = mapped_column(String(9), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    # The person's data key, wrapped by the store's master key. Set to None to destroy
    # every copy of their contact details at once.
    wrapped_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    name: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    referral_date: Mapped[date] = mapped_column(Date)
    referral_source: Mapped[str] = mapped_column(String(30))
    eligibility: Mapped[str] = mapped_column(String(12), default="pending")
    eligibility_date: Mapped[date | None] = mapped_column(Date)
    first_session_date: Mapped[date | None] = mapped_column(Date)
    closure_date: Mapped[date | None] = mapped_column(Date)
    closure_outcome: Mapped[str | None] = mapped_column(String(12))
    # Free text that may say anything about the person: encrypted with their data key like the
    # contact details, and destroyed with them.
    closure_reason: Mapped[bytes | None] = mapped_column(LargeBinary)

    ENCRYPTED = ("name", "phone", "closure_reason")


class ServiceUser(Record, Base):
    __tablename__ = "service_user"
    store = SERVICE_USER


class VictimSurvivor(Record, Base):
    __tablename__ = "victim_survivor"
    store = VICTIM_SURVIVOR

    # The service user's study id, so partner support workers can see where that case is.
    linked_service_user: Mapped[str | None] = mapped_column(String(9), index=True)


MODELS = {SERVICE_USER: ServiceUser, VICTIM_SURVIVOR: VictimSurvivor}
