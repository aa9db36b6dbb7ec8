"""Recording consent decisions (online or verbal), counting them anonymously, and withdrawal."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain import consent as rules
from survey_app.domain.times import as_utc
from survey_app.domain.consent_documents import ConsentLibrary
from survey_app.services import audit, invitations, questionnaires, records
from survey_app.services.audit import Actor
from survey_app.store.answers import Administration
from survey_app.store.consent import ConsentEventRow, ConsentTally
from survey_app.store.records import Record, ServiceUser, VictimSurvivor

MODES = ("online", "verbal")


class InterpreterConflict(ValueError):
    """The interpreter already worked with the other side of this case."""


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


def record_decision(session: Session, record: Record, decision: Decision, actor: Actor,
                    now: datetime | None = None) -> ConsentEventRow:
    """Write one immutable event, add to the anonymous tallies, and audit it (without the reason)."""
    if decision.kind not in (rules.GIVEN, rules.DECLINED, rules.NOT_NOW):
        raise ValueError("A decision is given, declined or not now.")
    if decision.mode not in MODES:
        raise ValueError("Consent is given online or verbally.")
    if decision.reason and decision.reason not in rules.DECLINE_REASONS:
        raise ValueError("Unknown reason.")
    if decision.interpreter:
        check_interpreter(session, record, decision.interpreter)
    now = now or clock.now()
    answers = {s: bool((decision.answers or {}).get(s, False)) for s in rules.STATEMENTS} \
        if decision.kind == rules.GIVEN else {}
    row = ConsentEventRow(store=record.store, record_id=record.id, kind=decision.kind,
                          document_version=decision.version, language=decision.language,
                          answers=json.dumps(answers, sort_keys=True), mode=decision.mode,
                          recorded_by=decision.recorded_by, interpreter=decision.interpreter,
                          ask_again_on=decision.ask_again_on.isoformat() if decision.ask_again_on else None, at=now)
    session.add(row)
    month = now.strftime("%Y-%m")
    _count(session, record.site_id, record.store, month, "asked", "")
    _count(session, record.site_id, record.store, month, decision.kind, decision.reason)
    audit.record(session, actor, f"consent.{decision.kind}", f"{record.store}:{record.study_id}",
                 {"version": decision.version, "mode": decision.mode, "language": decision.language})
    return row


def _count(session: Session, site_id: int, cohort: str, month: str, outcome: str, reason: str) -> None:
    key = dict(site_id=site_id, cohort=cohort, month=month, outcome=outcome, reason=reason)
    bumped = session.execute(update(ConsentTally).filter_by(**key).values(count=ConsentTally.count + 1)
                             .execution_options(synchronize_session=False)).rowcount
    if not bumped:
        session.add(ConsentTally(count=1, **key))
        session.flush()


def events(session: Session, record: Record) -> list[rules.ConsentEvent]:
    rows = session.scalars(select(ConsentEventRow).where(ConsentEventRow.store == record.store,
                                                         ConsentEventRow.record_id == record.id))
    return [rules.ConsentEvent(r.kind, as_utc(r.at), r.document_version, tuple(json.loads(r.answers).items()), r.mode,
                               date.fromisoformat(r.ask_again_on) if r.ask_again_on else None) for r in rows]


def withdraw(session: Session, record: Record, actor: Actor, delete: bool, mode: str,
             recorded_by: int | None = None, now: datetime | None = None) -> None:
    """Stop further use: no more questionnaires, and every open link stops working. With `delete`,
    the person's answers are removed and their contact details destroyed. The audit entry
    holds no deleted content."""
    now = now or clock.now()
    session.add(ConsentEventRow(store=record.store, record_id=record.id, kind=rules.WITHDRAWN, document_version="",
                                language="", answers="{}", mode=mode, recorded_by=recorded_by, at=now))
    _count(session, record.site_id, record.store, now.strftime("%Y-%m"), rules.WITHDRAWN, "")
    audit.record(session, actor, "consent.withdrawn", f"{record.store}:{record.study_id}", {"delete": delete})
    for invitation in invitations.of_record(session, record):
        if invitation.revoked_at is None and invitation.completed_at is None:
            invitations.revoke(session, invitation, actor, now)
    if delete:
        questionnaires.delete_answers(session, record)
        records.destroy_contact_details(session, record, actor)


@dataclass(frozen=True)
class Standing:
    """Where a person's consent stands now, for the pages that must act on it."""

    gate: rules.Gate
    answers: dict[str, bool] | None  # the answers in force, if any
    version: str
    latest: rules.ConsentEvent | None

    @property
    def withdrawn(self) -> bool:
        return self.latest is not None and self.latest.kind == rules.WITHDRAWN


def standing(session: Session, record: Record, library: ConsentLibrary) -> Standing:
    found = events(session, record)
    answers, version = rules.current_answers(found)
    gate = rules.gate(found, library.study.consent, library.material_versions(record.store),
                      library.version_order(record.store))
    return Standing(gate, answers, version, rules.latest(found))


def check_interpreter(session: Session, record: Record, interpreter: str) -> None:
    """An interpreter who worked with one side of a case (on consent or on a questionnaire) may
    never work with the other side."""
    other_side = _other_side(session, record)
    if not other_side:
        return
    store = other_side[0].store
    ids = [r.id for r in other_side]
    clash = session.scalars(select(ConsentEventRow.id).where(
        ConsentEventRow.store == store, ConsentEventRow.record_id.in_(ids),
        ConsentEventRow.interpreter == interpreter).limit(1)).first()
    clash = clash or session.scalars(select(Administration.id).where(
        Administration.owner_column(store).in_(ids), Administration.interpreter == interpreter).limit(1)).first()
    if clash is not None:
        raise InterpreterConflict("This interpreter has already worked with the other person in this case. "
                                  "For everyone's safety, book a different interpreter.")


def _other_side(session: Session, record: Record) -> list[Record]:
    if isinstance(record, VictimSurvivor):
        if not record.linked_service_user:
            return []
        return list(session.scalars(select(ServiceUser).where(ServiceUser.study_id == record.linked_service_user)))
    return list(session.scalars(select(VictimSurvivor).where(VictimSurvivor.linked_service_user == record.study_id)))
