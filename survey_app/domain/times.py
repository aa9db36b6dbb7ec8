"""Time helpers shared by the domain and the stores."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo


def as_utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time the platform stores is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


ENGLAND = ZoneInfo("Europe/London")


def day_in_england(moment: datetime) -> date:
    """The calendar day a stored (UTC) moment fell on in England: what people and datasets call its date."""
    return as_utc(moment).astimezone(ENGLAND).date()
