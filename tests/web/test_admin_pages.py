"""Admin pages: sites, staff, targets; and that secrets never reach a log."""

from __future__ import annotations

import logging

import pyotp
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from survey_app.services import records, staff as staff_service
from survey_app.store.sms import SmsTemplate
from survey_app.store.staff import ReferralTarget, Site, Staff
from tests.factories import PASSWORD, create_site, create_staff, sign_in_as


@pytest.fixture
def admin_client(client, session):
    admin = create_staff(session, "admin")
    session.commit()
    sign_in_as(client, admin)
    client.admin = admin
    return client


def test_an_admin_adds_a_site_and_a_duplicate_is_refused(admin_client, session):
    assert admin_client.post("/admin/sites", data={"name": "Sutton"}).status_code == 302
    again = admin_client.post("/admin/sites", data={"name": "Sutton"})
    assert "There is already a site with this name" in again.get_data(as_text=True)
    assert session.scalars(select(Site.name)).all() == ["Sutton"]


def test_an_admin_invites_someone_who_then_sets_a_password(app, admin_client, session):
    site = create_site(session)
    session.commit()
    response = admin_client.post("/admin/staff/invite", data={
        "name": "Ruth Adebayo", "email": "Ruth@Example.org", "role": "partner_support_worker", "sites": [site.id]})
    link = BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("code.app-secret").text
    path = link[link.index("/set-password/"):]
    newcomer = app.test_client()
    assert newcomer.post(path, data={"password": "three random words", "confirm": "three random words"}).status_code == 200
    assert newcomer.post("/sign-in", data={"email": "ruth@example.org", "password": "three random words"}).location \
        == "/caseload"
    assert newcomer.get(path).status_code == 404, "the link works once"


def test_an_admin_changes_role_and_sites_and_can_deactivate(admin_client, session):
    camden, croydon = create_site(session, "Camden"), create_site(session, "Croydon")
    person = create_staff(session, "case_manager", sites=[camden])
    session.commit()
    response = admin_client.post(f"/admin/staff/{person.id}", data={
        "role": "partner_support_worker", "sites": [camden.id, croydon.id], "status": "inactive"})
    assert response.status_code == 302
    session.refresh(person)
    assert (person.role, person.site_ids, person.active) == ("partner_support_worker", {camden.id, croydon.id}, False)


def test_an_admin_cannot_lock_themselves_out(admin_client, session):
    response = admin_client.post(f"/admin/staff/{admin_client.admin.id}", data={"role": "evaluator", "status": "active"})
    assert "You cannot remove your own admin role" in response.get_data(as_text=True)
    assert session.get(Staff, admin_client.admin.id).role == "admin"


def test_an_admin_sets_a_referral_target(admin_client, session):
    site = create_site(session)
    session.commit()
    response = admin_client.post("/admin/targets", data={
        "site": site.id, "period_start": ["1", "4", "2026"], "period_end": ["31", "3", "2027"], "target": "60"})
    assert response.status_code == 302
    [target] = session.scalars(select(ReferralTarget)).all()
    assert (target.site_id, target.target, str(target.period_end)) == (site.id, 60, "2027-03-31")


def test_the_audit_log_page_filters_by_action(admin_client, session):
    admin_client.post("/admin/sites", data={"name": "Havering"})
    page = admin_client.get("/admin/audit?action=site.")
    rows = BeautifulSoup(page.get_data(as_text=True), "html.parser").select("tbody tr")
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


def test_an_admin_changes_the_wording_of_texts_and_unsafe_wording_is_refused(admin_client, session):
    listing = BeautifulSoup(admin_client.get("/admin/texts").get_data(as_text=True), "html.parser")
    assert "Hello. A reminder about the link we talked about: {link}" in listing.get_text()
    for unsafe, message in (("Your survey is waiting: {link}", "could tell someone else"),
                            ("Hello, here it is", "must include {link} once")):
        page = admin_client.post("/admin/texts/reminder/en", data={"text": unsafe})
        summary = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one(".govuk-error-summary")
        assert message in summary.get_text()
    assert session.scalars(select(SmsTemplate)).all() == []
    assert admin_client.post("/admin/texts/reminder/en", data={"text": "Hi, just checking in: {link}"}).location == \
        "/admin/texts"
    assert session.scalars(select(SmsTemplate.text)).all() == ["Hi, just checking in: {link}"]
