"""Tries per client address, counted in the database so that every worker process shares the count:
a fixed window per kind of form. (Per link and per account there are stricter limits besides: see
invitations.check_code and staff.sign_in.)"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from sqlalchemy import case
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain.times import as_utc
from survey_app.services.unit_of_work import transaction
from survey_app.store.db import insert_for
from survey_app.store.staff import AttemptCounter


@dataclass(frozen=True)
class Limit:
    kind: str
    tries: int
    window: timedelta


ACCESS_CODE = Limit("access-code", 20, timedelta(minutes=15))
# Sign-in and its second step together: enough for a busy office behind one address, too few to try
# many accounts' passwords from one machine.
SIGN_IN = Limit("sign-in", 30, timedelta(minutes=15))


def wait_seconds(session: Session, limit: Limit, address: str, now: datetime | None = None) -> int:
    """Count one try of `limit`'s kind from `address`: 0 when it may go ahead, otherwise how many
    seconds are left of the window it broke. One INSERT … ON CONFLICT DO UPDATE … RETURNING, so
    concurrent tries are each counted once."""
    now = now or clock.now()
    key = hashlib.sha256(f"{limit.kind}\0{address}".encode("utf-8")).hexdigest()
    window_over = AttemptCounter.window_start <= now - limit.window
    statement = insert_for(session, AttemptCounter).values(key=key, window_start=now, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[AttemptCounter.key],
        set_={"count": case((window_over, 1), else_=AttemptCounter.count + 1),
              "window_start": case((window_over, now), else_=AttemptCounter.window_start)},
    ).returning(AttemptCounter.count, AttemptCounter.window_start)
    with transaction(session):
        count, window_start = session.execute(statement).one()
    if count <= limit.tries:
        return 0
    return max(1, ceil((as_utc(window_start) + limit.window - now).total_seconds()))

