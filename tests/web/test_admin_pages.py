"""Admin pages: sites, staff, targets; and that secrets never reach a log."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from survey_app import clock
from survey_app.services import audit, audit_log, records, staff as staff_service
from survey_app.services.audit import COMMAND_LINE, Actor
from survey_app.store.audit import AuditEntry
from survey_app.store.sms import SmsTemplate
from survey_app.store.staff import ReferralTarget, Site, Staff
from tests.factories import PASSWORD, create_site, create_staff
from tests.helpers import current_code, soup


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
    rows = admin_request.get("/admin/audit?action=site.create").select("tbody tr")
    assert [row.select("td")[4].text for row in rows] == ["site.create"]


def test_passwords_codes_and_secrets_never_reach_a_log(app, client, session, caplog):
    person = create_staff(session, "case_manager")
    secret = staff_service.new_totp_secret()
    staff_service.save_totp_secret(person, secret, records.keyrings(app.config)["staff"])
    session.commit()
    code = current_code(secret)
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


@pytest.mark.parametrize("language, unsafe", [("ur", "گھریلو تشدد کے بارے میں: {link}"),
                                              ("ar", "مرحبا، هذا عن العنف: {link}"),
                                              ("pl", "Przypominamy o ankiecie: {link}"),
                                              ("en", "Hello, see the przemoc page: {link}")])
def test_wording_with_a_revealing_word_in_any_shipped_language_is_refused(admin_request, session, language, unsafe):
    page = admin_request.post(f"/admin/texts/invitation/{language}", {"text": unsafe}, _expected_status=200)
    assert "could tell someone else" in page.select_one(".govuk-error-summary").get_text()
    assert session.scalars(select(SmsTemplate)).all() == []


# --- the audit log ---------------------------------------------------------------------------

def _log(session, actor, action, at, subject=""):
    audit.record(session, actor, action, subject, now=at)
    session.commit()


def test_the_audit_log_names_people_and_their_roles_and_offers_them_to_filter_by(admin_request, session):
    ruth = create_staff(session, "case_manager", name="Ruth Adebayo")
    _log(session, Actor.staff(ruth), "record.view_contact", datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc))
    _log(session, COMMAND_LINE, "staff.update", datetime(2026, 11, 30, 9, 5, tzinfo=timezone.utc), f"staff:{ruth.id}")
    page = admin_request.get("/admin/audit")
    people = [option.text for option in page.select("select#person option")]
    assert "Ruth Adebayo (Case manager)" in people and "The command line" in people
    actions = [option.text for option in page.select("select#action option")]
    assert actions[0] == "Any action" and actions[1:] == sorted(actions[1:])
    assert {"record.view_contact", "staff.update", "staff.create"} <= set(actions)
    assert "staff:" not in page.select_one("table").text
    filtered = admin_request.get(f"/admin/audit?person=staff:{ruth.id}")
    [row] = [[cell.text for cell in row.select("td")][2:5] for row in filtered.select("tbody tr")]
    assert row == ["Ruth Adebayo", "Case manager", "record.view_contact"]
    by_action = admin_request.get("/admin/audit?action=staff.update").select("tbody tr td")
    assert [cell.text for cell in by_action][2:] == ["The command line", "Admin", "staff.update", "Ruth Adebayo"]


def test_the_audit_log_shows_london_time_with_its_offset_and_filters_by_london_days(admin_request, session):
    person = create_staff(session, "case_manager")
    # 23:30 UTC on 1 July is half past midnight on 2 July in London.
    _log(session, Actor.staff(person), "summer", datetime(2026, 7, 1, 23, 30, tzinfo=timezone.utc))
    _log(session, Actor.staff(person), "winter", datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc))
    page = admin_request.get("/admin/audit")
    times = {row.select("td")[4].text: row.select("td")[1].text for row in page.select("tbody tr")}
    assert times["winter"] == "30 November 2026 10:00 GMT+00:00"
    assert times["summer"] == "2 July 2026 00:30 GMT+01:00"
    one_day = admin_request.get("/admin/audit?start=2&start=7&start=2026&end=2&end=7&end=2026")
    assert [row.select("td")[4].text for row in one_day.select("tbody tr")] == ["summer"]
    wrong = admin_request.get("/admin/audit?start=31&start=2&start=2026")
    assert "Enter a real date" in wrong.select_one(".govuk-error-summary").text


def test_the_audit_log_comes_a_page_at_a_time_keeping_its_filters(admin_request, session):
    person = create_staff(session, "case_manager")
    for minute in range(120):
        _log(session, Actor.staff(person), "record.view", datetime(2026, 11, 30, 8, minute % 60, tzinfo=timezone.utc))
    first = admin_request.get("/admin/audit?action=record.view")
    assert len(first.select("tbody tr")) == audit_log.PAGE_SIZE
    assert "120 entries, page 1 of 3" in first.select_one("#audit-count").text
    next_page = first.select_one(".govuk-pagination__next a")["href"]
    assert "action=record.view" in next_page and "page=2" in next_page
    last = admin_request.get(next_page.replace("page=2", "page=3"))
    assert len(last.select("tbody tr")) == 20
    assert {row.select("td")[4].text for row in last.select("tbody tr")} == {"record.view"}


# --- one-time links to reset a password or sign-in codes --------------------------------------

def _make_link(admin_request, person, purpose):
    """Ask for a link from the person's page, as an admin would; returns the page showing it."""
    staff_page = admin_request.get(f"/admin/staff/{person.id}")
    ask = staff_page.find("a", string="Reset password" if purpose == "password" else "Reset sign-in codes")["href"]
    assert admin_request.get(ask).select_one("main form button").text.strip() == "Make a one-time link"
    admin_request.post(ask, _expected_redirect=ask)
    return admin_request.get(ask), ask


def _path(page):
    link = page.select_one("code#reset-link").text
    return link[link.index("/", len("https://")):]


def _audited(session, person):
    session.expire_all()
    return [(e.actor, e.action, e.detail) for e in session.scalars(
        select(AuditEntry).where(AuditEntry.subject == f"staff:{person.id}", AuditEntry.action != "staff.create")
        .order_by(AuditEntry.sequence))]


def test_an_admin_hands_over_a_password_link_that_is_shown_once_and_works_once(app, admin_request, admin, session):
    person = create_staff(session, "case_manager", name="Ruth Adebayo")
    session.commit()
    made, ask = _make_link(admin_request, person, "password")
    path = _path(made)
    assert path.startswith("/set-password/")
    assert admin_request.get(ask).select_one("code#reset-link") is None, "shown once: a reload asks again"
    ruth = app.test_client()
    too_short = soup(ruth.post(path, data={"password": "eleven char", "confirm": "eleven char"}))
    assert "Use at least 12 characters" in too_short.select_one(".govuk-error-summary").text
    assert ruth.post(path, data={"password": "three new words", "confirm": "three new words"}).status_code == 200
    assert ruth.post("/sign-in", data={"email": person.email, "password": "three new words"}).status_code == 302
    assert ruth.get(path).status_code == 404, "the link works once"
    assert _audited(session, person)[-4:] == [
        (f"staff:{admin.id}", "staff.reset_link", '{"purpose":"password"}'),
        (f"staff:{person.id}", "staff.reset_link_used", '{"purpose":"password"}'),
        (f"staff:{person.id}", "staff.password_set", "{}"),
        (f"staff:{person.id}", "signin.success", "{}")]


def test_a_password_link_expires_after_a_day(app, admin_request, session, fixed_clock):
    person = create_staff(session, "case_manager")
    session.commit()
    path = _path(_make_link(admin_request, person, "password")[0])
    with clock.set_to(fixed_clock + timedelta(hours=24, minutes=1)):
        assert app.test_client().get(path).status_code == 404


def test_an_admin_hands_over_a_link_to_set_up_new_sign_in_codes(app, admin_request, admin, session):
    ring = records.keyrings(app.config)["staff"]
    person = create_staff(session, "evaluator")
    old_secret = staff_service.new_totp_secret()
    staff_service.save_totp_secret(person, old_secret, ring)
    session.commit()
    path = _path(_make_link(admin_request, person, "codes")[0])
    assert path.startswith("/reset-sign-in-codes/")
    assert app.test_client().get(path.replace("/reset-sign-in-codes/", "/set-password/")).status_code == 404
    holder = app.test_client()
    new_secret = soup(holder.get(path)).select_one("code.app-secret").text
    wrong = soup(holder.post(path, data={"code": "000000" if current_code(new_secret) != "000000" else "111111"}))
    assert "The code is not right" in wrong.select_one(".govuk-error-summary").text
    done = soup(holder.post(path, data={"code": current_code(new_secret)}))
    assert "Your new sign-in codes are set up" in done.select_one("h1").text
    assert holder.get(path).status_code == 404, "the link works once"
    session.expire_all()
    assert staff_service.totp_secret(session.get(Staff, person.id), ring) == new_secret
    assert [action for _actor, action, _detail in _audited(session, person)] == [
        "staff.reset_link", "staff.reset_link_used", "staff.code_added"]
    assert new_secret not in " ".join(detail for _a, _b, detail in _audited(session, person))


def test_a_newer_link_replaces_an_unused_one_and_codes_never_set_up_cannot_be_reset(app, admin_request, session):
    person = create_staff(session, "case_manager")
    session.commit()
    first = _path(_make_link(admin_request, person, "password")[0])
    second = _path(_make_link(admin_request, person, "password")[0])
    client = app.test_client()
    assert (client.get(first).status_code, client.get(second).status_code) == (404, 200)
    assert "Reset sign-in codes" not in admin_request.get(f"/admin/staff/{person.id}").text
    refused = admin_request.post(f"/admin/staff/{person.id}/reset/codes", _expected_status=200)
    assert "has not set up sign-in codes" in refused.select_one(".govuk-error-summary").text
