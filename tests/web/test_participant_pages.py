"""The participant's way in: neutral pages, the access code, and the shell every page uses."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import pytest

from survey_app.domain.invitations import CODE_ATTEMPTS
from survey_app.services import invitations, records
from survey_app.services.audit import COMMAND_LINE
from tests.factories import create_record, create_site, create_staff, sign_in_as
from tests.helpers import ABUSE_WORDS, main_text, soup


@pytest.fixture
def links(app):
    with app.extensions["survey_sessions"]() as session:
        record = create_record(session, records.keyrings(app.config)["victim_survivor"], "victim_survivor",
                               create_site(session))
        coded = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=True)
        plain = invitations.create(session, record, "T2", COMMAND_LINE, None, with_code=False)
        revoked = invitations.create(session, record, "T2", COMMAND_LINE, None, with_code=False)
        invitations.revoke(session, revoked.invitation, COMMAND_LINE)
        session.commit()
        return {"coded": coded, "plain": plain, "revoked": revoked}


def test_unknown_revoked_and_expired_links_look_exactly_alike(app, client, links):
    unknown = client.get("/q/not-a-token")
    revoked = client.get(f"/q/{links['revoked'].token}")
    assert unknown.status_code == revoked.status_code == 404
    assert main_text(unknown) == main_text(revoked) == (
        "This link is not working Links only work for a while. Ask the person who gave it to you for a new one.")


def test_the_access_code_comes_before_anything_else(client, links):
    token, code = links["coded"].token, links["coded"].access_code
    page = client.get(f"/q/{token}")
    assert soup(page).select_one("h1").text == "Enter your access code"
    assert client.get(f"/q/{token}/start").location == f"/q/{token}"
    wrong = client.post(f"/q/{token}", data={"code": "000000" if code != "000000" else "111111"})
    assert "That code is not right" in main_text(wrong)
    assert client.post(f"/q/{token}", data={"code": f"{code[:3]} {code[3:]}"}).location == f"/q/{token}/start"
    assert soup(client.get(f"/q/{token}/start", follow_redirects=True)).select_one("h1").text == "Before you start"


def test_the_pause_after_too_many_wrong_codes_names_the_wait_in_force(app, client, links, monkeypatch):
    monkeypatch.setattr("survey_app.domain.invitations.CODE_PAUSE", timedelta(minutes=30))
    token, code = links["coded"].token, links["coded"].access_code
    wrong = "000000" if code != "000000" else "111111"
    with app.extensions["survey_sessions"]() as session:
        invitation = session.merge(links["coded"].invitation)
        for _ in range(CODE_ATTEMPTS - 1):
            invitations.check_code(session, invitation, wrong)
    paused = client.post(f"/q/{token}", data={"code": wrong}, follow_redirects=True)
    assert "Too many tries. Wait 30 minutes, then try again" in main_text(paused)
    still = client.post(f"/q/{token}", data={"code": code})
    assert "Wait 30 minutes" in main_text(still), "the right code waits for the pause too"


def test_a_link_without_a_code_goes_straight_in(client, links):
    token = links["plain"].token
    assert client.get(f"/q/{token}").location == f"/q/{token}/start"


def participant_pages(client, links) -> list:
    """Every kind of participant page, reached the way a person would reach it."""
    client.post(f"/q/{links['coded'].token}", data={"code": links["coded"].access_code})
    plain = f"/q/{links['plain'].token}"
    pages = [client.get(f"/q/{links['coded'].token}"), client.get("/q/not-a-token"),
             client.get(f"{plain}/start", follow_redirects=True), client.get(f"{plain}/information"),
             client.get(f"{plain}/language")]
    for statement in ("questionnaires", "share_answers", "share_monitoring", "interview_contact", "link_partner"):
        pages.append(client.get(f"{plain}/choices/{statement}"))
        client.post(f"{plain}/choices/{statement}", data={"answer": "yes"})
    pages += [client.get(f"{plain}/choices/check"), client.post(f"{plain}/choices/check", follow_redirects=True),
              client.get(f"{plain}/questions/swemwbs/1")]
    for number in range(1, 8):
        client.post(f"{plain}/questions/swemwbs/{number}", data={"answer": "3"})
    pages += [client.get(f"{plain}/questions/check"),
              client.post(f"{plain}/questions/check", follow_redirects=True)]
    coded = f"/q/{links['coded'].token}"  # the same person's other link: its code is asked again
    client.post(coded, data={"code": links["coded"].access_code})
    client.post(f"{coded}/choices/questionnaires", data={"answer": "not_now"})
    pages += [client.get(f"{coded}/reason"), client.post(f"{coded}/reason", data={}, follow_redirects=True),
              client.get(f"{coded}/stop"), client.post(f"{coded}/stop", data={"keep": "keep"})]
    assert [page.status_code for page in pages] == [302, 404] + [200] * 17, [(p.request.path, p.status_code) for p in pages]
    return pages


def visible_text(response) -> str:
    """What a person sees before choosing to open anything: closed details left out."""
    page = soup(response)
    for hidden in page.select(".govuk-details__text"):
        hidden.decompose()
    # The linkage question has to say whose answers; it names nothing more.
    return page.select_one("body").get_text(" ").replace("partner's or ex-partner's", "")


def test_every_participant_page_has_the_shell(app, client, links):
    fresh = app.test_client()
    pages = [fresh.get(f"/q/{links['coded'].token}"), *participant_pages(client, links)[1:]]
    assert len(pages) == 19
    for response in pages:
        page = soup(response)
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        assert page.select_one(".app-quick-exit__button")["href"] == "/q/leave"
        assert page.select_one(".app-header__name").text == "Questionnaire"
        if not response.request.path.endswith("/information"):  # the full sheet is opened only by choice
            assert not ABUSE_WORDS.search(visible_text(response)), visible_text(response)
        leaving = [tag.get(a) for tag in page.find_all(True) for a in ("href", "src", "action")
                   if tag.get(a) and urlparse(tag.get(a)).netloc]
        assert leaving == [], "even the quick exit leaves through the platform"


def test_the_quick_exit_destination_is_configurable(app, client, links, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_QUICK_EXIT_URL", "https://www.example.org/recipes")
    page = soup(client.get("/q/not-a-token"))
    assert client.get(page.select_one(".app-quick-exit__button")["href"]).location == "https://www.example.org/recipes"


def test_a_practitioner_makes_a_link_with_a_code_and_a_qr_code(app, client):
    with app.extensions["survey_sessions"]() as session:
        site = create_site(session)
        person = create_staff(session, "case_manager", sites=[site])
        record = create_record(session, records.keyrings(app.config)["service_user"], "service_user", site)
        session.commit()
        study_id = record.study_id
    sign_in_as(client, person)
    page = soup(client.post(f"/service-users/{study_id}/links",
                            data={"timepoint": "T1", "access_code": "yes", "channel": "qr"}, follow_redirects=True))
    link = page.select_one("#link")["value"]
    assert page.select_one(".app-qr svg") is not None
    path = urlparse(link).path
    assert app.test_client().get(path).status_code == 200
    record_page = soup(client.get(f"/service-users/{study_id}"))
    revoke = record_page.select_one("form.app-inline-form")["action"]
    assert client.post(revoke).status_code == 302
    assert app.test_client().get(path).status_code == 404


def test_the_quick_exit_pauses_a_link_without_a_code_opened_straight_on_a_question(app, client):
    from tests.factories import create_person_who_agreed

    _, made = create_person_who_agreed(app, with_code=False)
    question = f"/q/{made.token}/questions/swemwbs/1"
    assert client.get(question).status_code == 200
    client.get("/q/leave", headers={"Sec-Fetch-Site": "same-origin"})
    assert client.get(question).status_code == 404, "reopened from history, the link shows nothing"
