"""The words GOV.UK Frontend and the study's settings put on participant pages are in the page's
language too: the hidden "Error:" before an error message, the "Success" banner's title, the
contacts study.yaml fills into consent texts; and a phone number in a right-to-left sentence is
one left-to-right unit that never wraps."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import govuk_frontend_jinja
import pytest

from survey_app import create_app
from survey_app.web.loaded import consent_document, consent_library
from tests.factories import (
    create_linked_person,
    create_person_who_agreed,
    create_site,
    create_staff,
    give_browser_progress,
)
from tests.helpers import soup

SHIPPED_CONTACTS = ("the worker who supports you", "the study team. Your worker can put you in touch")
URDU = {"Error": "خرابی", "Success": "کامیابی", "the worker who supports you": "آپ کی مدد کرنے والا کارکن"}
OVERRIDE = Path(create_app.__code__.co_filename).parent / "templates/govuk_frontend_jinja/components/error-message/macro.html"
PACKAGE = Path(govuk_frontend_jinja.__file__).parent / "templates/components/error-message/macro.html"


@pytest.fixture
def offered(app, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_LOCALES", ["en", "ur", "ar"])


def in_language(client, path: str, language: str) -> str:
    """Choose the language on the link's language page (where "Change language" leads); returns the link's path."""
    assert client.post(f"{path}/language", data={"language": language}).status_code == 302
    return path


@pytest.mark.parametrize("language, error", [("en", "Error"), ("ur", URDU["Error"])])
def test_an_error_message_and_the_page_title_say_error_in_the_page_language(client, app, offered, language, error):
    path = in_language(client, f"/q/{create_linked_person(app, 'victim_survivor', with_code=False)[1].token}",
                       language)
    page = soup(client.post(f"{path}/choices/questionnaires", data={}))
    assert page.select_one("title").text.startswith(f"{error}:")
    [message] = page.select(".govuk-error-message")
    assert message.select_one(".govuk-visually-hidden").text == f"{error}:"
    assert page.select_one("html")["lang"] == language


def test_the_error_message_macro_is_the_packages_own_but_for_the_translated_word():
    """Our copy shadows govuk-frontend-jinja's macro: if an upgrade changes the package's, look
    again at ours."""
    ours = OVERRIDE.read_text(encoding="utf-8").split("-#}\n", 1)[1]
    assert ours.replace('default(_("Error"))', 'default("Error")') == PACKAGE.read_text(encoding="utf-8")


def test_the_success_banner_title_is_in_the_page_language(client, app, offered):
    path = in_language(client, f"/q/{create_linked_person(app, 'victim_survivor', with_code=False)[1].token}", "ur")
    for statement in ("questionnaires", "share_answers", "share_monitoring", "interview_contact", "link_partner"):
        client.post(f"{path}/choices/{statement}", data={"answer": "yes"})
    introduction = client.post(f"{path}/choices/check", follow_redirects=True)
    banner = soup(introduction).select_one(".govuk-notification-banner")
    assert banner.select_one(".govuk-notification-banner__title").text.strip() == URDU["Success"]


@pytest.mark.parametrize("language", ["ur", "ar", "en"])
def test_phone_numbers_are_one_left_to_right_unit_that_never_wraps(app, offered, language):
    participant = app.test_client()
    give_browser_progress(participant, {"finished": 1})
    page = soup(participant.get("/q/thank-you", headers={"Accept-Language": language}))
    assert page.select_one("html")["lang"] == language
    numbers = page.select("main bdi.app-phone-number")
    assert [(number["dir"], number.text) for number in numbers] == [("ltr", "116\u00a0123"), ("ltr", "999")]
    assert all(number.parent.name == "p" and number.parent.text.strip() != number.text for number in numbers), \
        "each number sits inside its translated sentence"


def test_consent_contacts_are_in_the_documents_language(client, app, offered):
    path = in_language(client, f"/q/{create_linked_person(app, 'victim_survivor', with_code=False)[1].token}", "ur")
    text = soup(client.get(f"{path}/information")).get_text()
    assert URDU["the worker who supports you"] in text
    assert not any(contact in text for contact in SHIPPED_CONTACTS)


def test_a_practitioner_reads_the_urdu_sheet_with_urdu_contacts_on_an_english_page(app, session, client_request):
    worker = create_staff(session, "partner_support_worker", sites=[create_site(session)])
    session.commit()
    page = client_request.sign_in(worker).get("/consent-documents/victim_survivor/ur")
    assert page.select_one("html")["lang"] == "en"
    assert URDU["the worker who supports you"] in page.get_text()


def test_a_deployments_own_contact_is_shown_as_written_with_its_number_kept_together(client, app, offered,
                                                                                     monkeypatch):
    with app.test_request_context():
        study = consent_library().study
    monkeypatch.setitem(study.contacts, "programme_contact", "Jo Bloggs on 0161 496 0000")
    path = in_language(client, f"/q/{create_person_who_agreed(app)[1].token}", "ur")
    text = soup(client.get(f"{path}/information")).get_text()
    assert "Jo Bloggs on 0161\u00a0496\u00a00000" in text


def test_the_thank_you_page_stays_in_the_language_chosen(client, app, offered):
    path = in_language(client, f"/q/{create_person_who_agreed(app)[1].token}", "ur")
    for number in range(1, 8):
        client.post(f"{path}/questions/swemwbs/{number}", data={"answer": "3"})
    assert client.post(f"{path}/questions/check").location == "/q/thank-you"
    page = soup(client.get("/q/thank-you"))
    assert (page.select_one("html")["lang"], page.select_one("html")["dir"]) == ("ur", "rtl")


def test_a_document_in_a_language_babel_does_not_know_keeps_its_contacts_as_written(app, monkeypatch):
    """Sylheti ("syl") is a valid language tag with no Babel locale and so no catalogue."""
    with app.test_request_context():
        library = consent_library()
        english = library.published["victim_survivor/1.0/en"]
        monkeypatch.setitem(library.published, "victim_survivor/1.0/syl", replace(english, language="syl"))
        document = consent_document("victim_survivor", "syl")
    assert any(SHIPPED_CONTACTS[0] in paragraph for section in document.sections for paragraph in section.paragraphs)


def test_the_stopped_page_is_in_the_language_chosen(client, app, offered):
    path = in_language(client, f"/q/{create_linked_person(app, 'victim_survivor', with_code=False)[1].token}", "ur")
    page = soup(client.post(f"{path}/stop", data={"confirm": "yes", "keep": "keep"}))
    assert (page.select_one("html")["lang"], page.select_one("html")["dir"]) == ("ur", "rtl")
