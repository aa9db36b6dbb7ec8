"""Consent on a call: the script a practitioner reads, the answers they record, the interpreter
rule, and recording that someone wants to stop."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from survey_app.services import consent, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.consent import ConsentEventRow, ConsentTally
from tests.factories import create_record, create_site, create_staff, sign_in_as
from tests.helpers import soup

ALL_YES = {"questionnaires": "yes", "share_answers": "yes", "share_monitoring": "yes",
           "interview_contact": "yes", "link_partner": "no"}


@pytest.fixture
def case(app):
    """A service user and their linked (ex-)partner at one site, with a practitioner for each."""
    with app.extensions["survey_sessions"]() as session:
        site = create_site(session)
        rings = records.keyrings(app.config)
        su = create_record(session, rings["service_user"], "service_user", site)
        vs = create_record(session, rings["victim_survivor"], "victim_survivor", site, name="Bo Testperson",
                           linked_service_user=su.study_id)
        case_manager = create_staff(session, "case_manager", sites=[site])
        support_worker = create_staff(session, "partner_support_worker", sites=[site])
        session.commit()
        return {"su": su.study_id, "vs": vs.study_id, "su_id": su.id, "vs_id": vs.id,
                "case_manager": case_manager, "support_worker": support_worker}


def saved(app, store) -> list[ConsentEventRow]:
    with app.extensions["survey_sessions"]() as session:
        return list(session.scalars(select(ConsentEventRow).where(ConsentEventRow.store == store)
                                    .order_by(ConsentEventRow.id)))


def test_the_script_has_the_three_layers(client, case):
    sign_in_as(client, case["case_manager"])
    page = soup(client.get(f"/service-users/{case['su']}/consent"))
    assert "Before you start" not in page.select_one("h1").text
    assert "We would like you to answer some short sets of questions." in page.select_one(".govuk-inset-text").text
    assert len(page.select("details")) == 6
    sheet = page.select_one("a[href='/consent-documents/service_user/en']")
    assert soup(client.get(sheet["href"])).select_one("h1").text == "Information about these questions"
    assert len(page.select("fieldset")) >= 7


def test_the_script_opens_in_english_and_offers_the_urdu_and_arabic_documents(client, case):
    sign_in_as(client, case["case_manager"])
    page = soup(client.get(f"/service-users/{case['su']}/consent"))
    assert [o["value"] for o in page.select("select#language option")] == ["en", "ar", "ur"]
    assert page.select_one(".govuk-inset-text").text.strip().startswith("We would like you to answer")


def test_a_practitioner_records_agreement_given_on_a_call(app, client, case):
    sign_in_as(client, case["case_manager"])
    response = client.post(f"/service-users/{case['su']}/consent", data={
        "outcome": "given", **ALL_YES, "language": "en", "interpreter": " int-0042 ", "read_out": "y"})
    assert response.location == f"/service-users/{case['su']}"
    [event] = saved(app, "service_user")
    assert (event.kind, event.mode, event.language, event.interpreter, event.recorded_by) == (
        "given", "verbal", "en", "INT-0042", case["case_manager"].id)
    assert json.loads(event.answers)["link_partner"] is False
    status = soup(client.get(f"/service-users/{case['su']}")).select_one("#consent-status").text
    assert "(on a call, version 1.0)" in status


@pytest.mark.parametrize("change, message", [
    ({"read_out": ""}, "Confirm that you read out or explained the information"),
    ({"questionnaires": "no"}, "They must say yes to “Are you happy to answer the questions?” to take part"),
    ({"share_answers": ""}, "Choose yes or no for “Can we share your answers with the evaluators, without your name?”"),
    ({"outcome": ""}, "Choose what they decided"),
])
def test_an_incomplete_record_changes_nothing(app, client, case, change, message):
    sign_in_as(client, case["case_manager"])
    data = {"outcome": "given", **ALL_YES, "language": "en", "read_out": "y", **change}
    page = soup(client.post(f"/service-users/{case['su']}/consent", data=data))
    assert message in page.select_one(".govuk-error-summary").text
    assert saved(app, "service_user") == []


def test_the_error_summary_names_each_question_left_unanswered(client, case):
    sign_in_as(client, case["case_manager"])
    data = {"outcome": "given", "language": "en", "read_out": "y", "questionnaires": "yes", "link_partner": "no"}
    page = soup(client.post(f"/service-users/{case['su']}/consent", data=data))
    assert [item.get_text(strip=True) for item in page.select(".govuk-error-summary__list li")] == [
        "Choose yes or no for “Can we share your answers with the evaluators, without your name?”",
        "Choose yes or no for “Can we share other records about your support with the evaluators, without your name?”",
        "Choose yes or no for “Can someone contact you to ask about taking part in an interview?”"]


def test_the_same_interpreter_is_refused_for_the_other_side_of_a_case(app, client, case):
    with app.extensions["survey_sessions"]() as session:
        su = records.find(session, case["case_manager"], "service_user", case["su"])
        consent.record_decision(session, su, consent.Decision("given", "1.0", "ur", "verbal",
                                                              answers={"questionnaires": True},
                                                              interpreter="INT-7"), COMMAND_LINE)
        session.commit()
    sign_in_as(client, case["support_worker"])
    data = {"outcome": "given", **ALL_YES, "language": "en", "interpreter": "int-7", "read_out": "y"}
    page = soup(client.post(f"/victim-survivors/{case['vs']}/consent", data=data))
    assert "This interpreter has already worked with the other person in this case" in \
        page.select_one(".govuk-error-summary").text
    assert saved(app, "victim_survivor") == []
    assert client.post(f"/victim-survivors/{case['vs']}/consent",
                       data={**data, "interpreter": "INT-8"}).status_code == 302
    assert [e.interpreter for e in saved(app, "victim_survivor")] == ["INT-8"]


def test_not_now_on_a_call_with_a_date_and_a_reason(app, client, case):
    sign_in_as(client, case["support_worker"])
    client.post(f"/victim-survivors/{case['vs']}/consent", data={
        "outcome": "not_now", "ask_again_on": ["7", "12", "2026"], "reason": "too_much_to_do", "language": "en"})
    [event] = saved(app, "victim_survivor")
    assert (event.kind, event.ask_again_on, event.mode) == ("not_now", "2026-12-07", "verbal")
    with app.extensions["survey_sessions"]() as session:
        assert {(t.outcome, t.reason) for t in session.scalars(select(ConsentTally))} == {
            ("asked", ""), ("not_now", "too_much_to_do")}
    status = soup(client.get(f"/victim-survivors/{case['vs']}")).select_one("#consent-status").text
    assert "Ask again from 07/12/2026." in status


def test_a_practitioner_records_that_someone_wants_to_stop_and_delete(app, client, case):
    sign_in_as(client, case["case_manager"])
    client.post(f"/service-users/{case['su']}/consent", data={
        "outcome": "given", **ALL_YES, "language": "en", "read_out": "y"})
    assert "Choose whether to keep or delete their answers" in soup(
        client.post(f"/service-users/{case['su']}/stop", data={})).select_one(".govuk-error-summary").text
    client.post(f"/service-users/{case['su']}/stop", data={"keep": "delete"})
    page = soup(client.get(f"/service-users/{case['su']}"))
    assert page.select_one("h1").text == "Contact details destroyed"
    assert "Stopped taking part on" in page.select_one("#consent-status").text
    assert [(e.kind, e.mode, e.recorded_by) for e in saved(app, "service_user")][-1] == (
        "withdrawn", "verbal", case["case_manager"].id)
