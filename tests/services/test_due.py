"""What is due: T1 from the first session, T2 from closure (the linked service user's for a
victim-survivor), done once sent."""

from __future__ import annotations

from datetime import date

from survey_app import clock
from survey_app.services import due, invitations, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.answers import Administration
from tests.factories import create_record, create_site, create_staff, sign_in_as
from tests.helpers import soup

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
