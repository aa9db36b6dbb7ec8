"""The platform's one clock.

Every rule that needs "now" or "today" reads it here, never from `datetime.now()`, `date.today()`
or `time.time()` (a test in tests/unit/test_clock.py looks for those). Tests set the clock to a
fixed moment, so nothing depends on the day the suite runs; moved with `faketime`, the whole
platform moves with it.

"Today" is the date in England: the programme works in London, windows count England's working
days, and a server set to UTC would otherwise start a new day an hour early in summer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# How far this process's clock is moved from the machine's: zero except in tests.
_offset = timedelta(0)
_stopped_at: datetime | None = None


def now() -> datetime:
    """This moment, in UTC, timezone-aware."""
    if _stopped_at is not None:
        return _stopped_at
    return datetime.now(timezone.utc) + _offset


def today() -> date:
    """Today's date in England."""
    return now().astimezone(LONDON).date()


def seconds() -> int:
    """Whole seconds since the epoch, for timestamps kept in cookies."""
    return int(now().timestamp())


@contextmanager
def set_to(moment: datetime, running: bool = True) -> Iterator[None]:
    """Move the clock to `moment` (UTC if naive) for the duration of the block.

    Running (the default), it goes on ticking from there, as a real clock would; stopped, it
    stays at `moment` until the block ends.
    """
    global _offset, _stopped_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    saved = _offset, _stopped_at
    if running:
        _offset, _stopped_at = moment - datetime.now(timezone.utc), None
    else:
        _offset, _stopped_at = timedelta(0), moment
    try:
        yield
    finally:
        _offset, _stopped_at = saved
