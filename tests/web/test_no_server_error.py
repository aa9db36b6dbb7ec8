"""Input that used to answer 500: each now gets a clear message and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey_app.services import consent, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.consent import ConsentEventRow
from survey_app.store.sms import SafeContactRow
from tests.factories import create_record, create_site, create_staff
from tests.helpers import soup


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
