"""When each timepoint is due: the T1 and T2 windows, and where a person stands in them.

- T1 opens at the first support session and closes a configured number of working days later.
- T2 for a service user opens at their case closure and closes five working days later.
- T2 for a victim-survivor opens when the linked service user's case closes and closes four
  weeks later.

Working days in England exclude weekends and bank holidays, taken from the `holidays` package
(England's calendar, substitute days included), never from a hand-typed list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from survey_app.domain.text import N_

T1_WORKING_DAYS = 10  # the study leaves this open; set per study
T2_SERVICE_USER_WORKING_DAYS = 5
T2_VICTIM_SURVIVOR = timedelta(weeks=4)
DUE_SOON_DAYS = 2  # "due soon" in the last this-many days of a window

NOT_YET, DUE, DUE_SOON, OVERDUE, DONE = "not_yet", "due", "due_soon", "overdue", "done"
STATUS_NAMES = {NOT_YET: N_("Not yet due"), DUE: N_("Due"), DUE_SOON: N_("Due soon"), OVERDUE: N_("Overdue"),
                DONE: N_("Done")}


@lru_cache(maxsize=1)
def _england() -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG")


def add_working_days(start: date, days: int) -> date:
    """The working day `days` working days after `start` (start itself not counted)."""
    return _england().get_nth_working_day(start, days)


def working_days_between(start: date, end: date) -> int:
    """Working days from `start` to `end`, counted as add_working_days counts them (start itself not
    counted): add_working_days(start, n) is n working days after start. Negative when end is first."""
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    return _england().get_working_days_count(start + timedelta(days=1), end)


@dataclass(frozen=True)
class Window:
    opens: date
    closes: date  # the last day inside the window

    def contains(self, day: date) -> bool:
        return self.opens <= day <= self.closes


def t1_window(first_session: date | None, working_days: int = T1_WORKING_DAYS) -> Window | None:
    if first_session is None:
        return None
    return Window(first_session, add_working_days(first_session, working_days))


def t2_window(audience: str, closure: date | None) -> Window | None:
    """`closure` is the person's own case closure for a service user, and the linked service
    user's for a victim-survivor."""
    if closure is None:
        return None
    if audience == "service_user":
        return Window(closure, add_working_days(closure, T2_SERVICE_USER_WORKING_DAYS))
    return Window(closure, closure + T2_VICTIM_SURVIVOR)


def status(window: Window | None, today: date, done: bool) -> str:
    if done:
        return DONE
    if window is None or today < window.opens:
        return NOT_YET
    if today > window.closes:
        return OVERDUE
    if window.closes - today < timedelta(days=DUE_SOON_DAYS):
        return DUE_SOON
    return DUE


def may_remind(window: Window | None, today: date, sent: int, limit: int) -> bool:
    """Reminders go out inside the window only, and never more than `limit` times."""
    return window is not None and window.contains(today) and sent < limit
