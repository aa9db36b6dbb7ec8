"""Participants' links as practitioners make and share them, and the one way a link's address is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain.sms import INVITATION
from survey_app.domain.windows import NOT_YET, Window
from survey_app.services import due, invitations, records, sms, submissions
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


class AlreadyMade(Exception):
    """This form made its link already (the reply was lost, and it was sent again): no second link.
    The first link's address is not kept, so it cannot be shown again."""


class NotYetDue(Exception):
    """T2 is not yet due for this person: its link is made only once the practitioner confirms,
    and answers given through it are marked early."""

    def __init__(self, window: Window | None):
        super().__init__("T2 is not yet due.")
        self.window = window  # None while the case (or the linked service user's) is open


def share_new_link(session: Session, record: Record, staff, timepoint: str, with_code: bool, channel: str,
                   config: dict, translate: sms.Translate, early_confirmed: bool = False,
                   once: str | None = None) -> SharedLink:
    """Make a link and share it as the practitioner chose. By text, the text is queued after every
    safety check; if one fails (sms.CannotText, UnsafeText) nothing is kept, since nobody could receive it.
    A T2 link before T2 is due raises NotYetDue unless `early_confirmed`. The same form sent again
    (`once`, its token) raises AlreadyMade and makes no second link."""
    actor = Actor.staff(staff)
    with transaction(session):
        if not submissions.claim(session, once):
            raise AlreadyMade()
        if timepoint == "T2" and not early_confirmed:
            t2 = next(d for d in due.due_for(session, record, clock.today()) if d.timepoint == "T2")
            if t2.status == NOT_YET:
                raise NotYetDue(t2.window)
        made = invitations.create(session, record, timepoint, actor, staff.id, with_code=with_code,
                                  days=config["SURVEY_LINK_DAYS"])
        url = participant_link(config["SURVEY_BASE_URL"], made.token)
        if channel != "sms":
            invitations.record_share(session, made.invitation, channel, staff.id)
            return SharedLink(url, made.access_code)
        language = sms.text_language(session, record, made.invitation, config["BABEL_DEFAULT_LOCALE"])
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
