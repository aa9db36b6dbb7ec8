"""Participants' links as practitioners make and share them, and the one way a link's address is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from survey_app.domain.sms import INVITATION
from survey_app.services import invitations, records, sms
from survey_app.services.audit import Actor
from survey_app.services.unit_of_work import transaction
from survey_app.store.records import Record

PARTICIPANT_PATH = "/q/"  # the participant blueprint's way in: /q/<token>


def participant_link(base_url: str, token: str) -> str:
    """The address a participant opens: the platform's public address (SURVEY_BASE_URL) and the token."""
    return f"{base_url.rstrip('/')}{PARTICIPANT_PATH}{token}"


@dataclass(frozen=True)
class SharedLink:
    url: str
    access_code: str | None
    send_after: datetime | None = None  # when it goes by text, the earliest it may be sent


def share_new_link(session: Session, record: Record, staff, timepoint: str, with_code: bool, channel: str,
                   config: dict, translate: sms.Translate) -> SharedLink:
    """Make a link and share it as the practitioner chose. By text, the text is queued after every
    safety check; if one fails (sms.CannotText, UnsafeText) nothing is kept, since nobody could receive it."""
    actor = Actor.staff(staff)
    with transaction(session):
        made = invitations.create(session, record, timepoint, actor, staff.id, with_code=with_code,
                                  days=config["SURVEY_LINK_DAYS"])
        url = participant_link(config["SURVEY_BASE_URL"], made.token)
        if channel != "sms":
            invitations.record_share(session, made.invitation, channel, staff.id)
            return SharedLink(url, made.access_code)
        language = config["BABEL_DEFAULT_LOCALE"]
        message = sms.queue(session, records.keyrings(config)[record.store], record, made.invitation, url, language,
                            sms.text_wording(session, INVITATION, language, translate), staff.id)
    return SharedLink(url, made.access_code, message.send_after)


def revoke_link(session: Session, record: Record, invitation_id: int, actor: Actor) -> bool:
    """Stop one of this person's links working; False (nothing changed) when the link is not theirs."""
    with transaction(session):
        invitation = next((i for i in invitations.of_record(session, record) if i.id == invitation_id), None)
        if invitation is None:
            return False
        invitations.revoke(session, invitation, actor)
    return True


def reopen_link(session: Session, record: Record, invitation_id: int, actor: Actor) -> bool:
    """Let one of this person's paused links open again; False (nothing changed) when no paused
    link of theirs has that id."""
    with transaction(session):
        invitation = next((i for i in invitations.of_record(session, record)
                           if i.id == invitation_id and i.paused_at is not None), None)
        if invitation is None:
            return False
        invitations.reopen(session, invitation, actor)
    return True
