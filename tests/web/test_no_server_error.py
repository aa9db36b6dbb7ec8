"""Input that used to answer 500: each now gets a clear message and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey_app.services import consent, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.consent import ConsentEventRow
from survey_app.store.db import DoesNotFit
from survey_app.store.sms import SafeContactRow
from survey_app.store.staff import ReferralTarget, Site
from tests.factories import create_record, create_site, create_staff


@pytest.fixture
def case(app):
    with app.extensions["survey_sessions"]() as session:
        site = create_site(session)
        ring = records.keyrings(app.config)["service_user"]
        person = create_record(session, ring, "service_user", site)
        practitioner = create_staff(session, "case_manager", sites=[site])
        session.commit()
        return {"study_id": person.study_id, "practitioner": practitioner}


def count(app, table) -> int:
    with app.extensions["survey_sessions"]() as session:
        return session.scalar(select(func.count()).select_from(table))


def errors(page) -> str:
    return page.select_one(".govuk-error-summary").get_text(" ", strip=True)


def test_verbal_consent_in_a_language_with_no_consent_document_is_refused(app, client_request, case):
    client_request.sign_in(case["practitioner"])
    page = client_request.post(f"/service-users/{case['study_id']}/consent", data={
        "outcome": "given", "language": "fr", "read_out": "y", "questionnaires": "yes", "share_answers": "yes",
        "share_monitoring": "yes", "interview_contact": "yes", "link_partner": "no"}, _expected_status=200)
    assert "Choose a language the consent document is published in" in errors(page)
    assert count(app, ConsentEventRow) == 0


def test_the_safe_contact_form_after_a_withdrawal_with_deletion_says_no_text_can_be_sent(app, client_request, case):
    with app.extensions["survey_sessions"]() as session:
        found = records.find(session, case["practitioner"], "service_user", case["study_id"])
        consent.withdraw(session, found, COMMAND_LINE, delete=True, mode=consent.VERBAL)
    client_request.sign_in(case["practitioner"])
    page = client_request.post(f"/service-users/{case['study_id']}/safe-contact", data={"may_text": "yes"},
                               _expected_status=200)
    assert "Their contact details were deleted when they stopped taking part" in errors(page)
    assert count(app, SafeContactRow) == 0


@pytest.fixture
def admin_request(client_request, session):
    admin = create_staff(session, "admin")
    session.commit()
    return client_request.sign_in(admin)


NUL_MESSAGE = "This contains a character that cannot be saved (a null character). Type it again."


def test_a_null_character_in_a_site_name_is_a_form_error(app, admin_request):
    page = admin_request.post("/admin/sites", {"name": "Sut\x00ton"}, _expected_status=200)
    assert NUL_MESSAGE in errors(page)
    assert "\x00" not in page.select_one("input#name")["value"]
    assert count(app, Site) == 0


def test_a_null_character_in_the_sign_in_email_is_a_form_error(client_request):
    page = client_request.post("/sign-in", {"email": "someone\x00@example.org", "password": "x" * 12},
                               _expected_status=200)
    assert NUL_MESSAGE in errors(page)


def test_a_null_character_in_the_audit_filter_is_shown_and_filters_nothing(admin_request):
    page = admin_request.get("/admin/audit?person=staff:1%00&action=site.create%00")
    assert NUL_MESSAGE in page.select_one("main").get_text(" ", strip=True)


def test_a_site_name_longer_than_its_audit_entry_allows_is_refused(app, admin_request):
    admin_request.post("/admin/sites", {"name": "S" * 95})
    page = admin_request.post("/admin/sites", {"name": "T" * 96}, _expected_status=200)
    assert "Enter 95 characters or fewer" in errors(page)
    assert count(app, Site) == 1


@pytest.mark.parametrize("target", [str(2 ** 31), str(2 ** 63), str(10 ** 30)])
def test_a_referral_target_beyond_a_whole_number_column_is_refused(app, admin_request, session, target):
    site = create_site(session)
    session.commit()
    page = admin_request.post("/admin/targets", {
        "site": site.id, "period_start": ["1", "4", "2026"], "period_end": ["31", "3", "2027"], "target": target},
        _expected_status=200)
    assert "Enter a whole number from 0 to 2147483647" in errors(page)
    assert count(app, ReferralTarget) == 0


def test_the_store_refuses_a_value_longer_than_its_column_on_every_engine(session):
    session.add(Site(name="N" * 101, active=True))
    with pytest.raises(DoesNotFit, match="site.name holds at most 100 characters"):
        session.flush()


@pytest.mark.parametrize("number", [2 ** 31, 2 ** 63, 10 ** 30])
def test_an_id_in_the_address_too_big_for_its_column_is_not_found(admin_request, number):
    admin_request.get(f"/admin/staff/{number}", _expected_status=404)
    admin_request.get(f"/admin/staff/{number}/reset/password", _expected_status=404)
