"""When each timepoint is due: the T1 and T2 windows, and where a person stands in them.

- T1 opens at the first support session and closes a configured number of working days later.
- T2 for a service user opens at their case closure and closes five working days later.
- T2 for a victim-survivor opens when the linked service user's case closes and closes four
  weeks later.
- T1 is the baseline: once a person's own case has closed without it, it can no longer be
  collected, so it is missed (not overdue for ever).

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

NOT_YET, DUE, DUE_SOON, OVERDUE, MISSED, DONE = "not_yet", "due", "due_soon", "overdue", "missed", "done"
STATUS_NAMES = {NOT_YET: N_("Not yet due"), DUE: N_("Due now"), DUE_SOON: N_("Due soon"), OVERDUE: N_("Overdue"),
                MISSED: N_("Missed"), DONE: N_("Done")}
# What needs doing first: the order a caseload sorted by need follows.
URGENCY = (OVERDUE, DUE_SOON, DUE, NOT_YET, MISSED, DONE)
# The caseload's filters, each with the statuses it shows. "Due now" is every open window.
NEEDS = {"due_now": (DUE, DUE_SOON), "due_soon": (DUE_SOON,), "overdue": (OVERDUE,)}
NEED_NAMES = {"due_now": N_("Due now"), "due_soon": N_("Due soon"), "overdue": N_("Overdue")}


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

    @property
    def overdue_from(self) -> date:
        return self.closes + timedelta(days=1)


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
    """T2's status; T1's is `t1_status`, which also knows when T1 can no longer be collected."""
    if done:
        return DONE
    if window is None or today < window.opens:
        return NOT_YET
    if today > window.closes:
        return OVERDUE
    if window.closes - today < timedelta(days=DUE_SOON_DAYS):
        return DUE_SOON
    return DUE


def t1_status(window: Window | None, today: date, done: bool, closure: date | None) -> str:
    """A T1 not sent by the time the person's own case closed is missed: a baseline cannot be
    collected at the end of support."""
    if not done and window is not None and closure is not None and closure <= today:
        return MISSED
    return status(window, today, done)


def most_urgent(statuses: list[str]) -> int:
    """A sort key: the position in URGENCY of the status that needs doing first."""
    return min(URGENCY.index(s) for s in statuses)


def early(window: Window | None, made_on: date) -> bool:
    """A link made before its window opened (or before there was one) gives early answers."""
    return window is None or made_on < window.opens


def may_remind(window: Window | None, today: date, sent: int, limit: int) -> bool:
    """Reminders go out inside the window only, and never more than `limit` times."""
    return window is not None and window.contains(today) and sent < limit
