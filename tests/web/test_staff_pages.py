"""Staff pages as people use them: signing in with a code, timing out, caseloads and records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from survey_app import clock
from survey_app.services import records, staff as staff_service
from survey_app.store.audit import AuditEntry
from survey_app.store.records import ServiceUser
from tests.factories import PASSWORD, create_record, create_site, create_staff, sign_in_as
from tests.helpers import current_code


def text(response) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").get_text(" ", strip=True)


def test_sign_in_with_password_and_code_lands_on_the_caseload(app, client, session):
    person = create_staff(session, "case_manager", sites=[create_site(session)])
    secret = staff_service.new_totp_secret()
    staff_service.save_totp_secret(person, secret, records.keyrings(app.config)["staff"])
    session.commit()
    response = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert response.location == "/sign-in/code"
    assert client.get("/caseload").status_code == 302, "not signed in before the code"
    wrong = client.post("/sign-in/code", data={"code": "000000"})
    assert "The code is not right" in text(wrong)
    response = client.post("/sign-in/code", data={"code": current_code(secret)})
    assert response.location == "/caseload"
    assert client.get("/caseload").status_code == 200


def test_a_wrong_password_gives_one_message_for_known_and_unknown_addresses(client, session):
    create_staff(session, "case_manager")
    session.commit()
    known = client.post("/sign-in", data={"email": "case_manager@example.org", "password": "wrong password!"})
    unknown = client.post("/sign-in", data={"email": "nobody@example.org", "password": "wrong password!"})
    assert "The email address or password is not right" in text(known)
    assert text(known) == text(unknown)


def test_an_admin_without_a_code_must_set_one_up_first(app, client, session):
    admin = create_staff(session, "admin")
    session.commit()
    response = client.post("/sign-in", data={"email": admin.email, "password": PASSWORD})
    assert response.location == "/sign-in/set-up-code"
    page = client.get("/sign-in/set-up-code")
    assert "<svg" in page.get_data(as_text=True)
    secret = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one("code.app-secret").text
    assert client.get("/admin/").status_code == 302
    response = client.post("/sign-in/set-up-code", data={"code": current_code(secret)})
    assert response.location == "/admin/"
    session.refresh(admin)
    assert staff_service.totp_secret(admin, records.keyrings(app.config)["staff"]) == secret


def test_a_practitioner_without_a_code_signs_in_with_a_password(client, session):
    person = create_staff(session, "partner_support_worker")
    session.commit()
    assert client.post("/sign-in", data={"email": person.email, "password": PASSWORD}).location == "/caseload"


def test_the_session_ends_after_30_minutes_without_activity(client, session):
    person = create_staff(session, "case_manager")
    session.commit()
    sign_in_as(client, person)
    assert client.get("/caseload").status_code == 200
    with client.session_transaction() as cookie:
        cookie["seen_at"] = clock.seconds() - 31 * 60
    response = client.get("/caseload")
    assert response.status_code == 302 and response.location.startswith("/sign-in")
    assert "You were signed out because you had not done anything for a while" in text(client.get("/sign-in"))


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, session):
    person = create_staff(session, "case_manager")
    session.commit()
    sign_in_as(client, person)
    person.active = False
    session.commit()
    assert client.get("/caseload").status_code == 302


def test_the_next_address_after_sign_in_stays_on_this_site(client, session):
    person = create_staff(session, "case_manager")
    session.commit()
    response = client.post("/sign-in?next=//evil.example/x", data={"email": person.email, "password": PASSWORD})
    assert response.location == "/caseload"


def test_a_case_manager_adds_a_referral_and_every_view_of_contact_details_is_audited(app, client, session):
    site = create_site(session)
    person = create_staff(session, "case_manager", sites=[site])
    session.commit()
    sign_in_as(client, person)
    response = client.post("/service-users/new", data={
        "name": "Gideon Larkspur", "phone": "07911 123456", "site": site.id, "referral_date": ["3", "11", "2026"], "referral_source": "early_help"})
    assert response.status_code == 302
    record = session.scalars(select(ServiceUser)).one()
    page = client.get(response.location)
    assert "Gideon Larkspur" in text(page) and "+447911123456" in text(page)
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.subject == f"service_user:{record.study_id}")
                              .order_by(AuditEntry.sequence))
    assert list(actions) == ["record.create", "record.view_contact"]


def test_a_bad_phone_number_changes_nothing_and_says_why(client, session):
    site = create_site(session)
    sign_in_as(client, create_staff(session, "case_manager", sites=[site]))
    session.commit()
    response = client.post("/service-users/new", data={
        "name": "Gideon Larkspur", "phone": "12", "site": site.id, "referral_date": ["3", "11", "2026"], "referral_source": "early_help"})
    assert response.status_code == 200
    assert "There is a problem" in text(response) and "This is not a phone number in use" in text(response)
    assert session.scalars(select(ServiceUser)).all() == []


@pytest.fixture
def signed_in_case(app, client, session):
    """A case manager signed in, and a service user at their site; returns the record."""
    site = create_site(session)
    person = create_staff(session, "case_manager", sites=[site])
    record = create_record(session, records.keyrings(app.config)["service_user"], "service_user", site)
    session.commit()
    sign_in_as(client, person)
    return record


def test_pathway_problems_are_shown_and_nothing_is_saved(client, session, signed_in_case):
    record = signed_in_case
    response = client.post(f"/service-users/{record.study_id}/pathway", data={
        "eligibility": "eligible", "closure_outcome": "other",
        "closure_date": ["1", "10", "2026"]})
    assert "Enter the date eligibility was decided" in text(response)
    assert "Say why the case closed" in text(response)
    too_early = record.referral_date - timedelta(days=1)
    response = client.post(f"/service-users/{record.study_id}/pathway", data={
        "eligibility": "eligible", "eligibility_date": [str(too_early.day), str(too_early.month), str(too_early.year)]})
    assert f"This date is before the referral ({record.referral_date.day} {record.referral_date:%B %Y})" in text(response)
    session.refresh(record)
    assert record.eligibility == "pending" and record.closure_date is None


def test_a_closure_reason_is_kept_encrypted_and_shown_again_on_the_pathway_page(app, client, session,
                                                                                   signed_in_case):
    record = signed_in_case
    response = client.post(f"/service-users/{record.study_id}/pathway", data={
        "eligibility": "eligible", "eligibility_date": ["5", "9", "2026"], "first_session_date": ["15", "9", "2026"],
        "closure_date": ["2", "11", "2026"], "closure_outcome": "other", "closure_reason": "Moved to Ambleside"})
    assert response.status_code == 302
    session.refresh(record)
    assert record.closure_outcome == "other" and b"Ambleside" not in record.closure_reason
    page = BeautifulSoup(client.get(f"/service-users/{record.study_id}/pathway").get_data(as_text=True), "html.parser")
    assert page.select_one("textarea[name=closure_reason]").text.strip() == "Moved to Ambleside"


def test_a_practitioner_may_add_sign_in_codes_and_is_then_asked_for_them(app, client, session):
    person = create_staff(session, "case_manager")
    session.commit()
    sign_in_as(client, person)
    page = client.get("/account/sign-in-codes")
    secret = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one("code.app-secret").text
    assert "Sign-in codes added" in text(client.post("/account/sign-in-codes", data={"code": current_code(secret)}))
    fresh = app.test_client()
    assert fresh.post("/sign-in", data={"email": person.email, "password": PASSWORD}).location == "/sign-in/code"


def test_a_new_link_is_shown_under_the_public_address(app, client, session, monkeypatch, signed_in_case):
    """The link a practitioner copies is built like the texts' and the demo's (SURVEY_BASE_URL), not
    from whatever address the practitioner's browser used."""
    monkeypatch.setitem(app.config, "SURVEY_BASE_URL", "https://answers.example.org")
    record = signed_in_case
    page = BeautifulSoup(client.post(f"/service-users/{record.study_id}/links", data={
        "timepoint": "T1", "access_code": "no", "channel": "copy"}, follow_redirects=True).get_data(as_text=True),
        "html.parser")
    assert page.select_one("#link")["value"].startswith("https://answers.example.org/q/")


def test_the_evaluator_sees_counts_by_site_and_stage_and_no_names(app, client, session):
    camden = create_site(session, "Camden")
    evaluator = create_staff(session, "evaluator")
    create_record(session, records.keyrings(app.config)["service_user"], "service_user", camden, name="Ulric Fenwhistle")
    session.commit()
    sign_in_as(client, evaluator)
    page = BeautifulSoup(client.get("/evaluator/").get_data(as_text=True), "html.parser")
    service_users = page.select_one("table#stages-service_user")
    [camden_row] = service_users.select("tbody tr")
    assert [cell.get_text(strip=True) for cell in camden_row.select("th, td")] == ["Camden", "1", "0", "0", "0", "0", "–"]
    assert "Fenwhistle" not in page.get_text()
