"""Creating, sharing, checking and revoking private links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, defer

from survey_app import clock
from survey_app.domain import invitations as invitation_rules
from survey_app.domain.measures import TIMEPOINTS
from survey_app.domain.times import as_utc
from survey_app.services import audit, participant_visits
from survey_app.services.audit import Actor
from survey_app.services.unit_of_work import transaction
from survey_app.store.invitations import Invitation, InvitationShare
from survey_app.store.records import MODELS, Record
from survey_app.store.visits import ParticipantVisit

HASHER = PasswordHasher()
# Concurrent tries that lose the race for their place in the count read it again this many times at most.
TURN_RETRIES = 5

CODE_OK, CODE_WRONG, CODE_PAUSED = "ok", "wrong", "paused"


@dataclass(frozen=True)
class LinkVisit:
    """A usable link and the one person it belongs to, and the progress kept for the browser that
    asked (participant_visits; None when it has none)."""

    invitation: Invitation
    record: Record
    kept_progress: dict | None

    @property
    def needs_code(self) -> bool:
        return self.invitation.access_code_hash is not None


@dataclass(frozen=True)
class NewLink:
    invitation: Invitation
    token: str  # shown once; only its hash is kept
    access_code: str | None


def create(session: Session, record: Record, timepoint: str, actor: Actor, staff_id: int | None,
           with_code: bool, days: int = invitation_rules.DEFAULT_DAYS, now: datetime | None = None) -> NewLink:
    if timepoint not in TIMEPOINTS:
        raise ValueError("Timepoint must be T1 or T2.")
    now = now or clock.now()
    token = invitation_rules.new_token()
    code = invitation_rules.new_access_code() if with_code else None
    invitation = Invitation(token_hash=invitation_rules.token_hash(token), timepoint=timepoint,
                            created_by=staff_id, created_at=now, expires_at=invitation_rules.expiry(now, days),
                            code_failures=0,
                            access_code_hash=HASHER.hash(code) if code else None, **Invitation.owned_by(record))
    session.add(invitation)
    session.flush()
    audit.record(session, actor, "invitation.create", f"{record.store}:{record.study_id}",
                 {"invitation": invitation.id, "timepoint": timepoint, "access_code": code is not None})
    return NewLink(invitation, token, code)


def record_share(session: Session, invitation: Invitation, channel: str, staff_id: int | None,
                 now: datetime | None = None) -> None:
    if channel not in invitation_rules.CHANNELS:
        raise ValueError(f"Channel must be one of {', '.join(invitation_rules.CHANNELS)}.")
    session.add(InvitationShare(invitation_id=invitation.id, channel=channel, shared_by=staff_id,
                                shared_at=now or clock.now()))


def find_usable(session: Session, token: str, now: datetime | None = None) -> Invitation | None:
    """The invitation behind a token, if it can still be used; None for every other case alike."""
    hashed = invitation_rules.token_hash(token)
    invitation = session.scalars(select(Invitation).where(Invitation.token_hash == hashed)).first()
    if invitation is None:
        return None
    return invitation if is_usable(invitation, now) else None


def is_usable(invitation: Invitation, now: datetime | None = None) -> bool:
    """Not expired, revoked, finished or paused."""
    state = invitation_rules.LinkState(as_utc(invitation.expires_at), invitation.revoked_at, invitation.completed_at,
                                       invitation.paused_at)
    return invitation_rules.usable(state, now or clock.now())


def usable_of_record(session: Session, record: Record, invitation_id: int) -> Invitation | None:
    """One of this person's links, by id, if it can still be used."""
    return next((i for i in of_record(session, record) if i.id == invitation_id and is_usable(i)), None)


def _link_owner_and_visit():
    """Every participant page asks for its link and for the asking browser's progress, so the link,
    its one owner and that progress are read in one statement, built once (the owner column of the
    other store is empty, and a browser without a visit key has none: those joins find nothing).
    The encrypted columns are left unread: no participant page shows or needs them, and they would
    be loaded if anything asked."""
    statement = (select(Invitation, *MODELS.values(), ParticipantVisit.progress, ParticipantVisit.changed_at)
                 .select_from(Invitation).where(Invitation.token_hash == bindparam("token_hash")))
    for store, model in MODELS.items():
        statement = statement.outerjoin(model, Invitation.owner_column(store) == model.id)
    statement = statement.outerjoin(ParticipantVisit, ParticipantVisit.key_hash == bindparam("visit_hash"))
    sealed = ("wrapped_key", "name", "phone", "closure_reason")
    return statement.options(*(defer(getattr(model, column)) for model in MODELS.values() for column in sealed))


_LINK_OWNER_AND_VISIT = _link_owner_and_visit()


def open_link(session: Session, token: str, visit_key: str | None = None,
              now: datetime | None = None) -> LinkVisit | None:
    """The link behind a token and its person, if it can still be used, with the progress kept
    under `visit_key` (the browser's cookie); None for every other case alike."""
    found = session.execute(_LINK_OWNER_AND_VISIT, {"token_hash": invitation_rules.token_hash(token),
                                              "visit_hash": participant_visits.hashed(visit_key)}).first()
    if found is None or not is_usable(found[0], now):
        return None
    invitation, *owners, progress, changed_at = found
    return LinkVisit(invitation, next(owner for owner in owners if owner is not None),
                     participant_visits.kept(progress, changed_at, now))


def check_code(session: Session, invitation: Invitation, code: str, now: datetime | None = None) -> str:
    """CODE_OK, CODE_WRONG or CODE_PAUSED (after too many wrong codes, for a while). Each try is
    counted as wrong before its code is checked, by one conditional UPDATE, so concurrent tries each
    need their own place in the count and no more are checked than the limit; a right code clears it."""
    now = now or clock.now()
    turn = _take_turn(session, invitation.id, now)
    if turn is None:
        return CODE_PAUSED
    try:
        HASHER.verify(invitation.access_code_hash, "".join(code.split()))
    except VerificationError:
        with transaction(session):
            audit.record(session, audit.SYSTEM, "invitation.code_wrong", f"invitation:{invitation.id}",
                         {"paused": turn.paused_until is not None})
        return CODE_PAUSED if turn.paused_until else CODE_WRONG
    with transaction(session):
        session.execute(update(Invitation).where(Invitation.id == invitation.id)
                        .values(code_failures=0, code_paused_until=None).execution_options(synchronize_session=False))
    return CODE_OK


def _take_turn(session: Session, invitation_id: int, now: datetime) -> invitation_rules.CodeCheck | None:
    """The count as it will be if this try is wrong, once it is saved; None while the link is paused
    (or while other tries keep taking the places, which only many at once can do)."""
    for _ in range(TURN_RETRIES):
        with transaction(session):
            failures, paused_until = session.execute(
                select(Invitation.code_failures, Invitation.code_paused_until).where(Invitation.id == invitation_id)).one()
            check = invitation_rules.CodeCheck(failures or 0, as_utc(paused_until))
            if invitation_rules.code_paused(check, now):
                return None
            after = invitation_rules.after_wrong_code(check, now)
            same_pause = (Invitation.code_paused_until.is_(None) if paused_until is None
                          else Invitation.code_paused_until == paused_until)
            taken = session.execute(
                update(Invitation).where(Invitation.id == invitation_id, Invitation.code_failures == failures, same_pause)
                .values(code_failures=after.failures, code_paused_until=after.paused_until)
                .execution_options(synchronize_session=False)).rowcount
        if taken == 1:
            return after
    return None


def reissue(session: Session, invitation: Invitation, actor: Actor) -> str:
    """A fresh token for the same link, for a reminder: the token is never kept, so it cannot be
    sent again. The earlier link stops working; the access code stays the same."""
    token = invitation_rules.new_token()
    invitation.token_hash = invitation_rules.token_hash(token)
    audit.record(session, actor, "invitation.reissue", f"invitation:{invitation.id}")
    return token


def quick_exit(session: Session, invitation_id: int, now: datetime | None = None) -> None:
    """Someone left this link by the quick exit. A link without an access code pauses (see
    domain.invitations.pauses_on_exit); for a link with one, every code entered before now stops
    holding, in this browser and in any copy of its session."""
    with transaction(session):
        invitation = session.get(Invitation, invitation_id)
        if invitation is None or not is_usable(invitation, now):
            return
        invitation.exited_at = now or clock.now()
        if invitation_rules.pauses_on_exit(invitation.access_code_hash is not None):
            invitation.paused_at = now or clock.now()
            audit.record(session, audit.SYSTEM, "invitation.pause", f"invitation:{invitation.id}")


def reopen(session: Session, invitation: Invitation, actor: Actor) -> None:
    """A practitioner lets a paused link open again; the answers given before stay saved."""
    invitation.paused_at = None
    audit.record(session, actor, "invitation.reopen", f"invitation:{invitation.id}")


def revoke(session: Session, invitation: Invitation, actor: Actor, now: datetime | None = None) -> None:
    invitation.revoked_at = now or clock.now()
    audit.record(session, actor, "invitation.revoke", f"invitation:{invitation.id}")


def of_record(session: Session, record: Record) -> list[Invitation]:
    return list(session.scalars(select(Invitation).where(Invitation.owner_column(record.store) == record.id).order_by(Invitation.created_at.desc())))


def record_of(session: Session, invitation: Invitation) -> Record:
    """The one person a link belongs to."""
    return session.get(MODELS[invitation.store], invitation.owner_id)
