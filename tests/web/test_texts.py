"""Texts from the record: safe-contact answers first, then a link sent by text through the outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey_app.services import records
from survey_app.store.invitations import Invitation
from survey_app.store.sms import SafeContactRow, SmsMessage
from tests.factories import create_record, create_site, create_staff, sign_in_as
from tests.helpers import raw_bytes
from tests.helpers import soup


@pytest.fixture
def case(app, client, session):
    site = create_site(session)
    worker = create_staff(session, "partner_support_worker", sites=[site])
    person = create_record(session, records.keyrings(app.config)["victim_survivor"], "victim_survivor", site,
                           phone="07400 123456")
    session.commit()
    sign_in_as(client, worker)
    return f"/victim-survivors/{person.study_id}"


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_safe_contact_answers_are_checked_then_kept_encrypted(app, client, session, case):
    empty = soup(client.post(f"{case}/safe-contact", data={}))
    assert "Choose yes or no" in empty.select_one(".govuk-error-summary").text
    half = soup(client.post(f"{case}/safe-contact", data={"may_text": "yes", "text_from": "18:00"}))
    assert "Give both times, or neither" in half.select_one(".govuk-error-summary").text
    assert count(session, SafeContactRow) == 0
    client.post(f"{case}/safe-contact", data={"may_text": "yes", "text_from": "18:00", "text_until": "20:00",
                                             "never_say": "Quentinsworth, the clinic"})
    record = soup(client.get(case))
    assert "Texts allowed from 18:00 to 20:00" in record.select_one("#safe-contact").text
    assert b"Quentinsworth" not in raw_bytes(app, session)


def test_no_text_and_no_link_without_a_yes(client, session, case):
    page = soup(client.post(f"{case}/links", data={"timepoint": "T1", "access_code": "yes", "channel": "sms"}))
    assert page.select_one("h1").text == "Text not sent"
    assert "Ask the safe-contact questions" in page.select_one("#problem").text
    assert count(session, Invitation) == 0 and count(session, SmsMessage) == 0


def test_a_link_sent_by_text_waits_in_the_outbox_and_shows_on_the_record(client, session, case):
    client.post(f"{case}/safe-contact", data={"may_text": "yes"})
    page = soup(client.post(f"{case}/links", data={"timepoint": "T1", "access_code": "yes", "channel": "sms"},
                            follow_redirects=True))
    assert page.select_one("h1").text == "Text queued"
    assert "/q/" not in page.get_text()  # the link itself is never shown or kept in the clear
    assert "The access code is never texted" in page.get_text()
    [message] = session.scalars(select(SmsMessage)).all()
    assert message.status == "queued" and b"/q/" not in message.link
    assert "Waiting to send" in soup(client.get(case)).select_one("#texts").text


def test_staff_are_told_when_a_measure_is_not_available_yet(client, case):
    notice = soup(client.get(case)).select_one("#unavailable-sdps")
    assert "Survivor-Defined Practice Scale has no published version yet, so it is left out at T2" in notice.text
