"""Recording consent decisions (online or verbal), counting them anonymously, and withdrawal."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain.consent import (DECLINE_REASONS, DECLINED, GIVEN, NOT_NOW, STATEMENTS, WITHDRAWN, ConsentEvent,
                                       Gate, ask_again_on, current_answers, gate, latest)
from survey_app.domain.consent_documents import ConsentDocument, ConsentLibrary
from survey_app.domain.times import as_utc
from survey_app.domain.translations import ORIGINAL
from survey_app.services import audit, invitations, participant_visits, questionnaires, records, submissions
from survey_app.services.audit import Actor
from survey_app.services.interpreters import InterpreterConflict, check_interpreter, normalised  # noqa: F401
from survey_app.services.unit_of_work import transaction
from survey_app.store.consent import ConsentEventRow, ConsentTally
from survey_app.store.db import insert_for, push_deletions_to_disk, rows
from survey_app.store.records import Record

CONSENT_MODES = ("online", "verbal")
ONLINE, VERBAL = CONSENT_MODES


@dataclass(frozen=True)
class Decision:
    kind: str  # given | declined | not_now
    version: str
    language: str
    mode: str
    answers: dict[str, bool] | None = None  # given only: every statement
    reason: str = ""  # declined / not_now: optional, anonymous
    ask_again_on: date | None = None  # not_now
    interpreter: str | None = None
    recorded_by: int | None = None  # the practitioner, for verbal consent
    revision: int = 0  # of a translated document; 0 for the English one
    status: str = ORIGINAL  # a translated document's status when it was read

    @classmethod
    def about(cls, document: ConsentDocument, kind: str, mode: str, **details) -> "Decision":
        """A decision about this document: its version, language, revision and status recorded."""
        return cls(kind, document.version, document.language, mode, revision=document.revision,
                   status=document.status, **details)


# --- use cases: each saves everything it changes, or nothing -----------------------------------

# `now` is for the demo, which records decisions made months ago; the pages leave it to the clock.

def give_consent_online(session: Session, record: Record, document: ConsentDocument, choices: dict[str, bool],
                        actor: Actor, now: datetime | None = None, once: str | None = None) -> None:
    """The person confirmed their choices on the check page: one event for all of them. `once` is the
    form's token: the same form sent again records nothing more (services/submissions.py)."""
    with transaction(session):
        if not submissions.claim(session, once):
            return
        record_decision(session, record, Decision.about(document, GIVEN, ONLINE, answers=choices), actor, now)


def decline_online(session: Session, record: Record, document: ConsentDocument, kind: str, reason: str,
                   ask_again_days: int, actor: Actor, now: datetime | None = None, once: str | None = None) -> None:
    """Not now (asked again after the study's wait) or no, with an optional anonymous reason."""
    now = now or clock.now()
    with transaction(session):
        if not submissions.claim(session, once):
            return
        when = ask_again_on(_day_in_england(now), ask_again_days) if kind == NOT_NOW else None
        record_decision(session, record, Decision.about(document, kind, ONLINE, reason=reason or "",
                                                       ask_again_on=when), actor, now)


def record_verbal_decision(session: Session, record: Record, document: ConsentDocument, kind: str,
                           staff_id: int, actor: Actor, *, answers: dict[str, bool] | None = None,
                           reason: str = "", ask_again: date | None = None, ask_again_days: int = 0,
                           interpreter: str | None = None, now: datetime | None = None,
                           once: str | None = None) -> None:
    """A decision given on a call and recorded by the practitioner. For not now, the date they
    agreed with the person wins over the study's usual wait. Raises InterpreterConflict."""
    now = now or clock.now()
    with transaction(session):
        if not submissions.claim(session, once):
            return
        decision = Decision.about(document, kind, VERBAL,
                                  answers=answers if kind == GIVEN else None,
                                  reason=(reason or "") if kind != GIVEN else "",
                                  ask_again_on=ask_again_on(_day_in_england(now), ask_again_days, ask_again)
                                  if kind == NOT_NOW else None,
                                  interpreter=normalised(interpreter), recorded_by=staff_id)
        record_decision(session, record, decision, actor, now)


def _day_in_england(moment: datetime) -> date:
    """The day it was in England at `moment` (clock.today() for now)."""
    return moment.astimezone(clock.LONDON).date()


def withdraw(session: Session, record: Record, actor: Actor, delete: bool, mode: str,
             recorded_by: int | None = None, now: datetime | None = None, once: str | None = None) -> None:
    """Stop further use: no more questionnaires, and every open link stops working. With `delete`,
    the person's answers are removed and their contact details destroyed, down to the database
    file itself. The audit entry holds no deleted content. The same form sent again does nothing."""
    with transaction(session):
        if not submissions.claim(session, once):
            return
        now = now or clock.now()
        session.add(ConsentEventRow(store=record.store, record_id=record.id, kind=WITHDRAWN, document_version="",
                                    language="", answers="{}", mode=mode, recorded_by=recorded_by, at=now))
        _count(session, record.site_id, record.store, now.strftime("%Y-%m"), WITHDRAWN, "")
        audit.record(session, actor, "consent.withdrawn", f"{record.store}:{record.study_id}", {"delete": delete})
        stop_links(session, record, actor, now)
        if delete:
            erase(session, record, actor, now)
    if delete:
        push_deletions_to_disk(session)  # only once committed: the deleted values leave the file too


# --- helpers: they take the caller's session and never commit ----------------------------------

def stop_links(session: Session, record: Record, actor: Actor, now: datetime) -> None:
    """Every link of this person that could still be used stops working."""
    for invitation in invitations.of_record(session, record):
        if invitation.revoked_at is None and invitation.completed_at is None:
            invitations.revoke(session, invitation, actor, now)


def erase(session: Session, record: Record, actor: Actor, now: datetime) -> None:
    """What deletion means, in one place (a withdrawal with deletion, and the retention purge): no
    link works, every answer and score is removed, and the person's key is destroyed with their
    contact details and closure reason. The caller commits, then calls push_deletions_to_disk."""
    stop_links(session, record, actor, now)
    participant_visits.forget_person(session, record)
    questionnaires.delete_answers(session, record)
    records.destroy_contact_details(session, record, actor)

def record_decision(session: Session, record: Record, decision: Decision, actor: Actor,
                    now: datetime | None = None) -> ConsentEventRow:
    """Write one immutable event, add to the anonymous tallies, and audit it (without the reason)."""
    if decision.kind not in (GIVEN, DECLINED, NOT_NOW):
        raise ValueError("A decision is given, declined or not now.")
    if decision.mode not in CONSENT_MODES:
        raise ValueError("Consent is given online or verbally.")
    if decision.reason and decision.reason not in DECLINE_REASONS:
        raise ValueError("Unknown reason.")
    if decision.interpreter:
        check_interpreter(session, record, decision.interpreter)
    now = now or clock.now()
    answers = {s: bool((decision.answers or {}).get(s, False)) for s in STATEMENTS} \
        if decision.kind == GIVEN else {}
    row = ConsentEventRow(store=record.store, record_id=record.id, kind=decision.kind,
                          document_version=decision.version, language=decision.language,
                          document_revision=decision.revision, translation_status=decision.status,
                          answers=json.dumps(answers, sort_keys=True), mode=decision.mode,
                          recorded_by=decision.recorded_by, interpreter=decision.interpreter,
                          ask_again_on=decision.ask_again_on.isoformat() if decision.ask_again_on else None, at=now)
    session.add(row)
    month = now.strftime("%Y-%m")
    _count(session, record.site_id, record.store, month, "asked", "")
    _count(session, record.site_id, record.store, month, decision.kind, decision.reason)
    audit.record(session, actor, f"consent.{decision.kind}", f"{record.store}:{record.study_id}",
                 {"version": decision.version, "mode": decision.mode, "language": decision.language,
                  **({"revision": decision.revision, "status": decision.status} if decision.revision else {})})
    return row


def _count(session: Session, site_id: int, cohort: str, month: str, outcome: str, reason: str) -> None:
    """Add one to a tally in one statement (INSERT … ON CONFLICT DO UPDATE), so decisions arriving
    together at a site with no tally yet are each counted once, on both engines."""
    key = dict(site_id=site_id, cohort=cohort, month=month, outcome=outcome, reason=reason)
    statement = insert_for(session, ConsentTally).values(count=1, **key).on_conflict_do_update(
        index_elements=[ConsentTally.site_id, ConsentTally.cohort, ConsentTally.month, ConsentTally.outcome,
                        ConsentTally.reason],
        set_={"count": ConsentTally.count + 1})
    session.execute(statement)


_EVENTS = (select(ConsentEventRow.kind, ConsentEventRow.at, ConsentEventRow.document_version, ConsentEventRow.answers,
                  ConsentEventRow.mode, ConsentEventRow.ask_again_on)
           .where(ConsentEventRow.store == bindparam("store"), ConsentEventRow.record_id == bindparam("record_id"))
           .order_by(ConsentEventRow.id))


def events(session: Session, record: Record) -> list[ConsentEvent]:
    """This person's consent events, oldest first. Every participant page asks: only the columns an
    event needs are read, as plain rows, by a statement built once."""
    return [event_from_row(r) for r in rows(session, _EVENTS, store=record.store, record_id=record.id)]


def event_from_row(row: ConsentEventRow) -> ConsentEvent:
    return ConsentEvent(row.kind, as_utc(row.at), row.document_version, tuple(json.loads(row.answers).items()),
                        row.mode, date.fromisoformat(row.ask_again_on) if row.ask_again_on else None)


@dataclass(frozen=True)
class Standing:
    """Where a person's consent stands now, for the pages that must act on it."""

    gate: Gate
    answers: dict[str, bool] | None  # the answers in force, if any
    version: str
    latest: ConsentEvent | None

    @property
    def withdrawn(self) -> bool:
        return self.latest is not None and self.latest.kind == WITHDRAWN

    @property
    def last_said_not_now_or_no(self) -> bool:
        """The latest word was not now or no: the person is shown what that means first."""
        return self.latest is not None and self.latest.kind in (NOT_NOW, DECLINED)


def standing(session: Session, record: Record, library: ConsentLibrary) -> Standing:
    found = events(session, record)
    answers, version = current_answers(found)
    in_force = gate(found, library.study.consent, library.material_versions(record.store),
                    library.version_order(record.store))
    return Standing(in_force, answers, version, latest(found))
