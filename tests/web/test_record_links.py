"""Links on the record: shown once after a redirect, closed once their timepoint is done, and a T2
link before T2 is due made only when confirmed, its answers marked early."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import invitations, questionnaires
from survey_app.store.answers import Administration
from survey_app.store.invitations import Invitation
from survey_app.store.records import ServiceUser
from tests.factories import create_agreed_case, create_sent_administration

T1_BY_COPY = {"timepoint": "T1", "access_code": "yes", "channel": "copy"}
T2_BY_COPY = {"timepoint": "T2", "access_code": "no", "channel": "copy"}


@pytest.fixture
def case(app, client_request):
    """A case manager signed in; a service user at their site, engaged, who agreed to the questionnaires."""
    with app.extensions["survey_sessions"]() as session:
        worker, person = create_agreed_case(session, app.config)
        person.eligibility, person.eligibility_date = "eligible", date(2026, 9, 5)
        person.first_session_date = date(2026, 9, 20)
        session.commit()
        client_request.sign_in(worker)
        return person.id, f"/service-users/{person.study_id}"


def links_made(session) -> int:
    return session.scalar(select(func.count()).select_from(Invitation))


def test_link_ready_is_a_page_of_its_own_so_reloading_it_makes_no_second_link(client_request, session, case):
    _, record = case
    client_request.post(f"{record}/links", T1_BY_COPY, _expected_redirect=f"{record}/links/ready")
    ready = client_request.get(f"{record}/links/ready")
    assert ready.select_one("h1").text == "Link ready"
    assert "/q/" in ready.select_one("input#link[readonly]")["value"]
    client_request.get(f"{record}/links/ready", _expected_status=302, _expected_redirect=record)
    assert "A new link is shown once only" in client_request.get(record).select_one(".govuk-notification-banner").text
    assert links_made(session) == 1


def test_the_link_form_sent_twice_makes_one_link(client_request, session, case):
    """The reply to the first post was lost and the button pressed again: no second link, and a
    message saying the first one was made (its address is not kept, so it cannot be shown again)."""
    _, record = case
    once = client_request.get(record).select_one("form[action$='/links'] input[name=once]")["value"]
    client_request.post(f"{record}/links", {**T1_BY_COPY, "once": once}, _expected_redirect=f"{record}/links/ready")
    client_request.post(f"{record}/links", {**T1_BY_COPY, "once": once}, _expected_redirect=record)
    assert links_made(session) == 1
    assert "That link was made already" in client_request.get(record).select_one(".govuk-notification-banner").text
    fresh = client_request.get(record).select_one("form[action$='/links'] input[name=once]")["value"]
    client_request.post(f"{record}/links", {**T1_BY_COPY, "once": fresh}, _expected_redirect=f"{record}/links/ready")
    assert links_made(session) == 2  # a page drawn afresh is a new request for a link


def test_the_copy_button_waits_for_script_and_the_field_works_without_it(client_request, case):
    _, record = case
    client_request.post(f"{record}/links", T1_BY_COPY)
    ready = client_request.get(f"{record}/links/ready")
    assert ready.select_one("button#copy-link").has_attr("hidden")
    assert ready.select_one("#copy-status")["role"] == "status"
    assert ready.select_one("script[src*='copy-link']") is not None


def test_a_done_timepoint_closes_its_other_links_and_offers_no_answering(app, client_request, session, case):
    record_id, record = case
    client_request.post(f"{record}/links", T1_BY_COPY)
    spare = session.scalars(select(Invitation)).one()
    assert "Answer with them" in client_request.get(record).select_one("#links").text
    with app.extensions["survey_sessions"]() as other:
        create_sent_administration(other, other.get(ServiceUser, record_id), load_catalogue(instruments_dir()))
        other.commit()
    shown = client_request.get(record).select_one("#links")
    assert "Answer with them" not in shown.text
    assert shown.select(f"a[href*='/links/{spare.id}/']") == []
    session.expire_all()
    assert not invitations.is_usable(session.get(Invitation, spare.id))


def test_a_t2_link_before_t2_is_due_is_made_only_when_confirmed(client_request, session, case):
    _, record = case
    warning = client_request.post(f"{record}/links", T2_BY_COPY, _expected_status=200)
    assert warning.select_one("h1").text == "T2 is not yet due"
    assert "Their case has not closed yet" in warning.select_one("#why-early").text
    assert "marked as early" in warning.select_one(".govuk-warning-text").text
    assert links_made(session) == 0
    confirmed = {field["name"]: field["value"] for field in warning.select("main form input[type=hidden]")}
    assert confirmed["early"] == "yes" and confirmed["timepoint"] == "T2"
    client_request.post(f"{record}/links", confirmed, _expected_redirect=f"{record}/links/ready")
    assert links_made(session) == 1


def begun(app, record_id) -> Administration:
    """The administration of the person's latest link, begun as the participant's first question would."""
    with app.extensions["survey_sessions"]() as session:
        person = session.get(ServiceUser, record_id)
        link = invitations.of_record(session, person)[0]
        made = questionnaires.begin(session, link, person, load_catalogue(instruments_dir()), "en",
                                    confirmation_required=False)
        session.commit()
        return made


def test_answers_from_an_early_t2_link_are_marked_early_and_others_are_not(app, client_request, session, case):
    record_id, record = case
    client_request.post(f"{record}/links", {**T2_BY_COPY, "early": "yes"})
    assert begun(app, record_id).early is True
    with app.extensions["survey_sessions"]() as other:  # the case closes: T2 is due from today
        person = other.get(ServiceUser, record_id)
        person.closure_date, person.closure_outcome = date(2026, 11, 30), "completed"
        other.commit()
    client_request.post(f"{record}/links", T2_BY_COPY, _expected_redirect=f"{record}/links/ready")
    assert begun(app, record_id).early is False
