"""A participant's language: the first page in the browser's language, a chooser there naming each
language in itself, "Change language" on every page without losing answers, the choice remembered on
the link for the next visit, and only languages in which the consent document and every measure exist."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from survey_app.config import instruments_dir
from survey_app.domain.translation_uploads import publish_upload
from survey_app.services import invitations, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.answers import Administration, Answer
from survey_app.store.invitations import Invitation
from tests.factories import (
    create_linked_person,
    create_person_who_agreed,
    create_record,
    create_site,
)
from tests.helpers import (
    TRANSLATED,
    as_yaml,
    consent_translation,
    instrument_translation,
    soup,
)

SWEMWBS = instruments_dir() / "swemwbs" / "1.0.yaml"
URDU = {"Accept-Language": "ur"}
ARABIC = {"Accept-Language": "ar"}


def chooser(page) -> list[tuple[str, str, str, str]]:
    return [(b["value"], b.text.strip(), b["lang"], b["dir"]) for b in page.select("#languages button")]


def invitation(app, invitation_id) -> Invitation:
    with app.extensions["survey_sessions"]() as session:
        found = session.get(Invitation, invitation_id)
        session.expunge(found)
        return found


def test_the_first_page_is_in_the_browsers_language_and_names_each_language_in_itself(app, client):
    _, made = create_linked_person(app, "victim_survivor", with_code=False)
    page = soup(client.get(f"/q/{made.token}/start", follow_redirects=True, headers=URDU))
    assert (page.html["lang"], page.html["dir"]) == ("ur", "rtl")
    assert page.select_one("h1").text.strip() != "Before you start", "the Urdu consent document"
    assert chooser(page) == [("en", "English", "en", "ltr"), ("ar", "العربية", "ar", "rtl"), ("ur", "اردو", "ur", "rtl")]
    assert page.select_one("#languages button[aria-current=true]")["value"] == "ur"
    english = soup(client.get(f"/q/{made.token}/start", follow_redirects=True))
    assert english.html["lang"] == "en", "a browser asking for nothing gets the default"


def test_before_the_access_code_the_languages_offered_say_nothing_about_whose_link_it_is(app, client):
    """A service user's link can be used in English alone and a victim-survivor's in three; listing
    those on the code page would tell whoever holds the link which it is."""
    code_pages = []
    with app.extensions["survey_sessions"]() as session:
        site = create_site(session)
        for store in ("victim_survivor", "service_user"):
            record = create_record(session, records.keyrings(app.config)[store], store, site)
            made = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=True)
            session.commit()
            code_pages.append(soup(app.test_client().get(f"/q/{made.token}", headers=URDU)))
    for page in code_pages:
        assert (page.html["lang"], page.html["dir"]) == ("ur", "rtl")
        assert page.select_one("h1").text.strip() != "Enter your access code"
        assert [c[0] for c in chooser(page)] == app.config["SURVEY_LOCALES"]
        assert ("pa_Arab", "پنجابی (عربی)", "pa-Arab", "rtl") in chooser(page)


def test_a_link_is_offered_only_in_languages_with_its_consent_document_and_every_measure(app, client, data_folders):
    """The shipped Urdu and Arabic are set aside (data_folders): consent in Urdu is not enough while
    SWEMWBS has no Urdu, and both together are."""
    instruments, consent = data_folders
    _, made = create_linked_person(app, "victim_survivor", with_code=False)
    path = f"/q/{made.token}"
    first = soup(client.get(f"{path}/start", follow_redirects=True, headers=URDU))
    assert not first.select("#languages"), "English only: nothing to choose"
    assert TRANSLATED not in first.select_one("h1").text, "the consent document is the English one"
    publish_upload(as_yaml(consent_translation(consent / "victim_survivor" / "1.0" / "en.yaml")), instruments, consent)
    first = soup(client.get(f"{path}/start", follow_redirects=True, headers=URDU))
    assert not first.select("#languages") and TRANSLATED not in first.select_one("h1").text, \
        "no Urdu SWEMWBS yet: the consent document alone is not enough"
    publish_upload(as_yaml(instrument_translation(SWEMWBS)), instruments, consent)
    first = soup(client.get(f"{path}/start", follow_redirects=True, headers=URDU))
    assert first.html["lang"] == "ur" and [c[0] for c in chooser(first)] == ["en", "ur"]
    assert TRANSLATED in first.select_one("h1").text, "the consent document is the Urdu one"
    language_page = soup(client.get(f"{path}/language"))
    assert [(i["value"], i.find_next("label")["lang"], i.find_next("label")["dir"])
            for i in language_page.select("input[name=language]")] == [("en", "en", "ltr"), ("ur", "ur", "rtl")]


def test_a_service_users_link_is_offered_in_english_alone_while_urica_has_no_translation(app, client):
    _, made = create_linked_person(app, "service_user", with_code=False)
    page = soup(client.get(f"/q/{made.token}/start", follow_redirects=True, headers=URDU))
    assert not page.select("#languages") and not page.select("#change-language")
    assert page.select_one("h1").text == "Before you start", "the English consent document"
    assert [i["value"] for i in soup(client.get(f"/q/{made.token}/language")).select("input[name=language]")] == ["en"]
    assert client.post(f"/q/{made.token}/language", data={"language": "ur"}).status_code == 200, "not offered: refused"
    assert invitation(app, made.invitation.id).language is None


def test_a_choice_before_the_code_holds_for_this_browser_and_after_it_is_remembered_on_the_link(app, client):
    _, made = create_linked_person(app, "victim_survivor", with_code=True)
    path = f"/q/{made.token}"
    assert client.post(f"{path}/language", data={"language": "ar", "next": path}).location == path
    assert soup(client.get(path, headers=URDU)).html["lang"] == "ar", "this browser's choice wins over its language"
    assert invitation(app, made.invitation.id).language is None, "without the code, nothing is kept on the link"
    client.post(path, data={"code": made.access_code})
    about = soup(client.get(f"{path}/start", follow_redirects=True))
    assert about.html["lang"] == "ar" and chooser(about)
    assert invitation(app, made.invitation.id).language == "ar", "kept on the link once the code is entered"
    client.post(f"{path}/language", data={"language": "ur", "next": f"{path}/about"})
    assert invitation(app, made.invitation.id).language == "ur"

    another_day = app.test_client()  # the next visit, from a browser set to Arabic
    assert soup(another_day.get(path, headers=ARABIC)).html["lang"] == "ur", "the link's language wins over the browser's"


def test_changing_language_mid_questionnaire_keeps_every_answer_and_comes_back_to_the_same_question(app, client):
    _, made = create_person_who_agreed(app)
    path = f"/q/{made.token}"
    client.get(f"{path}/start", follow_redirects=True)
    for number, value in ((1, "2"), (2, "5"), (3, "3")):
        assert client.post(f"{path}/questions/swemwbs/{number}", data={"answer": value}).status_code == 302
    question = soup(client.get(f"{path}/questions/swemwbs/4"))
    change = question.select_one("#change-language")["href"]
    assert parse_qs(urlsplit(change).query)["next"] == [f"{path}/questions/swemwbs/4"]
    language_page = soup(client.get(change))
    assert language_page.select_one("input[name=language][value=en]").has_attr("checked"), "the language in use"
    back = client.post(urlsplit(change).path, data={"language": "ur", "next": f"{path}/questions/swemwbs/4"})
    assert back.location == f"{path}/questions/swemwbs/4"
    in_urdu = soup(client.get(back.location))
    assert in_urdu.html["lang"] == "ur" and in_urdu.select_one("#progress").text.strip() != "Question 4 of 7"
    check = soup(client.get(f"{path}/questions/check"))
    assert len(check.select(".govuk-summary-list__row")) == 7
    with app.extensions["survey_sessions"]() as session:
        answers = {a.item_number: (a.value, a.language) for a in session.scalars(select(Answer))}
        assert answers == {1: (2, "en"), 2: (5, "en"), 3: (3, "en")}, "each answer kept, in the words it was given in"
        assert session.scalars(select(Administration.language)).one() == "ur", "the rest of the questions in Urdu"
    client.post(f"{path}/questions/swemwbs/4", data={"answer": "4"})
    with app.extensions["survey_sessions"]() as session:
        fourth = session.scalars(select(Answer).where(Answer.item_number == 4)).one()
        assert (fourth.language, fourth.translation_status) == ("ur", "unvalidated")


@pytest.mark.parametrize("elsewhere", ["https://example.org/", "//example.org/q/x", "/q/another-token/start",
                                       "/admin/texts"])
def test_the_language_page_only_ever_returns_to_a_page_of_the_same_link(app, client, elsewhere):
    _, made = create_person_who_agreed(app)
    path = f"/q/{made.token}"
    answer = client.post(f"{path}/language", data={"language": "ar", "next": elsewhere})
    assert answer.location == f"{path}/start"



@pytest.mark.parametrize("browser, four, seven", [("bn", "৪", "৭"), ("ps", "۴", "۷"), ("ar", "4", "7")])
def test_question_counters_are_written_in_the_digits_of_the_pages_language(app, client, browser, four, seven):
    _, made = create_person_who_agreed(app)
    page = soup(client.get(f"/q/{made.token}/questions/swemwbs/4", headers={"Accept-Language": browser}))
    progress = page.select_one("#progress").text
    assert four in progress and seven in progress and page.html["lang"] == browser
