"""The evaluator's counts: by site and stage in each store, counted by the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from survey_app.services import progress, records
from tests.factories import create_record, create_site

# (eligibility, eligibility date, first session, closure date, closure outcome) -> the stage it is at
AT_STAGE = {
    "referred": ("pending", None, None, None, None),
    "not_eligible": ("ineligible", date(2026, 9, 5), None, None, None),
    "awaiting_engagement": ("eligible", date(2026, 9, 5), None, None, None),
    "engaged": ("eligible", date(2026, 9, 5), date(2026, 9, 20), None, None),
    "closed": ("eligible", date(2026, 9, 5), date(2026, 9, 20), date(2026, 11, 1), "completed"),
}


def add(session, rings, store, site, stage_name, how_many=1):
    eligibility, decided, first, closed, outcome = AT_STAGE[stage_name]
    for _ in range(how_many):
        record = create_record(session, rings[store], store, site)
        record.eligibility, record.eligibility_date, record.first_session_date = eligibility, decided, first
        record.closure_date, record.closure_outcome = closed, outcome


def test_counts_each_store_by_site_and_stage(app, session):
    rings = records.keyrings(app.config)
    camden, croydon = create_site(session, "Camden"), create_site(session, "Croydon")
    add(session, rings, "service_user", camden, "referred", 2)
    add(session, rings, "service_user", camden, "engaged")
    add(session, rings, "service_user", croydon, "closed", 3)
    add(session, rings, "victim_survivor", camden, "not_eligible")
    add(session, rings, "victim_survivor", croydon, "awaiting_engagement", 2)
    # Closed wins over anything else, as the pathway says: an ineligible case that closed is closed.
    add(session, rings, "victim_survivor", croydon, "closed")
    session.commit()

    found = progress.progress(session)

    assert [site.name for site in found.sites] == ["Camden", "Croydon"]
    service_users, victim_survivors = found.counts["service_user"], found.counts["victim_survivor"]
    assert service_users[camden.id] == {"referred": 2, "not_eligible": 0, "awaiting_engagement": 0, "engaged": 1,
                                        "closed": 0}
    assert service_users[croydon.id]["closed"] == 3 and sum(service_users[croydon.id].values()) == 3
    assert victim_survivors[camden.id]["not_eligible"] == 1
    assert victim_survivors[croydon.id] == {"referred": 0, "not_eligible": 0, "awaiting_engagement": 2,
                                            "engaged": 0, "closed": 1}


def rows_read_for_progress(app) -> tuple[int, int]:
    """(statements, rows) the database hands back while the evaluator's counts are made."""
    read = {"statements": 0, "rows": 0}
    with app.extensions["survey_sessions"]() as session:
        @event.listens_for(session, "do_orm_execute")
        def count(state):
            result = state.invoke_statement().freeze()
            read["statements"] += 1
            read["rows"] += len(result().all())
            return result()

        progress.progress(session)
    return read["statements"], read["rows"]


def test_the_rows_read_do_not_grow_with_the_number_of_records(app, session):
    rings = records.keyrings(app.config)
    sites = [create_site(session, "Camden"), create_site(session, "Croydon")]

    def add_records(how_many_each):
        for store in ("service_user", "victim_survivor"):
            for index, stage_name in enumerate(AT_STAGE):
                add(session, rings, store, sites[index % 2], stage_name, how_many_each)
        session.commit()

    add_records(1)  # 10 records
    with_ten = rows_read_for_progress(app)
    add_records(19)  # 200 records
    with_two_hundred = rows_read_for_progress(app)

    assert with_ten == with_two_hundred
    assert with_ten[1] < 20
