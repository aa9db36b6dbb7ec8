"""Sending links by text, safely: safe-contact answers first, then an outbox the worker sends
from, through Twilio, with retries; delivery reports update each message.

Nothing is sent without a "yes" to texts, outside the allowed hours, or in wording that could
give anything away. A Twilio error never loses a message: it stays in the outbox and is
tried again later, and the practitioner sees its state on the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain import sms as sms_rules
from survey_app.domain import windows
from survey_app.domain.sms import SafeContact
from survey_app.domain.text import N_
from survey_app.services import audit, due, invitations, participant_languages, records
from survey_app.services.audit import Actor
from survey_app.services.unit_of_work import transaction
from survey_app.store.crypto import Keyring
from survey_app.store.invitations import Invitation
from survey_app.store.records import Record
from survey_app.store.sms import SafeContactRow, SmsMessage, SmsTemplate

LONDON = ZoneInfo("Europe/London")
QUEUED, SENDING, SENT, DELIVERED, FAILED, UNDELIVERED, CANCELLED, DEMO = (
    "queued", "sending", "sent", "delivered", "failed", "undelivered", "cancelled", "demo")
STATE_NAMES = {QUEUED: N_("Waiting to send"), SENDING: N_("Sending"), SENT: N_("Sent"), DELIVERED: N_("Delivered"),
               FAILED: N_("Failed"), UNDELIVERED: N_("Not delivered"), CANCELLED: N_("Cancelled"),
               DEMO: N_("Demo: not sent")}
Translate = Callable[[str, str], str]  # (catalogue text, language) -> that text in that language
# Twilio's delivery states, as ours. Anything else leaves the message as it is.
TWILIO_STATUS = {"sent": SENT, "delivered": DELIVERED, "undelivered": UNDELIVERED, "failed": FAILED}


class CannotText(ValueError):
    """Why a text cannot be queued, in words for the practitioner."""


def record_safe_contact(session: Session, keyring: Keyring, record: Record, contact: SafeContact,
                        staff_id: int | None, actor: Actor, now: datetime | None = None) -> None:
    """Keep a person's answers to the safe-contact questions (the newest answers are the ones in force)."""
    if record.wrapped_key is None:
        raise CannotText(N_("Their contact details were deleted when they stopped taking part, so no text can be "
                            "sent to them."))
    with transaction(session):
        cipher = records.cipher_for(keyring, record)
        session.add(SafeContactRow(store=record.store, record_id=record.id, may_text=contact.may_text,
                                   text_from=contact.text_from, text_until=contact.text_until,
                                   never_say=cipher.encrypt(contact.never_say or None), recorded_by=staff_id,
                                   recorded_at=now or clock.now()))
        audit.record(session, actor, "safe_contact.recorded", f"{record.store}:{record.study_id}",
                     {"may_text": contact.may_text})


def safe_contact(session: Session, keyring: Keyring, record: Record) -> SafeContact | None:
    row = session.scalars(select(SafeContactRow).where(SafeContactRow.store == record.store,
                                                       SafeContactRow.record_id == record.id)
                          .order_by(SafeContactRow.id.desc()).limit(1)).first()
    if row is None or record.wrapped_key is None:
        return None
    never_say = records.cipher_for(keyring, record).decrypt(row.never_say) or ""
    return SafeContact(row.may_text, row.text_from, row.text_until, never_say)


def queue(session: Session, keyring: Keyring, record: Record, invitation: Invitation, link: str, language: str,
          template: str, staff_id: int | None, kind: str = "invitation", now: datetime | None = None) -> SmsMessage:
    """Put a text in the outbox for the worker, after every safety check that can be made now."""
    now = now or clock.now()
    contact = safe_contact(session, keyring, record)
    if contact is None:
        raise CannotText(N_("Ask the safe-contact questions before sending a text."))
    if not contact.may_text:
        raise CannotText(N_("They said no to texts. Share the link another way."))
    if record.phone is None:
        raise CannotText(N_("There is no phone number for this person."))
    sms_rules.compose(template, link, contact)  # refuse unsafe wording now, not at 3 a.m. in the worker
    send_after = sms_rules.next_allowed(contact, now.astimezone(LONDON)).astimezone(timezone.utc)
    message = SmsMessage(invitation_id=invitation.id, kind=kind, language=language,
                         link=records.cipher_for(keyring, record).encrypt(link), status=QUEUED, attempts=0,
                         send_after=send_after, created_by=staff_id, created_at=now)
    session.add(message)
    invitations.record_share(session, invitation, "sms", staff_id, now)
    return message


def claim(session: Session, limit: int = 20, now: datetime | None = None) -> list[int]:
    """Take queued messages that are due, so no other worker sends them too. On PostgreSQL the
    rows are locked with SKIP LOCKED, so several workers share the queue without waiting; on
    SQLite writes are serialised anyway. Commits the claim."""
    now = now or clock.now()
    with transaction(session):
        rows = session.scalars(select(SmsMessage).where(SmsMessage.status == QUEUED, SmsMessage.send_after <= now)
                               .order_by(SmsMessage.send_after, SmsMessage.id).limit(limit)
                               .with_for_update(skip_locked=True)).all()
        for row in rows:
            row.status = SENDING
    return [row.id for row in rows]


Sender = Callable[[str, str], str]  # (to, body) -> the provider's message id


def send(session: Session, rings: dict[str, Keyring], message_id: int, sender: Sender | None,
         template_for: Callable[[SmsMessage], str], now: datetime | None = None) -> str:
    """Send one claimed message. `sender` None means demo mode: nothing leaves the platform.
    Returns the message's new status; commits."""
    now = now or clock.now()
    with transaction(session):
        message = session.get(SmsMessage, message_id)
        invitation = session.get(Invitation, message.invitation_id)
        record = invitations.record_of(session, invitation)
        keyring = rings[record.store]
        contact = safe_contact(session, keyring, record)
        status = _check_still_safe(message, invitation, contact, now)
        if status is None:
            cipher = records.cipher_for(keyring, record)
            body = sms_rules.compose(template_for(message), cipher.decrypt(message.link), contact)
            status = _deliver(message, sender, cipher.decrypt(record.phone), body, now)
    return status


def _check_still_safe(message: SmsMessage, invitation: Invitation, contact: SafeContact | None,
                      now: datetime) -> str | None:
    """None to go ahead; else the status the message now has (answers may have changed since)."""
    if contact is None or not contact.may_text or not invitations.is_usable(invitation, now) or message.link is None:
        return _finish(message, CANCELLED, "no longer allowed or no longer needed")
    local = now.astimezone(LONDON)
    if not sms_rules.may_send_at(contact, local):
        message.status = QUEUED
        message.send_after = sms_rules.next_allowed(contact, local).astimezone(timezone.utc)
        return QUEUED
    return None


def _deliver(message: SmsMessage, sender: Sender | None, phone: str, body: str, now: datetime) -> str:
    message.attempts += 1
    if sender is None:
        return _finish(message, DEMO, None, now)
    try:
        message.twilio_sid = sender(phone, body)
    except Exception as error:  # noqa: BLE001 (any failure must keep the message for a retry)
        again = sms_rules.retry_at(message.attempts, now)
        if again is None:
            return _finish(message, FAILED, _describe(error))
        message.status, message.send_after, message.last_error = QUEUED, again, _describe(error)
        return QUEUED
    return _finish(message, SENT, None, now)


def _finish(message: SmsMessage, status: str, error: str | None, sent_at: datetime | None = None) -> str:
    message.status, message.last_error, message.link = status, error, None  # the link copy goes for good
    if sent_at is not None:
        message.sent_at = sent_at
    return status


def _describe(error: Exception) -> str:
    code = getattr(error, "code", None)
    return (f"{type(error).__name__} {code}" if code else type(error).__name__)[:200]


def delivery_report(session: Session, sid: str, twilio_status: str) -> bool:
    """Apply a status callback. False (and nothing changed) when the message is unknown."""
    with transaction(session):
        message = session.scalars(select(SmsMessage).where(SmsMessage.twilio_sid == sid)).first()
        if message is None:
            return False
        if twilio_status in TWILIO_STATUS:
            message.status = TWILIO_STATUS[twilio_status]
    return True


def messages_for(session: Session, record: Record) -> list[SmsMessage]:
    ids = [i.id for i in invitations.of_record(session, record)]
    if not ids:
        return []
    return list(session.scalars(select(SmsMessage).where(SmsMessage.invitation_id.in_(ids))
                                .order_by(SmsMessage.created_at.desc())))



# --- reminders ------------------------------------------------------------------------------

def reminders_due(session: Session, today: date, limit: int, gap_days: int,
                  t1_working_days: int) -> list[tuple[Invitation, str]]:
    """Links first sent by text that are still open, inside their window (never for a missed T1),
    reminded fewer than `limit` times, and not texted in the last `gap_days` days (counted from
    when the text went); each with the language to write in: the one the person chose on the link
    (or on another of their links), else the one it was last texted in."""
    texted = session.scalars(select(SmsMessage).where(SmsMessage.status.in_((SENT, DELIVERED, DEMO)))).all()
    by_invitation: dict[int, list[SmsMessage]] = {}
    for message in texted:
        by_invitation.setdefault(message.invitation_id, []).append(message)
    found = []
    for invitation_id, messages in by_invitation.items():
        invitation = session.get(Invitation, invitation_id)
        if not invitations.is_usable(invitation):
            continue
        reminders = sum(1 for m in messages if m.kind == "reminder")
        last = max(m.sent_at or m.created_at for m in messages)
        record = invitations.record_of(session, invitation)
        timepoint = next(d for d in due.due_for(session, record, today, t1_working_days)
                         if d.timepoint == invitation.timepoint)
        language = participant_languages.remembered(session, invitation) \
            or max(messages, key=lambda m: m.created_at).language
        if timepoint.status != windows.MISSED and windows.may_remind(timepoint.window, today, reminders, limit) \
                and (today - last.date()).days >= gap_days:
            found.append((invitation, language))
    return found


def queue_reminders(session: Session, rings: dict[str, Keyring], today: date, link_for: Callable[[str], str],
                    translate: Translate, limit: int, gap_days: int, t1_working_days: int) -> int:
    """Queue a reminder for each link that is due one, in the person's language (text_wording); the
    same safety checks as any text."""
    queued = 0
    with transaction(session):
        for invitation, language in reminders_due(session, today, limit, gap_days, t1_working_days):
            record = invitations.record_of(session, invitation)
            savepoint = session.begin_nested()
            try:
                token = invitations.reissue(session, invitation, audit.SYSTEM)
                queue(session, rings[record.store], record, invitation, link_for(token), language,
                      text_wording(session, sms_rules.REMINDER, language, translate), None, kind=sms_rules.REMINDER)
            except (CannotText, sms_rules.UnsafeText):
                savepoint.rollback()  # keep the old link working: the answers no longer allow a text
            else:
                savepoint.commit()
                queued += 1
    return queued


# --- wording ----------------------------------------------------------------------------------


def wording(session: Session, kind: str, language: str) -> str | None:
    """The admin's wording for this kind of text in this language, if they wrote one."""
    return session.scalar(select(SmsTemplate.text).where(SmsTemplate.kind == kind, SmsTemplate.language == language))


def text_wording(session: Session, kind: str, language: str, translate: Translate) -> str:
    """The wording a text of this kind is sent in: the admin's for that language, else the catalogue's
    default translated into it. The one place this rule lives, for the worker and every page. The
    language is the participant's (text_language), never simply the platform's default."""
    return wording(session, kind, language) or translate(sms_rules.DEFAULTS[kind], language)


def text_language(session: Session, record: Record, invitation: Invitation | None, default: str) -> str:
    """The language a text to this person is written in: the one chosen on the link, else the one
    they chose last on another of their links, else `default`."""
    if invitation is not None:
        return participant_languages.remembered(session, invitation) or default
    return participant_languages.for_record(session, record) or default


@dataclass(frozen=True)
class Wording:
    kind: str
    language: str
    text: str
    custom: bool  # the admin's own, not the default


def wordings(session: Session, languages: list[str], translate: Translate) -> list[Wording]:
    """Every kind of text in every language, as it would be sent."""
    found = []
    for kind in sms_rules.DEFAULTS:
        for language in languages:
            own = wording(session, kind, language)
            found.append(Wording(kind, language, own or translate(sms_rules.DEFAULTS[kind], language), own is not None))
    return found


def save_wording(session: Session, kind: str, language: str, text: str, staff_id: int | None, actor: Actor,
                 now: datetime | None = None) -> None:
    """Keep an admin's wording, only if it passes the same checks as every text (raises UnsafeText)."""
    if kind not in sms_rules.DEFAULTS:
        raise ValueError(f"Unknown kind of text: {kind}")
    text = " ".join(text.split())
    sms_rules.compose(text, "https://example.org/q/x", SafeContact(True))
    with transaction(session):
        row = session.scalars(select(SmsTemplate).where(SmsTemplate.kind == kind,
                                                        SmsTemplate.language == language)).first()
        if row is None:
            row = SmsTemplate(kind=kind, language=language)
            session.add(row)
        row.text, row.updated_by, row.updated_at = text, staff_id, now or clock.now()
        audit.record(session, actor, "sms_template.saved", f"{kind}:{language}")
