"""When the database cannot be reached: which failures are an outage, and one log line for each.

A restart of the database server, a network break or a file that cannot be opened makes every
request fail at once, often for hundreds of people. Each of them gets a calm page that asks them to
try again (web/errors.py); the log gets one line when the outage is first seen and one when a
request reaches the database again, not a traceback per request.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

log = logging.getLogger("survey_app.database")

# The exceptions a lost database raises; web/errors.py gives them their own page.
DATABASE_ERRORS = (OperationalError, InterfaceError)
# SQLite reports some mistakes in the SQL itself as operational errors too: those are bugs, not outages.
SQLITE_MISTAKES = ("no such table", "no such column", "syntax error", "has no column")

_lock = threading.Lock()
_down = False


def is_outage(error: BaseException) -> bool:
    """Whether `error` means the database could not be reached (or could not answer now)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, InterfaceError):
        return True
    if isinstance(error, OperationalError):
        message = str(error.orig).lower()
        return not any(mistake in message for mistake in SQLITE_MISTAKES)
    return False


def noticed(error: BaseException) -> None:
    """Log the outage once: the first failure after the database last answered."""
    global _down
    with _lock:
        first, _down = not _down, True
    if first:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        log.error("The database cannot be reached; pages answer 503 until it is back (%s)",
                  reason[0] if reason else type(error).__name__)


def answered() -> None:
    """A request reached the database: if it was down, say once that it is back."""
    global _down
    if not _down:
        return
    with _lock:
        was_down, _down = _down, False
    if was_down:
        log.warning("The database answers again")
