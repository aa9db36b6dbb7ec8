"""Staff pages in a real browser: axe-core WCAG 2.2 AA on each, and signing in by keyboard alone."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import barriers, invitations, records, staff as staff_service
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.records import ServiceUser
from survey_app.store.staff import Site
from tests.browser.pages import axe_violations, check_page, unstarted_components
from tests.factories import (PASSWORD, create_consent_decision, create_person, create_record,
                             create_sent_administration, create_site, create_staff, create_started_administration)
from tests.helpers import current_code


@pytest.fixture
def people(app):
    with app.extensions["survey_sessions"]() as session:
        site = create_site(session)
        rings = records.keyrings(app.config)
        case_manager = create_staff(session, "case_manager", sites=[site])
        admin = create_staff(session, "admin")
        secret = staff_service.new_totp_secret()
        staff_service.save_totp_secret(admin, secret, rings["staff"])
        evaluator = create_staff(session, "evaluator")
        evaluator_secret = staff_service.new_totp_secret()
        staff_service.save_totp_secret(evaluator, evaluator_secret, rings["staff"])
        record = create_record(session, rings["service_user"], "service_user", site)
        paused = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=False)
        session.commit()
        invitations.quick_exit(session, paused.invitation.id)  # the record shows it paused, with "Reopen"
        return {"case_manager": (case_manager.email, None), "admin": (admin.email, secret),
                "evaluator": (evaluator.email, evaluator_secret), "record": record.study_id,
                "case_manager_id": case_manager.id}


def sign_in_by_keyboard(page, email: str, secret: str | None) -> None:
    """Only Tab, typing and Enter: no clicks."""
    page.goto(page.live_server + "/sign-in")
    page.keyboard.press("Tab")  # skip link
    focused = ""
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        if focused == "email":
            break
    assert focused == "email"
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if secret:
        assert page.url.endswith("/sign-in/code")
        page.focus("#code")
        page.keyboard.type(current_code(secret))
        with page.expect_navigation():
            page.keyboard.press("Enter")


def check(page, path: str) -> None:
    page.goto(page.live_server + path)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert axe_violations(page) == [], path
    assert unstarted_components(page) == [], path


def test_sign_in_and_error_pages_pass_axe(page):
    check(page, "/sign-in")
    page.fill("#email", "x@example.org")
    with page.expect_navigation():
        page.click("button[type=submit], input[type=submit]")
    page.locator(".govuk-error-summary").wait_for(state="visible")
    assert "Enter your password" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    check(page, "/forgotten-password")


def test_a_case_manager_signs_in_by_keyboard_and_their_pages_pass_axe(page, people):
    email, _ = people["case_manager"]
    sign_in_by_keyboard(page, email, None)
    assert page.url.endswith("/caseload")
    for path in ("/caseload", f"/service-users/{people['record']}", f"/service-users/{people['record']}/pathway",
                 "/service-users/new", f"/service-users/{people['record']}/safe-contact"):
        check(page, path)


def test_admin_pages_pass_axe(page, people):
    sign_in_by_keyboard(page, *people["admin"])
    assert page.url.endswith("/admin/")
    for path in ("/admin/", "/admin/sites", "/admin/staff", "/admin/staff/invite",
                 f"/admin/staff/{people['case_manager_id']}", "/admin/targets", "/admin/audit",
                 "/admin/audit?start=31&start=2&start=2026", "/admin/texts", "/admin/texts/invitation/en",
                 f"/admin/staff/{people['case_manager_id']}/reset/password"):
        check(page, path)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/set-password/" in page.locator("#reset-link").inner_text()
    assert axe_violations(page) == []


def test_the_page_for_new_sign_in_codes_passes_axe(app, page, people):
    with app.extensions["survey_sessions"]() as session:
        admin = staff_service.by_email(session, people["admin"][0])
        token = staff_service.reset_link(session, admin.id, staff_service.CODES, COMMAND_LINE)
    check(page, f"/reset-sign-in-codes/{token}")


def test_evaluator_page_passes_axe_and_fits_320_px(app, page, people):
    catalogue = load_catalogue(instruments_dir())
    with app.extensions["survey_sessions"]() as session:
        site = session.scalars(select(Site)).first()
        for _ in range(6):
            create_consent_decision(session, create_person(session, site, first_session_date=date(2026, 9, 3),
                                                           eligibility="eligible", eligibility_date=date(2026, 9, 2)),
                                    reason="")
        for n in range(5):  # pairs enough for the change from T1 to T2 to be shown, with its chart
            partner = create_record(session, records.keyrings(app.config)["victim_survivor"], "victim_survivor", site)
            for timepoint, answer in (("T1", 3), ("T2", 2 + n % 4)):
                create_sent_administration(session, partner, catalogue, timepoint, {"swemwbs": [answer] * 7})
        barrier = barriers.add_barrier(session, 4, "Interpreters are hard to book", True, COMMAND_LINE)
    sign_in_by_keyboard(page, *people["evaluator"])
    page.set_viewport_size({"width": 320, "height": 640})
    check(page, "/evaluator/")
    assert page.locator("svg.app-chart").count() == 3  # criteria, sites, and SWEMWBS's change
    check(page, "/evaluator/?start=31&start=2&start=2026")  # with an error summary
    check(page, f"/evaluator/barriers/{barrier.id}")


def test_the_sample_size_planner_passes_axe_with_a_result_and_with_an_error(page, people):
    sign_in_by_keyboard(page, *people["evaluator"])
    page.set_viewport_size({"width": 320, "height": 640})
    check(page, "/evaluator/plan")
    page.fill("#rho", "1")
    with page.expect_navigation():
        page.click("button[type=submit]#submit")
    assert "The correlation must be more than -1" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#plan-result").count() == 0
    assert axe_violations(page) == []
    page.fill("#rho", "0.4")
    with page.expect_navigation():
        page.click("button[type=submit]#submit")
    assert "1,502" in page.locator("#plan-result").inner_text()
    assert axe_violations(page) == []


def test_a_case_managers_busy_pages_fit_320_px_and_pass_axe(app, page, people):
    """The caseload (filtered too) with questionnaires begun on the phone, a record with T1 and T2
    scores, the consent form with its error summary, and the other practitioner pages: no sideways
    scroll of the page at 320 px."""
    with app.extensions["survey_sessions"]() as session:
        record = session.scalars(select(ServiceUser).where(ServiceUser.study_id == people["record"])).one()
        record.eligibility, record.eligibility_date = "eligible", date(2026, 9, 2)
        record.first_session_date = date(2026, 9, 3)
        catalogue = load_catalogue(instruments_dir())
        create_sent_administration(session, record, catalogue, "T1")
        record.closure_date, record.closure_outcome = date(2026, 11, 2), "completed"
        create_sent_administration(session, record, catalogue, "T2", values={"urica": [1] * 32})
        create_consent_decision(session, record)
        other = create_record(session, records.keyrings(app.config)["service_user"], "service_user",
                              session.get(Site, record.site_id), name="Bea Testperson")
        other.eligibility, other.eligibility_date, other.first_session_date = "eligible", date(2026, 11, 2), \
            date(2026, 11, 2)
        create_consent_decision(session, other)
        link = create_started_administration(session, other, catalogue, "T1", "phone")
        session.commit()
        assisted = f"/service-users/{other.study_id}/links/{link.id}"
    sign_in_by_keyboard(page, *people["case_manager"])
    page.set_viewport_size({"width": 320, "height": 640})
    check(page, "/caseload")
    check(page, "/caseload?need=overdue&order=need")
    check(page, f"/service-users/{people['record']}")
    assert page.locator("#scores").count() == 1  # the wide part: T1, T2 and the change
    check(page, f"/service-users/{people['record']}/consent")
    page.check("#outcome")  # they agreed, and nothing else is filled in
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".govuk-error-summary").count() == 1
    check_page(page)
    for path in (f"/service-users/{people['record']}/pathway", f"/service-users/{people['record']}/stop",
                 f"/service-users/{people['record']}/safe-contact", "/service-users/new",
                 "/consent-documents/service_user/en", f"{assisted}/screen",  # on to the screen's own address
                 f"{assisted}/phone/questions/urica/4"):
        check(page, path)
