"""Sites, staff accounts and their sites, and per-site referral targets."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, ForeignKey, Integer, LargeBinary, String, \
    Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.store.db import Base

staff_site = Table(
    "staff_site", Base.metadata,
    Column("staff_id", ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id", ondelete="CASCADE"), primary_key=True),
)


class Site(Base):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    password_hash: Mapped[str | None] = mapped_column(String(200))  # None until an invitation is accepted
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted with the staff keyring
    # The newest 30-second step whose code was accepted: a code is good once, however often it is seen.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Every session of this account carries the generation it began in; raising it (sign-out, a new
    # password, deactivation, a session that ran out) ends them all, whatever cookies are still about.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_signin_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    sites: Mapped[list[Site]] = relationship(secondary=staff_site, order_by=Site.name)

    @property
    def site_ids(self) -> set[int]:
        return {site.id for site in self.sites}


class ReferralTarget(Base):
    """How many referrals a site aims for in a period; the evaluator's progression criteria use it."""

    __tablename__ = "referral_target"
    __table_args__ = (UniqueConstraint("site_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    target: Mapped[int] = mapped_column(Integer)


class SigninThrottle(Base):
    """Failed sign-ins per email address, kept whether or not the address has an account, so
    slowing down and locking reveal nothing about which addresses exist; and failed second-factor
    codes per account (`email_hash` is then the hash of the account's code key, see services/staff.py).

    A try is counted before its password is checked, by a conditional UPDATE on `failures`, so
    concurrent tries each take their own place and no more are checked than the limits allow."""

    __tablename__ = "signin_throttle"

    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ResetLink(Base):
    """A one-time link for a member of staff: to set a password (an invitation or a reset) or to set up new
    sign-in codes. Only the hash of its token is kept."""

    __tablename__ = "staff_reset_link"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20), server_default="password")  # "password" or "codes"
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AttemptCounter(Base):
    """Tries of one kind from one client address (access codes, sign-in) in a fixed window, counted
    in the database so that every worker process shares the count."""

    __tablename__ = "attempt_counter"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the kind and the address
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    count: Mapped[int] = mapped_column(Integer)
