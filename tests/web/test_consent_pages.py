"""Online consent as a participant meets it: layers, one question per page, check, save;
not now and no with an anonymous reason; stopping; a material change; choosing a language."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta

from survey_app import clock
import pytest
import yaml
from sqlalchemy import select

from survey_app.config import consent_dir
from survey_app.domain.consent_documents import publish
from survey_app.services import records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.answers import Answer
from survey_app.store.audit import AuditEntry
from survey_app.store.consent import ConsentEventRow, ConsentTally
from survey_app.store.records import ServiceUser
from tests.factories import create_linked_person
from tests.helpers import soup

STATEMENTS = ("questionnaires", "share_answers", "share_monitoring", "interview_contact", "link_partner")


@pytest.fixture
def person(app):
    """A service user with a link that needs no code; returns (record id, link path)."""
    record_id, link = create_linked_person(app, "service_user", with_code=False)
    return record_id, f"/q/{link.token}"


def events(app, record_id) -> list[ConsentEventRow]:
    with app.extensions["survey_sessions"]() as session:
        return list(session.scalars(select(ConsentEventRow).where(ConsentEventRow.record_id == record_id)
                                    .order_by(ConsentEventRow.id)))


def tallies(app) -> dict:
    with app.extensions["survey_sessions"]() as session:
        return {(t.outcome, t.reason): t.count for t in session.scalars(select(ConsentTally))}


def answer_all(client, path, answers: dict[str, str]):
    for statement in STATEMENTS:
        client.post(f"{path}/choices/{statement}", data={"answer": answers.get(statement, "yes")})


def test_the_summary_comes_first_with_sections_on_demand(client, person):
    _, path = person
    page = soup(client.get(f"{path}/start", follow_redirects=True))
    assert page.select_one("h1").text == "Before you start"
    assert [d.select_one(".govuk-details__summary-text").text.strip() for d in page.select("details")] == [
        "What taking part means", "Who sees my answers", "How we keep your answers safe",
        "Your choices, and how to stop", "If something you say worries us", "Who to contact"]
    assert not any(d.has_attr("open") for d in page.select("details")), "sections stay closed until opened"
    assert page.select_one(f"a[href='{path}/information']") is not None
    assert page.select_one("main a.govuk-button")["href"] == f"{path}/choices/questionnaires"
    sheet = soup(client.get(f"{path}/information"))
    assert len(sheet.select("h2")) == 8 and "Version 1.0" in sheet.get_text()


def test_online_consent_one_question_per_page_then_check_and_save(app, client, person):
    record_id, path = person
    first = soup(client.get(f"{path}/choices/questionnaires"))
    assert first.select_one("legend h1").text.strip() == "Are you happy to answer the questions?"
    assert first.select_one(".govuk-caption-l").text == "Choice 1 of 5"
    assert [i["value"] for i in first.select("input[type=radio]")] == ["yes", "not_now", "no"]
    answer_all(client, path, {"interview_contact": "no"})
    linkage = soup(client.get(f"{path}/choices/link_partner"))
    assert [i["value"] for i in linkage.select("input[type=radio]")] == ["yes", "no"]
    check = soup(client.get(f"{path}/choices/check"))
    rows = [(r.select_one("dt").text.strip(), r.select_one("dd").text.strip()) for r in check.select(".govuk-summary-list__row")]
    assert [answer for _, answer in rows] == ["Yes", "Yes", "Yes", "No", "Yes"]
    assert events(app, record_id) == [], "nothing is saved before the person confirms"

    # Change one answer from the check page: back to the check page afterwards.
    change = client.post(f"{path}/choices/link_partner", data={"answer": "no"})
    assert change.location == f"{path}/choices/check"
    saved = client.post(f"{path}/choices/check", follow_redirects=True)
    assert "Your choices are saved" in soup(saved).select_one(".govuk-notification-banner").text
    [event] = events(app, record_id)
    assert (event.kind, event.mode, event.document_version, event.language) == ("given", "online", "1.0", "en")
    assert json.loads(event.answers) == {"questionnaires": True, "share_answers": True, "share_monitoring": True,
                                         "interview_contact": False, "link_partner": False}
    assert tallies(app) == {("asked", ""): 1, ("given", ""): 1}
    assert client.get(f"{path}/start").location == f"{path}/ready"


def test_linkage_starts_at_no_and_no_answer_is_a_clear_error(app, client, person):
    record_id, path = person
    assert soup(client.get(f"{path}/choices/questionnaires")).select_one("input[checked]") is None
    for statement in STATEMENTS[:-1]:
        client.post(f"{path}/choices/{statement}", data={"answer": "yes"})
    linkage = soup(client.get(f"{path}/choices/link_partner"))
    assert linkage.select_one("input[checked]")["value"] == "no"
    empty = soup(client.post(f"{path}/choices/share_answers", data={}))
    assert empty.select_one(".govuk-error-summary").get_text(" ", strip=True) == "There is a problem Choose yes or no"
    assert empty.select_one("title").text.startswith("Error:")
    assert events(app, record_id) == []


def test_questions_cannot_be_skipped_by_address(client, person):
    _, path = person
    client.post(f"{path}/choices/questionnaires", data={"answer": "yes"})
    assert client.get(f"{path}/choices/link_partner").location == f"{path}/choices/share_answers"
    assert client.get(f"{path}/choices/check").location == f"{path}/choices/share_answers"


def test_not_now_with_a_reason_is_counted_without_the_person(app, client, person):
    record_id, path = person
    assert client.post(f"{path}/choices/questionnaires", data={"answer": "not_now"}).location == f"{path}/reason"
    reason = soup(client.get(f"{path}/reason"))
    assert len(reason.select("input[type=radio]")) == 7
    done = soup(client.post(f"{path}/reason", data={"reason": "worried_who_sees"}, follow_redirects=True))
    ask_again = clock.today() + timedelta(days=14)
    assert f"We will not ask you again before {ask_again.day} {ask_again:%B %Y}." in done.get_text()
    [event] = events(app, record_id)
    assert (event.kind, event.ask_again_on, json.loads(event.answers)) == ("not_now", ask_again.isoformat(), {})
    assert tallies(app) == {("asked", ""): 1, ("not_now", "worried_who_sees"): 1}
    with app.extensions["survey_sessions"]() as session:
        details = [e.detail for e in session.scalars(select(AuditEntry))]
    assert not any("worried" in (d or "") for d in details), "the reason never reaches the audit log"
    # Coming back: the same page, and a way to change one's mind.
    assert client.get(f"{path}/start").location == f"{path}/decided"
    assert client.post(f"{path}/decided").location == f"{path}/about"
    assert client.get(f"{path}/start").location == f"{path}/about"


def test_no_without_a_reason(app, client, person):
    record_id, path = person
    client.post(f"{path}/choices/questionnaires", data={"answer": "no"})
    done = soup(client.post(f"{path}/reason", data={}, follow_redirects=True))
    assert "You said no, so we will not ask you again." in done.get_text()
    assert [e.kind for e in events(app, record_id)] == ["declined"]
    assert tallies(app) == {("asked", ""): 1, ("declined", ""): 1}


def only_the_quick_exit_warns(page) -> bool:
    """One red button on the page: the quick exit."""
    warnings = page.select(".govuk-button--warning")
    return len(warnings) == 1 and "Exit this page" in warnings[0].text


@pytest.mark.parametrize("choice, name_kept, said", [("keep", True, "We will not ask you anything more."),
                                                     ("delete", False, "Your contact details have been deleted.")])
def test_stopping_before_answering_asks_only_about_contact_details(app, client, person, choice, name_kept, said):
    record_id, path = person
    answer_all(client, path, {})
    client.post(f"{path}/choices/check")
    page = soup(client.get(f"{path}/stop"))
    assert page.select_one("legend").get_text(strip=True) == "Should we delete your contact details?"
    assert "answers" not in page.select_one("form").get_text(" ")  # they have given none
    assert only_the_quick_exit_warns(page)
    empty = soup(client.post(f"{path}/stop", data={}))
    assert "Choose whether to delete your contact details" in empty.select_one(".govuk-error-summary").text
    stopped = soup(client.post(f"{path}/stop", data={"keep": choice}))
    assert stopped.select_one("h1").text == "You have stopped taking part"
    assert said in stopped.select_one("main").text and "answers" not in stopped.select_one("main").text
    assert [e.kind for e in events(app, record_id)] == ["given", "withdrawn"]
    assert client.get(path).status_code == 404, "the link stops working"
    with app.extensions["survey_sessions"]() as session:
        record = session.get(ServiceUser, record_id)
        name = records.contact_details(session, records.keyrings(app.config)["service_user"], record,
                                       COMMAND_LINE)["name"]
    assert (name == "Ada Testperson") is name_kept


def test_stopping_after_answering_asks_about_the_answers(app, client, person):
    record_id, path = person
    answer_all(client, path, {})
    client.post(f"{path}/choices/check")
    client.post(f"{path}/questions/urica/1", data={"answer": "3"})
    page = soup(client.get(f"{path}/stop"))
    assert page.select_one("legend").get_text(strip=True) == "What should happen to the answers you have already given?"
    assert only_the_quick_exit_warns(page)
    empty = soup(client.post(f"{path}/stop", data={}))
    assert "Choose whether to keep or delete your answers" in empty.select_one(".govuk-error-summary").text
    stopped = soup(client.post(f"{path}/stop", data={"keep": "delete"}))
    assert "Your answers and contact details have been deleted." in stopped.select_one("main").text
    with app.extensions["survey_sessions"]() as session:
        assert session.scalars(select(Answer)).all() == []


@pytest.fixture
def library_copy(app, tmp_path, monkeypatch):
    """A copy of the consent documents this test may change; the app uses it, and sees what is
    published there at once."""
    root = tmp_path / "consent"
    shutil.copytree(consent_dir(), root)
    monkeypatch.setitem(app.config, "SURVEY_CONSENT_DIR", str(root))
    return root


def test_a_material_change_asks_again(app, client, person, library_copy):
    root = library_copy
    _, path = person
    answer_all(client, path, {})
    client.post(f"{path}/choices/check")
    versions = yaml.safe_load((root / "service_user/versions.yaml").read_text())
    versions["versions"].append({"version": "1.1", "material": True, "changes": "Interviews now recorded."})
    (root / "service_user/versions.yaml").write_text(yaml.safe_dump(versions))
    document = yaml.safe_load((root / "service_user/1.0/en.yaml").read_text())
    document["version"] = "1.1"
    (root / "service_user/1.1").mkdir()
    (root / "service_user/1.1/en.yaml").write_text(yaml.safe_dump(document))
    publish(root / "service_user/1.1/en.yaml", root)
    about = client.get(f"{path}/start", follow_redirects=True)
    assert "Some of this information has changed" in soup(about).get_text()


def test_a_language_is_offered_only_where_every_measure_is_translated_too(app, client, person, library_copy,
                                                                          monkeypatch):
    """A consent document and the pages in Welsh are not enough: URICA, a service user's T1 measure,
    has no Welsh translation, so nobody is asked to begin in Welsh (tests/web/test_participant_languages.py
    has the language page itself)."""
    root = library_copy
    _, path = person
    document = yaml.safe_load((root / "service_user/1.0/en.yaml").read_text())
    document.update(language="cy", revision=1, status="unvalidated")
    (root / "service_user/1.0/cy.yaml").write_text(yaml.safe_dump(document, allow_unicode=True))
    publish(root / "service_user/1.0/cy.yaml", root)
    monkeypatch.setitem(app.config, "SURVEY_LOCALES", ["en", "cy"])
    assert client.get(f"{path}/start").location == f"{path}/about"
    about = soup(client.get(f"{path}/start", follow_redirects=True, headers={"Accept-Language": "cy"}))
    assert about.select_one("html")["lang"] == "cy", "the pages' own words follow the browser"
    assert about.select_one("h1").text == "Before you start", "the consent document stays the English one"
    assert not about.select("#languages") and [i["value"] for i in soup(client.get(f"{path}/language")).select(
        "input[name=language]")] == ["en"], "Welsh is not offered"
