"""What is due: T1 from the first session, T2 from closure (the linked service user's for a
victim-survivor), done once sent."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from survey_app import clock
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import due, invitations, record_pages, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.answers import Administration
from survey_app.store.staff import Staff
from tests.factories import (create_person, create_record, create_sent_questionnaire, create_site, create_staff,
                             create_started_administration)

TODAY = date(2026, 11, 23)


def statuses(session, record) -> dict[str, str]:
    return {item.timepoint: item.status for item in due.due_for(session, record, TODAY)}


def test_t1_and_t2_follow_the_pathway(app, session):
    rings, site = records.keyrings(app.config), create_site(session)
    su = create_record(session, rings["service_user"], "service_user", site)
    su.eligibility, su.eligibility_date, su.first_session_date = "eligible", date(2026, 9, 5), date(2026, 11, 20)
    vs = create_record(session, rings["victim_survivor"], "victim_survivor", site, linked_service_user=su.study_id)
    session.commit()
    assert statuses(session, su) == {"T1": "due", "T2": "not_yet"}
    su.closure_date, su.closure_outcome = date(2026, 11, 13), "completed"  # 6 working days ago
    session.commit()
    assert statuses(session, su)["T2"] == "overdue"
    assert statuses(session, vs) == {"T1": "not_yet", "T2": "due"}  # four weeks from the linked closure
    session.add(Administration(service_user_id=su.id, invitation_id=_link(session, su), timepoint="T2",
                               instruments="urica/1.0", language="en", started_at=clock.now(),
                               submitted_at=clock.now()))
    session.commit()
    assert statuses(session, su)["T2"] == "done"


def _link(session, record) -> int:
    return invitations.create(session, record, "T2", COMMAND_LINE, None, with_code=False).invitation.id


def test_questionnaires_begun_and_not_sent_are_reported_while_their_link_works(app, session):
    site = create_site(session)
    person = create_person(session, site, eligibility="eligible", eligibility_date=date(2026, 11, 2),
                           first_session_date=date(2026, 11, 2))
    catalogue = load_catalogue(instruments_dir())
    assert [item.started for item in due.due_for(session, person, TODAY)] == [None, None]
    link = create_started_administration(session, person, catalogue, "T1", "phone")
    session.commit()
    started = due.due_for(session, person, TODAY)[0].started
    assert (started.link_id, started.mode) == (link.id, "phone")
    invitations.revoke(session, link, COMMAND_LINE)
    session.commit()
    assert due.due_for(session, person, TODAY)[0].started is None  # it can no longer be continued


# --- the caseload asks a fixed number of queries ---------------------------------------------------

def statements_for_caseload(app, staff_id: int) -> int:
    """How many SQL statements one caseload page is made with."""
    engine = app.extensions["survey_engine"]
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.extensions["survey_sessions"]() as session:
        staff = session.get(Staff, staff_id)
        staff.site_ids  # the signed-in person, as the request has them already
        event.listen(engine, "before_cursor_execute", count)
        try:
            page = record_pages.caseload_page(session, staff, app.config, TODAY)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert page.rows
    return len(seen)


def add_people(session, site, catalogue, store, how_many):
    """`how_many` engaged people in `store`: some closed, some with T1 sent, some with T1 begun and
    not sent; a victim-survivor linked to a service user whose case closed."""
    for n in range(how_many):
        closed = {"closure_date": date(2026, 11, 20), "closure_outcome": "completed"}
        linked = {"linked_service_user": create_person(session, site, **closed).study_id} \
            if store == "victim_survivor" else {}
        person = create_person(session, site, store, eligibility="eligible", eligibility_date=date(2026, 11, 2),
                               first_session_date=date(2026, 11, 2), **linked, **(closed if n % 3 == 0 else {}))
        if n % 5 == 1:
            create_sent_questionnaire(session, person, "T1")
        elif n % 5 == 2:
            create_started_administration(session, person, catalogue, "T1", "screen_share")
    session.commit()


@pytest.mark.parametrize("store, role", [("service_user", "case_manager"),
                                         ("victim_survivor", "partner_support_worker")])
def test_the_caseload_asks_the_same_number_of_queries_for_5_and_50_people(app, session, store, role):
    site = create_site(session)
    worker = create_staff(session, role, sites=[site])
    catalogue = load_catalogue(instruments_dir())
    add_people(session, site, catalogue, store, 5)
    with_five = statements_for_caseload(app, worker.id)
    add_people(session, site, catalogue, store, 45)
    assert statements_for_caseload(app, worker.id) == with_five
