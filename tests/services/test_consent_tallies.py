"""The anonymous consent tallies count every decision once, however many arrive together at a site
that has none yet: each in its own thread and connection, as gunicorn's workers would send them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from threading import Barrier

from sqlalchemy import select

from survey_app.services import consent
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.consent import ConsentTally
from survey_app.store.records import ServiceUser
from tests.factories import create_record, create_site, keyring

START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
TOGETHER = 8


def test_concurrent_first_decisions_at_a_new_site_are_each_counted_once(app, session):
    site, ring = create_site(session, "Newtown"), keyring()
    ids = [create_record(session, ring, "service_user", site, name=f"Person {n}").id
           for n in range(TOGETHER)]
    session.commit()
    barrier = Barrier(TOGETHER)

    def withdraw(record_id):
        with app.extensions["survey_sessions"]() as own:
            record = own.get(ServiceUser, record_id)
            barrier.wait()
            consent.withdraw(own, record, COMMAND_LINE, delete=False, mode=consent.VERBAL, now=START)

    with ThreadPoolExecutor(TOGETHER) as pool:
        list(pool.map(withdraw, ids))  # an error in any thread is raised here
    rows = session.execute(select(ConsentTally.outcome, ConsentTally.count)
                           .where(ConsentTally.site_id == site.id)).all()
    assert rows == [("withdrawn", TOGETHER)]
