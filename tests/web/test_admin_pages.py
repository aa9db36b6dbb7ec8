"""Admin pages: sites, staff, targets; and that secrets never reach a log."""

from __future__ import annotations

import logging

import pyotp
import pytest
from sqlalchemy import select

from survey_app.services import records, staff as staff_service
from survey_app.store.sms import SmsTemplate
from survey_app.store.staff import ReferralTarget, Site, Staff
from tests.factories import PASSWORD, create_site, create_staff


@pytest.fixture
def admin(session):
    person = create_staff(session, "admin")
    session.commit()
    return person


@pytest.fixture
def admin_request(client_request, admin):
    return client_request.sign_in(admin)


def test_an_admin_adds_a_site_and_a_duplicate_is_refused(admin_request, session):
    admin_request.post("/admin/sites", {"name": "Sutton"}, _expected_redirect="/admin/sites")
    again = admin_request.post("/admin/sites", {"name": "Sutton"}, _expected_status=200)
    assert "There is already a site with this name" in again.select_one(".govuk-error-summary").text
    assert session.scalars(select(Site.name)).all() == ["Sutton"]


def test_an_admin_invites_someone_who_then_sets_a_password(app, admin_request, session):
    site = create_site(session)
    session.commit()
    page = admin_request.post("/admin/staff/invite", {
        "name": "Ruth Adebayo", "email": "Ruth@Example.org", "role": "partner_support_worker", "sites": [site.id]},
        _expected_status=200)
    link = page.select_one("code.app-secret").text
    path = link[link.index("/set-password/"):]
    newcomer = app.test_client()
    assert newcomer.post(path, data={"password": "three random words", "confirm": "three random words"}).status_code == 200
    assert newcomer.post("/sign-in", data={"email": "ruth@example.org", "password": "three random words"}).location \
        == "/caseload"
    assert newcomer.get(path).status_code == 404, "the link works once"


def test_an_admin_changes_role_and_sites_and_can_deactivate(admin_request, session):
    camden, croydon = create_site(session, "Camden"), create_site(session, "Croydon")
    person = create_staff(session, "case_manager", sites=[camden])
    session.commit()
    admin_request.post(f"/admin/staff/{person.id}", {
        "role": "partner_support_worker", "sites": [camden.id, croydon.id], "status": "inactive"},
        _expected_redirect="/admin/staff")
    session.refresh(person)
    assert (person.role, person.site_ids, person.active) == ("partner_support_worker", {camden.id, croydon.id}, False)


def test_an_admin_cannot_lock_themselves_out(admin_request, admin, session):
    page = admin_request.post(f"/admin/staff/{admin.id}", {"role": "evaluator", "status": "active"},
                              _expected_status=200)
    assert "You cannot remove your own admin role" in page.select_one(".govuk-error-summary").text
    assert session.get(Staff, admin.id).role == "admin"


def test_an_admin_sets_a_referral_target(admin_request, session):
    site = create_site(session)
    session.commit()
    admin_request.post("/admin/targets", {
        "site": site.id, "period_start": ["1", "4", "2026"], "period_end": ["31", "3", "2027"], "target": "60"},
        _expected_redirect="/admin/targets")
    [target] = session.scalars(select(ReferralTarget)).all()
    assert (target.site_id, target.target, str(target.period_end)) == (site.id, 60, "2027-03-31")


def test_the_audit_log_page_filters_by_action(admin_request, session):
    admin_request.post("/admin/sites", {"name": "Havering"})
    rows = admin_request.get("/admin/audit?action=site.").select("tbody tr")
    assert [row.select("td")[4].text for row in rows] == ["site.create"]


def test_passwords_codes_and_secrets_never_reach_a_log(app, client, session, caplog):
    person = create_staff(session, "case_manager")
    secret = staff_service.new_totp_secret()
    staff_service.save_totp_secret(person, secret, records.keyrings(app.config)["staff"])
    session.commit()
    code = pyotp.TOTP(secret).now()
    with caplog.at_level(logging.DEBUG):
        client.post("/sign-in", data={"email": person.email, "password": "wrong password!"})
        client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
        client.post("/sign-in/code", data={"code": code})
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret_text in (PASSWORD, "wrong password!", secret, code):
        assert secret_text not in logged
    with app.extensions["survey_sessions"]() as fresh:
        from survey_app.store.audit import AuditEntry

        details = " ".join(e.detail + e.subject for e in fresh.scalars(select(AuditEntry)))
    assert PASSWORD not in details and secret not in details and person.email not in details


def test_an_admin_changes_the_wording_of_texts_and_unsafe_wording_is_refused(admin_request, session):
    listing = admin_request.get("/admin/texts")
    assert "Hello. A reminder about the link we talked about: {link}" in listing.get_text()
    for unsafe, message in (("Your survey is waiting: {link}", "could tell someone else"),
                            ("Hello, here it is", "must include {link} once")):
        page = admin_request.post("/admin/texts/reminder/en", {"text": unsafe}, _expected_status=200)
        assert message in page.select_one(".govuk-error-summary").get_text()
    assert session.scalars(select(SmsTemplate)).all() == []
    admin_request.post("/admin/texts/reminder/en", {"text": "Hi, just checking in: {link}"},
                       _expected_redirect="/admin/texts")
    assert session.scalars(select(SmsTemplate.text)).all() == ["Hi, just checking in: {link}"]
