"""Completing with a practitioner: a shared screen that shows nothing but the questions, a
phone script with missing reasons, the mode and practitioner on every answer, no silent
overwrite between practitioner and participant, and scores shown for support afterwards."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from survey_app.services import consent, invitations, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.answers import Administration, Answer
from survey_app.store.records import ServiceUser
from survey_app.store.staff import Site, Staff
from tests.factories import create_agreed_case, create_record, sign_in_as
from tests.helpers import soup


@pytest.fixture
def case(app, client):
    """A case manager signed in, a service user at their site who agreed, and a T1 link."""
    with app.extensions["survey_sessions"]() as session:
        worker, person = create_agreed_case(session, app.config, name="Cressida Wintergreen")
        link = invitations.create(session, person, "T1", COMMAND_LINE, worker.id, with_code=False)
        session.commit()
        sign_in_as(client, worker)
        base = f"/service-users/{person.study_id}/links/{link.invitation.id}"
        return {"worker": worker.id, "study_id": person.study_id, "token": link.token, "base": base}


@pytest.fixture
def second_case(app, client, case):
    """The same person, now with a T2 link: URICA, then WAI-SR."""
    with app.extensions["survey_sessions"]() as session:
        person = session.scalars(select(ServiceUser).where(ServiceUser.study_id == case["study_id"])).one()
        link = invitations.create(session, person, "T2", COMMAND_LINE, case["worker"], with_code=False)
        session.commit()
        return f"/service-users/{case['study_id']}/links/{link.invitation.id}"


def stored(app) -> dict[int, tuple]:
    with app.extensions["survey_sessions"]() as session:
        return {a.item_number: (a.value, a.missing_reason, a.mode, a.recorded_by)
                for a in session.scalars(select(Answer))}


def start_sharing(client, case) -> str:
    """Past the practitioner's own start page: the shared screen's neutral address."""
    introduction = client.post(f"{case['base']}/screen", data={}).location
    assert introduction.endswith("/questions/urica")
    return introduction.removesuffix("/questions/urica")


def test_a_shared_screen_shows_the_questions_and_nothing_else(app, client, case):
    assert "Interpreter" in soup(client.get(f"{case['base']}/screen")).get_text()  # who is helping, asked first
    base = start_sharing(client, case)
    page = soup(client.get(f"{base}/questions/urica/1"))
    text = page.get_text(" ")
    for private in ("Caseload", "Sign out", "Wintergreen", case["study_id"]):
        assert private not in text, private
    assert page.select_one(".app-quick-exit__button") is not None
    assert page.select_one("#progress").text == "Question 1 of 32"
    client.post(f"{base}/questions/urica/1", data={"answer": "4"})
    assert stored(app) == {1: (4, None, "screen_share", case["worker"])}


def test_a_shared_screen_has_a_neutral_address_and_title(client, case):
    """A screen share shows the address bar and the tab's title: neither may name the store, the
    study id or the link."""
    base = start_sharing(client, case)
    assert re.fullmatch(r"/screen/[A-Za-z0-9_-]{8}", base)
    question = client.get(f"{base}/questions/urica/1")
    assert question.request.path == f"{base}/questions/urica/1"
    pages = [question, client.get(f"{base}/questions/urica"), client.get(f"{base}/check")]
    for response in pages:
        assert response.status_code == 200
        title = soup(response).select_one("title").text
        for private in (case["study_id"], "service", "victim", "survivor", "links", "Wintergreen"):
            assert private.lower() not in (response.request.path + title).lower(), (private, title)
    assert start_sharing(client, case) == base  # the same screen while the session lasts


def test_a_shared_screens_address_works_only_in_the_session_that_made_it(app, client, case, session):
    base = start_sharing(client, case)
    elsewhere = app.test_client()
    sign_in_as(elsewhere, session.get(Staff, case["worker"]))
    assert elsewhere.get(f"{base}/questions/urica/1").status_code == 404


def test_the_phone_script_records_answers_and_reasons_with_the_practitioner(app, client, case):
    base = f"{case['base']}/phone"
    page = soup(client.get(f"{base}/questions/urica/1"))
    assert page.select_one("h1").text == "Read out the question"
    assert "I don't have any problems that need changing" in page.select_one(".app-read-aloud").text
    labels = [label.text.strip() for label in page.select(".govuk-radios__label")]
    assert labels[-2:] == ["Declined to answer", "Did not understand the question"]
    client.post(f"{base}/questions/urica/1", data={"answer": "missing:declined"})
    client.post(f"{base}/questions/urica/2", data={"answer": "missing:not_understood"})
    client.post(f"{base}/questions/urica/3", data={"answer": "5"})
    assert stored(app) == {1: (None, "declined", "phone", case["worker"]),
                           2: (None, "not_understood", "phone", case["worker"]),
                           3: (5, None, "phone", case["worker"])}
    check = soup(client.get(f"{base}/check"))
    assert [v.text.strip() for v in check.select(".govuk-summary-list__value")[:3]] == [
        "Declined to answer", "Did not understand the question", "Strongly Agree"]


def test_the_phone_script_is_a_staff_page_without_the_participants_quick_exit(client, case):
    base = f"{case['base']}/phone"
    client.post(base, data={})
    for path in ("/questions/urica", "/questions/urica/1", "/check"):
        page = soup(client.get(base + path))
        assert page.select_one(".app-quick-exit__button") is None, path
        assert "Shift 3 times" not in page.get_text(" ") and "quick-exit" not in str(page.head), path
        assert page.select_one("#pause")["href"] == f"{base}/pause", path  # back to the record if the call drops


def test_a_shared_screen_can_be_paused_and_continued_keeping_what_was_saved(app, client, case):
    started_at = client.post(f"{case['base']}/screen", data={}).location
    screen = started_at.rsplit("/questions/", 1)[0]  # the shared pages' own opaque address
    assert screen.startswith("/screen/")
    client.post(f"{screen}/questions/urica/1", data={"answer": "4"})
    pages = [soup(client.get(screen + path)) for path in ("/questions/urica", "/questions/urica/2", "/check")]
    assert {page.select_one("#pause").get_text(strip=True) for page in pages} == {"Pause"}
    pause = pages[1].select_one("#pause")["href"]
    assert pause == f"{screen}/pause"  # under the shared pages' own address, never the record's
    assert client.get(pause).location == f"/service-users/{case['study_id']}"
    record = soup(client.get(f"/service-users/{case['study_id']}"))
    started = record.select_one(f"#due-{case['study_id']}-T1")
    assert "Started, not sent" in started.get_text(" ") and "on a shared screen" in started.get_text(" ")
    again = client.get(started.select_one("a")["href"]).location
    assert again.startswith("/screen/") and again.endswith("/questions/urica")  # its introduction
    screen = again.rsplit("/questions/", 1)[0]
    assert soup(client.get(again)).select_one("main a.govuk-button")["href"] == \
        f"{screen}/questions/urica/2"  # on from the first question with no answer
    assert stored(app) == {1: (4, None, "screen_share", case["worker"])}


def test_a_practitioners_late_change_never_overwrites_the_participants_answer(app, client, case):
    base = f"{case['base']}/phone"
    client.get(f"{base}/questions/urica/1")  # the practitioner's page is open, with no answer yet
    app.test_client().post(f"/q/{case['token']}/questions/urica/1", data={"answer": "2", "seen": "0"})
    refused = soup(client.post(f"{base}/questions/urica/1", data={"answer": "4", "seen": "0"}))
    assert "changed somewhere else" in refused.select_one(".govuk-error-summary").text
    assert refused.select_one("input[name=answer][checked]")["value"] == "2"
    assert stored(app) == {1: (2, None, "link", None)}


def test_scores_are_shown_on_the_record_once_the_questionnaire_is_sent(app, client, case):
    base = f"{case['base']}/phone"
    for number in range(1, 33):
        client.post(f"{base}/questions/urica/{number}", data={"answer": "4" if number % 2 else "2"})
    assert client.post(f"{base}/check").location == f"/service-users/{case['study_id']}"
    record = soup(client.get(f"/service-users/{case['study_id']}"))
    table = record.select_one("#scores + [role=region] table")
    assert "URICA" in table.select_one("caption").text
    rows = {row.select_one("th").text: [c.text for c in row.select("td")] for row in table.select("tbody tr")}
    assert len(rows) == 5 and all(cells and cells[0] != "not enough answers" for cells in rows.values())
    assert app.test_client().get(f"/q/{case['token']}").status_code == 404  # the link is finished


def test_an_interpreter_for_one_side_is_never_used_for_the_other(app, client, case, session):
    with app.extensions["survey_sessions"]() as own:
        person = own.scalars(select(ServiceUser).where(ServiceUser.study_id == case["study_id"])).one()
        partner = create_record(own, records.keyrings(app.config)["victim_survivor"], "victim_survivor",
                                own.get(Site, person.site_id), linked_service_user=person.study_id)
        consent.record_decision(own, partner, consent.Decision("given", "1.0", "en", "verbal", {"questionnaires": True},
                                                               interpreter="INT-0042"), COMMAND_LINE)
        own.commit()
    base = f"{case['base']}/phone"
    refused = soup(client.post(base, data={"interpreter": "int-0042", "spoken_language": "Pashto"}))
    assert "already worked with the other person" in refused.select_one(".govuk-error-summary").text
    assert session.scalars(select(Administration)).all() == []
    assert client.post(base, data={"interpreter": "int-0043", "spoken_language": "Pashto"}).location == \
        f"{base}/questions/urica"
    assert session.scalars(select(Administration)).one().interpreter == "INT-0043"


def test_the_language_an_interpreter_speaks_is_kept_as_its_tag_with_the_english_form(client, case, session):
    """Sylheti has no written translation: the English form is read, and the record says what was spoken."""
    page = soup(client.get(f"{case['base']}/phone"))
    assert "Language the interpreter speaks with them" in page.select_one("label[for=spoken_language]").text
    assert client.post(f"{case['base']}/phone", data={"interpreter": "INT-0050", "spoken_language": " sylheti "}) \
        .location.endswith("/questions/urica")
    administration = session.scalars(select(Administration)).one()
    assert (administration.language, administration.interpreter, administration.spoken_language) == \
        ("en", "INT-0050", "syl")


@pytest.mark.parametrize("given, field, message", [
    ({"interpreter": "INT-0050"}, "spoken_language", "Enter the language the interpreter speaks with them"),
    ({"spoken_language": "Tamil"}, "interpreter", "Enter the interpreter's id, or leave the language empty"),
    ({"interpreter": "INT-0050", "spoken_language": "Elvish tongue"}, "spoken_language",
     "Enter a language's name in English, for example Sylheti, or its code, for example syl"),
])
def test_an_interpreter_and_their_language_are_given_together(client, case, session, given, field, message):
    page = soup(client.post(f"{case['base']}/phone", data=given))
    assert page.select_one(f".govuk-error-summary a[href='#{field}']").text.strip() == message
    assert session.scalars(select(Administration)).all() == []


def test_without_an_interpreter_no_spoken_language_is_recorded(client, case, session):
    assert client.post(f"{case['base']}/phone", data={}).location.endswith("/questions/urica")
    assert session.scalars(select(Administration)).one().spoken_language is None


def test_an_error_on_a_shared_screen_keeps_to_the_participant_shell(client, case):
    """Whatever goes wrong while the screen is shared, no staff menu or name reaches the screen."""
    base = start_sharing(client, case)
    for response in (client.get(f"{base}/questions/not-a-measure"), client.put(f"{base}/questions/urica/1")):
        page = soup(response)
        assert response.status_code in (404, 405)
        assert page.select_one(".app-quick-exit__button") is not None
        for private in ("Caseload", "Sign out", "Wintergreen", case["study_id"]):
            assert private not in page.get_text(" "), private
    phone = client.put(f"{case['base']}/phone/questions/urica/1")
    assert phone.status_code == 405 and soup(phone).select_one(".app-quick-exit__button") is None


def test_on_a_shared_screen_the_second_measure_starts_with_its_introduction(client, second_case):
    base = start_sharing(client, {"base": second_case})
    assert soup(client.get(f"{base}/questions/urica")).select_one("h1").text == "Part 1 of 2: Thinking about change"
    for number in range(1, 33):
        after = client.post(f"{base}/questions/urica/{number}", data={"answer": "4"})
    assert after.location == f"{base}/questions/wai_sr"
    intro = soup(client.get(after.location))
    assert intro.select_one("h1").text == "Part 2 of 2: You and your case manager"
    assert intro.select_one(".app-quick-exit__button") is not None
    assert intro.select_one("main a.govuk-button")["href"] == f"{base}/questions/wai_sr/1"


def test_the_phone_script_reads_out_each_measures_instructions_and_choices_first(client, second_case):
    base = f"{second_case}/phone"
    client.post(base, data={})
    first = soup(client.get(f"{base}/questions/urica"))
    assert first.select_one("h1").text == "Read out the instructions"
    assert first.select_one(".govuk-caption-l").text == "Part 1 of 2: Thinking about change"
    script = first.select_one(".app-read-aloud")
    assert "This questionnaire is to help us improve services" in script.text
    assert [li.text for li in script.select("li")] == ["Strongly Disagree", "Disagree", "Undecided", "Agree",
                                                       "Strongly Agree"]
    assert first.select_one("main a.govuk-button")["href"] == f"{base}/questions/urica/1"
    for number in range(1, 33):
        after = client.post(f"{base}/questions/urica/{number}", data={"answer": "4"})
    assert after.location == f"{base}/questions/wai_sr"
    second = soup(client.get(after.location))
    assert second.select_one("h1").text == "Read out the choices"  # WAI-SR's instructions were not retrieved
    assert [li.text for li in second.select(".app-read-aloud li")][0] == "Seldom"
