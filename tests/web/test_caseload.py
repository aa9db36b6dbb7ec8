"""The caseload as a practitioner acts on it: what is due and since when, a T1 missed once the case
closed, filtering and sorting by what needs doing (a plain GET form), study ids that never wrap,
and questionnaires started with them but not sent, with a way to continue."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from survey_app import clock
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import records
from survey_app.store.audit import AuditEntry
from tests.factories import create_consent_decision, create_record, create_site, create_staff, \
    create_started_administration, sign_in_as
from tests.helpers import soup


@pytest.fixture
def worker(session):
    return create_staff(session, "case_manager", sites=[create_site(session)])


def engaged(app, session, worker, name, first_session, closed=None):
    person = create_record(session, records.keyrings(app.config)["service_user"], "service_user", worker.sites[0],
                           name=name)
    person.eligibility, person.eligibility_date, person.first_session_date = "eligible", first_session, first_session
    if closed:
        person.closure_date, person.closure_outcome = closed, "disengaged"
    return person


def test_the_caseload_says_what_is_due_and_since_when(app, client, session, worker):
    due_now = engaged(app, session, worker, "Due Now", clock.today())
    overdue = engaged(app, session, worker, "Over Due", date(2026, 11, 6))
    missed = engaged(app, session, worker, "Missed Out", date(2026, 11, 6), closed=date(2026, 11, 20))
    session.commit()
    sign_in_as(client, worker)
    page = soup(client.get("/caseload"))

    def said(person, timepoint):
        return page.select_one(f"#due-{person.study_id}-{timepoint}").get_text(" ", strip=True)

    assert said(due_now, "T1") == "T1 questionnaires: Due now open since 30/11/2026, last day 14/12/2026"
    assert said(due_now, "T2") == "T2 questionnaires: Not yet due from when the case closes"
    # The window from 6/11 closes ten working days later, on 20/11: overdue from the day after.
    assert said(overdue, "T1") == "T1 questionnaires: Overdue since 21/11/2026 (the last day was 20/11/2026)"
    # Closed without T1: it can no longer be collected, so it is missed, not overdue for ever.
    assert said(missed, "T1") == "T1 questionnaires: Missed not sent before the case closed on 20/11/2026"


def shown(client, query="") -> list[str]:
    page = soup(client.get("/caseload" + query))
    return [row.select("td")[1].get_text(strip=True) for row in page.select("tbody tr")]


def test_the_caseload_filters_and_sorts_by_what_needs_doing_with_a_plain_get_form(app, client, session, worker):
    # Newest referral first by default: the last made is shown first.
    waiting = engaged(app, session, worker, "Not Yet", None)
    waiting.eligibility_date = date(2026, 9, 2)
    overdue = engaged(app, session, worker, "Over Due", date(2026, 11, 6))
    closing = engaged(app, session, worker, "Last Days", date(2026, 11, 17))  # last day 1/12
    due_now = engaged(app, session, worker, "Due Now", clock.today())
    for person, referred in ((waiting, 4), (overdue, 3), (closing, 2), (due_now, 1)):
        person.referral_date = date(2026, 9, referred)
    session.commit()
    sign_in_as(client, worker)
    form = soup(client.get("/caseload")).select_one("main form")
    assert form["method"] == "get" and form.select_one("select[name=need]") and form.select_one("select[name=order]")

    assert shown(client) == [p.study_id for p in (waiting, overdue, closing, due_now)]
    assert shown(client, "?order=need") == [p.study_id for p in (overdue, closing, due_now, waiting)]
    assert shown(client, "?need=overdue") == [overdue.study_id]
    assert shown(client, "?need=due_soon") == [closing.study_id]
    assert shown(client, "?need=due_now&order=need") == [closing.study_id, due_now.study_id]
    assert shown(client, "?need=nonsense&order=nonsense") == shown(client)
    page = soup(client.get("/caseload?need=overdue"))
    assert page.select_one("#shown").get_text(strip=True) == "Showing 1 of 4 people"
    assert page.select_one("select[name=need] option[selected]")["value"] == "overdue"


def test_only_the_people_shown_are_named_in_the_audit_entry(app, client, session, worker):
    overdue = engaged(app, session, worker, "Over Due", date(2026, 11, 6))
    engaged(app, session, worker, "Due Now", clock.today())
    session.commit()
    sign_in_as(client, worker)
    client.get("/caseload?need=overdue")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "caseload.view_names")).one()
    assert json.loads(entry.detail)["records"] == [overdue.study_id]


def test_a_study_id_never_wraps(app, client, session, worker):
    person = engaged(app, session, worker, "Ada", clock.today())
    session.commit()
    sign_in_as(client, worker)
    cell = soup(client.get("/caseload")).select_one("tbody tr").select("td")[1]
    assert cell.get_text(strip=True) == person.study_id and "app-nowrap" in cell["class"]


def test_questionnaires_started_with_them_and_not_sent_show_with_a_way_to_continue(app, client, session, worker):
    person = engaged(app, session, worker, "Ada", date(2026, 11, 24))
    create_consent_decision(session, person)
    link = create_started_administration(session, person, load_catalogue(instruments_dir()), "T1", "phone",
                                         staff_id=worker.id)
    session.commit()
    sign_in_as(client, worker)
    continue_on_phone = f"/service-users/{person.study_id}/links/{link.id}/phone"
    for page in (soup(client.get("/caseload")), soup(client.get(f"/service-users/{person.study_id}"))):
        said = page.select_one(f"#due-{person.study_id}-T1")
        assert "Started, not sent T1 questionnaires started 30/11/2026 on the phone." in said.get_text(" ", strip=True)
        assert [a["href"] for a in said.select("a")] == [continue_on_phone]
    # Continuing goes straight back to the next question, with what was saved kept.
    assert "/questions/" in client.get(continue_on_phone).location


def test_the_link_form_has_its_own_heading(app, client, session, worker):
    person = engaged(app, session, worker, "Ada", clock.today())
    session.commit()
    sign_in_as(client, worker)
    page = soup(client.get(f"/service-users/{person.study_id}"))
    form = page.select_one(f"form[action='/service-users/{person.study_id}/links']")
    assert form.find_previous(["h2"]).get_text(strip=True) == "Make a new link for questionnaires"
