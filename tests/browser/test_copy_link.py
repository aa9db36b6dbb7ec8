"""The "Link ready" page in Chromium: a read-only field to copy from without script, and with
script a copy button that copies the link and says so to screen readers. axe finds nothing there,
nor on the early-T2 warning or a record showing its answers."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import records
from survey_app.store.records import ServiceUser
from tests.browser.pages import axe_violations, check_page, opened_page, tab_to
from tests.factories import PASSWORD, create_record, create_sent_administration, create_site, create_staff

SELECTED_WHOLE = "f => f.selectionStart === 0 && f.selectionEnd === f.value.length && f.value.length > 0"


@pytest.fixture
def case(app):
    with app.extensions["survey_sessions"]() as session:
        site = create_site(session)
        worker = create_staff(session, "case_manager", sites=[site])
        record = create_record(session, records.keyrings(app.config)["service_user"], "service_user", site)
        session.commit()
        return worker.email, f"/service-users/{record.study_id}"


def sign_in(page, email: str) -> None:
    page.goto(page.live_server + "/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def ask_for_a_link(page, record: str, timepoint: str) -> None:
    page.goto(page.live_server + record)
    page.check(f"input[name=timepoint][value={timepoint}]")
    with page.expect_navigation():
        page.click("main form[action$='/links'] button[type=submit], main form[action$='/links'] input[type=submit]")


def make_a_link(page, email: str, record: str) -> None:
    sign_in(page, email)
    ask_for_a_link(page, record, "T1")
    assert page.url.endswith(f"{record}/links/ready")


def test_with_script_the_button_copies_the_link_and_announces_it(page, case):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.live_server)
    make_a_link(page, *case)
    link = page.input_value("#link")
    assert "/q/" in link
    tab_to(page, "#link")
    assert page.eval_on_selector("#link", SELECTED_WHOLE)
    button = page.locator("#copy-link")
    assert button.is_visible()
    assert axe_violations(page) == []
    button.click()
    # Waits without evaluating a string in the page, which the pages' CSP (no unsafe-eval) refuses.
    expect(page.locator("#copy-status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert axe_violations(page) == []


def test_without_script_the_field_is_there_to_copy_and_no_button_that_would_do_nothing(browser, live_server, case):
    with opened_page(browser, live_server, javascript=False) as page:
        make_a_link(page, *case)
        assert page.get_attribute("#link", "readonly") is not None
        assert "/q/" in page.input_value("#link")
        assert not page.locator("#copy-link").is_visible()
        tab_to(page, "#link")
        assert page.eval_on_selector("#link", SELECTED_WHOLE)  # keyboard focus selects it all, without script
        assert axe_violations(page) == []


def test_the_early_t2_warning_and_a_record_with_its_answers_pass_axe_at_320_px(app, page, case):
    email, record = case
    with app.extensions["survey_sessions"]() as session:
        person = session.scalars(select(ServiceUser)).one()
        create_sent_administration(session, person, load_catalogue(instruments_dir()), declined=(1,))
        session.commit()
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, email)
    ask_for_a_link(page, record, "T2")
    assert page.inner_text("h1") == "T2 is not yet due"
    check_page(page)
    page.goto(page.live_server + record)
    page.click("#answers-1 summary")
    assert page.locator("#answers-1 table").first.is_visible()
    check_page(page)
