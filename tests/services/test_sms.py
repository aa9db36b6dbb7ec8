"""Texts: safe-contact answers first, neutral wording, the allowed hours, the outbox and its
retries, Twilio's real SDK with a capturing HTTP client, and signed delivery reports."""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, time, timedelta, timezone

from survey_app import clock
import pytest
from sqlalchemy import select
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator

from survey_app.commands.worker import work_once
from survey_app.domain.sms import SafeContact, UnsafeText, compose
from survey_app.services import invitations, records, sms
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.sms import SmsMessage
from tests.factories import create_record, create_site

SID, TOKEN, FROM = "AC" + "a" * 32, "test-auth-token", "+447400000001"
# 10:00 on a Monday in London (UTC in November).
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
TEMPLATE = "Hello. Here is the link we talked about: {link}"
LINK = "http://127.0.0.1:5000/q/abc"


class CapturingHttpClient(HttpClient):
    """Twilio's HTTP layer, replaced: records each request and answers as Twilio would."""

    def __init__(self, fail_with: int | None = None):
        super().__init__(logger=logging.getLogger("twilio.fake"), is_async=False)
        self.requests: list[dict] = []
        self.fail_with = fail_with

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        self.requests.append({"method": method, "uri": uri, "data": dict(data or {}), "auth": auth})
        if self.fail_with:
            return Response(self.fail_with, json.dumps({"code": 20500, "message": "Internal error", "status": 500}))
        return Response(201, json.dumps({"sid": f"SM{len(self.requests):032d}", "status": "queued"}))


@pytest.fixture
def twilio(app, monkeypatch):
    fake = CapturingHttpClient()
    monkeypatch.setitem(app.config, "SURVEY_MODE", "development")
    for key, value in (("ACCOUNT_SID", SID), ("AUTH_TOKEN", TOKEN), ("FROM", FROM)):
        monkeypatch.setitem(app.config, f"SURVEY_TWILIO_{key}", value)
    monkeypatch.setitem(app.extensions, "twilio_http_client", fake)
    return fake


@pytest.fixture
def person(app, session):
    ring = records.keyrings(app.config)["service_user"]
    record = create_record(session, ring, "service_user", create_site(session), phone="07400 123456")
    link = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=False)
    session.commit()
    return ring, record, link.invitation


def allow(session, person, **kwargs):
    ring, record, _ = person
    sms.record_safe_contact(session, ring, record, SafeContact(**{"may_text": True, **kwargs}), None, COMMAND_LINE)
    session.commit()


def queue(session, person, now=MONDAY_10AM):
    ring, record, invitation = person
    message = sms.queue(session, ring, record, invitation, LINK, "en", TEMPLATE, None, now=now)
    session.commit()
    return message


def test_no_text_without_a_yes_to_texts(session, person):
    with pytest.raises(sms.CannotText, match="Ask the safe-contact questions"):
        queue(session, person)
    allow(session, person, may_text=False)
    with pytest.raises(sms.CannotText, match="said no to texts"):
        queue(session, person)
    assert session.scalars(select(SmsMessage)).all() == []


@pytest.mark.parametrize("wording", ["Your survey link: {link}", "No link here", "{link} and {link}", "Hello from the programme {link}",
                                     "Hi, your partner's link: {link}", "Hi Mum, {link}"])
def test_wording_that_could_give_anything_away_is_refused(wording):
    with pytest.raises(UnsafeText):
        compose(wording, LINK, SafeContact(True, never_say="Mum, the clinic"))


def test_outside_the_allowed_hours_a_text_waits_for_them(session, person):
    allow(session, person, text_from=time(18, 0), text_until=time(20, 0))
    message = queue(session, person)
    assert message.send_after.replace(tzinfo=timezone.utc) == MONDAY_10AM.replace(hour=18)
    assert sms.claim(session, now=MONDAY_10AM) == []  # not before six


def test_the_worker_sends_through_twilio_exactly_this_request(app, session, person, twilio):
    allow(session, person)
    message = queue(session, person, now=clock.now() - timedelta(minutes=1))
    assert work_once(app) == {"sent": 1}
    [request] = twilio.requests
    assert request["method"] == "POST"
    assert request["uri"] == f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Messages.json"
    assert request["auth"] == (SID, TOKEN)
    assert request["data"] == {"To": "+447400123456", "From": FROM, "Body": f"Hello. Here is the link we talked about: {LINK}",
                               "StatusCallback": "http://127.0.0.1:5000/twilio/status"}
    session.expire_all()
    sent = session.get(SmsMessage, message.id)
    assert (sent.status, sent.twilio_sid, sent.link, sent.attempts) == ("sent", "SM" + "1".zfill(32), None, 1)
    assert work_once(app) == {}  # nothing is sent twice


def test_an_admins_wording_is_what_goes_out(app, session, person, twilio):
    sms.save_wording(session, "invitation", "en", "Hi, as promised: {link}", None, COMMAND_LINE)
    allow(session, person)
    queue(session, person, now=clock.now() - timedelta(minutes=1))
    work_once(app)
    assert twilio.requests[0]["data"]["Body"] == f"Hi, as promised: {LINK}"


def test_a_twilio_error_keeps_the_message_and_retries_with_backoff(app, session, person, twilio):
    twilio.fail_with = 500
    allow(session, person)
    message = queue(session, person, now=clock.now() - timedelta(minutes=1))
    assert work_once(app) == {"queued": 1}
    session.expire_all()
    kept = session.get(SmsMessage, message.id)
    assert (kept.status, kept.attempts, kept.last_error) == ("queued", 1, "TwilioRestException 20500")
    assert kept.link is not None and kept.send_after.replace(tzinfo=timezone.utc) > clock.now()
    for _ in range(4):  # every retry is due at once, failing again until the last
        kept.send_after = clock.now() - timedelta(seconds=1)
        session.commit()
        work_once(app)
        session.expire_all()
        kept = session.get(SmsMessage, message.id)
    assert (kept.status, kept.attempts, kept.link) == ("failed", 5, None)
    assert len(twilio.requests) == 5


def test_demo_mode_sends_nothing(app, session, person, twilio, monkeypatch):
    monkeypatch.setitem(app.config, "SURVEY_MODE", "demo")
    allow(session, person)
    queue(session, person, now=clock.now() - timedelta(minutes=1))
    assert work_once(app) == {"demo": 1} and twilio.requests == []


def test_a_changed_answer_cancels_a_queued_text(app, session, person, twilio):
    allow(session, person)
    queue(session, person, now=clock.now() - timedelta(minutes=1))
    allow(session, person, may_text=False)
    assert work_once(app) == {"cancelled": 1} and twilio.requests == []


def test_delivery_reports_must_be_signed_by_twilio(app, client, session, person, twilio):
    allow(session, person)
    message = queue(session, person, now=clock.now() - timedelta(minutes=1))
    work_once(app)
    session.expire_all()
    sid = session.get(SmsMessage, message.id).twilio_sid
    report = {"MessageSid": sid, "MessageStatus": "delivered"}
    signature = RequestValidator(TOKEN).compute_signature("http://127.0.0.1:5000/twilio/status", report)
    assert client.post("/twilio/status", data=report).status_code == 403
    assert client.post("/twilio/status", data={**report, "MessageStatus": "failed"},
                       headers={"X-Twilio-Signature": signature}).status_code == 403
    assert client.post("/twilio/status", data=report, headers={"X-Twilio-Signature": signature}).status_code == 204
    session.expire_all()
    assert session.get(SmsMessage, message.id).status == "delivered"


def test_two_workers_never_claim_the_same_message(app, session, person):
    if app.extensions["survey_engine"].dialect.name != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serialises writers instead")
    allow(session, person)
    for _ in range(6):
        queue(session, person, now=clock.now() - timedelta(minutes=1))
    claimed: list[list[int]] = []
    start = threading.Barrier(2)

    def worker():
        with app.extensions["survey_sessions"]() as own:
            start.wait()
            claimed.append(sms.claim(own, limit=4))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = claimed
    assert not set(first) & set(second) and len(first) + len(second) == 6




def test_reminders_go_inside_the_window_a_limited_number_of_times(app, session, person, twilio):
    ring, record, invitation = person
    record.eligibility, record.eligibility_date, record.first_session_date = "eligible", clock.today(), clock.today()
    allow(session, person)
    old = queue(session, person, now=clock.now() - timedelta(days=4))
    work_once(app)
    session.expire_all()
    assert session.get(SmsMessage, old.id).status == "sent"
    assert work_once(app) == {}  # only just sent: wait for the gap
    session.get(SmsMessage, old.id).sent_at = clock.now() - timedelta(days=4)
    session.commit()
    token_hash = session.get(type(invitation), invitation.id).token_hash
    assert work_once(app) == {"reminders queued": 1, "sent": 1}
    body = twilio.requests[-1]["data"]["Body"]
    assert body.startswith("Hello. A reminder about the link we talked about: http://127.0.0.1:5000/q/")
    session.expire_all()
    assert session.get(type(invitation), invitation.id).token_hash != token_hash  # the old link no longer works
    assert invitations.find_usable(session, body.rsplit("/", 1)[1]) is not None
    for message in session.scalars(select(SmsMessage)):
        message.sent_at = clock.now() - timedelta(days=4)
    session.commit()
    assert work_once(app)["reminders queued"] == 1  # the second and last
    for message in session.scalars(select(SmsMessage)):
        message.sent_at = clock.now() - timedelta(days=4)
    session.commit()
    assert work_once(app) == {}  # the limit is 2
    outside = clock.today() + timedelta(days=60)
    app.config["SURVEY_SMS_REMINDERS"] = 5
    try:
        assert work_once(app, today=outside) == {}  # never outside the window
    finally:
        app.config["SURVEY_SMS_REMINDERS"] = 2


def test_no_reminder_for_a_t1_missed_because_the_case_closed(app, session, person, twilio):
    ring, record, invitation = person
    first_session = clock.today() - timedelta(days=2)
    record.eligibility, record.eligibility_date, record.first_session_date = "eligible", first_session, first_session
    allow(session, person)
    queue(session, person, now=clock.now() - timedelta(days=4))
    work_once(app)
    for message in session.scalars(select(SmsMessage)):
        message.sent_at = clock.now() - timedelta(days=4)
    record.closure_date, record.closure_outcome = clock.today(), "disengaged"
    session.commit()
    assert work_once(app) == {}  # T1's window is still open, but it can no longer be collected
    record.closure_date = record.closure_outcome = None
    session.commit()
    assert work_once(app) == {"reminders queued": 1, "sent": 1}


def test_a_text_goes_in_the_admins_wording_else_the_default_in_its_own_language(session):
    def translate(text, language):
        return f"[{language}] {text}"

    default = "Hello. A reminder about the link we talked about: {link}"
    assert sms.text_wording(session, "reminder", "cy", translate) == f"[cy] {default}"
    sms.save_wording(session, "reminder", "cy", "Helo, dyma'r ddolen: {link}", None, COMMAND_LINE)
    assert sms.text_wording(session, "reminder", "cy", translate) == "Helo, dyma'r ddolen: {link}"
    assert sms.text_wording(session, "reminder", "en", translate) == f"[en] {default}"


def test_a_reminder_is_written_in_the_language_the_person_chose_on_their_link(app, session, person, twilio):
    _ring, record, invitation = person
    record.eligibility, record.eligibility_date, record.first_session_date = "eligible", clock.today(), clock.today()
    allow(session, person)
    queue(session, person, now=clock.now() - timedelta(days=4))  # the first text, in English
    work_once(app)
    for message in session.scalars(select(SmsMessage)):
        message.sent_at = clock.now() - timedelta(days=4)
    session.get(type(invitation), invitation.id).language = "ur"  # chosen on the link's pages since
    session.commit()
    assert work_once(app) == {"reminders queued": 1, "sent": 1}
    body = twilio.requests[-1]["data"]["Body"]
    assert body.startswith("ہیلو۔ اس لنک کی یاد دہانی") and "/q/" in body
    reminder = session.scalars(select(SmsMessage).where(SmsMessage.kind == "reminder")).one()
    assert reminder.language == "ur"


def test_a_new_text_is_composed_in_the_persons_language_not_the_platforms(app, session, person):
    _ring, record, invitation = person
    assert sms.text_language(session, record, invitation, "en") == "en", "nothing chosen yet: the default"
    invitation.language = "ar"
    session.commit()
    later = invitations.create(session, record, "T2", COMMAND_LINE, None, with_code=False).invitation
    assert sms.text_language(session, record, later, "en") == "ar", "a new link: the language chosen on another"
    later.language = "pl"
    assert sms.text_language(session, record, later, "en") == "pl"
    assert sms.text_wording(session, "invitation", "ar", app_translate(app)).startswith("مرحبًا")


def app_translate(app):
    from survey_app.web.text import in_language

    def translate(text, language):
        with app.test_request_context():
            return in_language(text, language)
    return translate


@pytest.mark.parametrize("language, wording", [("ur", "آپ کا سروے: {link}"), ("ar", "رابط الاستبيان: {link}"),
                                               ("pl", "Ankieta: {link}")])
def test_an_admins_wording_with_a_revealing_word_in_urdu_arabic_or_polish_is_refused(session, language, wording):
    with pytest.raises(UnsafeText):
        sms.save_wording(session, "invitation", language, wording, None, COMMAND_LINE)
    assert sms.wording(session, "invitation", language) is None
