"""What practitioners' pages show: the caseload and a person's record, each from one call.

Reading names and contact details is audited, so each page is one use case with its own
transaction: the page is shown only if its audit entry is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from survey_app.domain import windows
from survey_app.domain.access import store_for
from survey_app.domain.catalogue import Catalogue
from survey_app.domain.consent_documents import ConsentLibrary
from survey_app.domain.pathway import STAGES, stage
from survey_app.domain.sms import SafeContact
from survey_app.services import consent, due, instruments, invitations, questionnaires, records, sms
from survey_app.services.audit import Actor
from survey_app.services.unit_of_work import transaction
from survey_app.store.invitations import Invitation
from survey_app.store.records import Record
from survey_app.store.sms import SmsMessage
from survey_app.store.staff import Site


@dataclass(frozen=True)
class CaseloadRow:
    record: Record
    name: str | None  # None once contact details are destroyed
    stage: str  # the stage's words (domain/pathway.py STAGES)
    due: list[due.Due]


@dataclass(frozen=True)
class CaseloadPage:
    store: str | None
    rows: list[CaseloadRow]
    everyone: int  # how many people the caseload holds before any filter


def caseload_page(session: Session, staff, config: dict, today: date, need: str | None = None,
                  by_need: bool = False) -> CaseloadPage:
    """The records this person works with, newest referral first or what needs doing first; only
    those with a timepoint in `need` (windows.NEEDS) when given. Names only for the people
    shown (one audit entry for all). A fixed number of queries, however many people."""
    with transaction(session):
        everyone = records.visible_records(session, staff)
        due_by_record = due.due_by_record(session, everyone, today, config["SURVEY_T1_WORKING_DAYS"])
        shown = [r for r in everyone if need is None or
                 any(item.status in windows.NEEDS[need] for item in due_by_record[r.id])]
        if by_need:  # stable: newest referral first among equals
            shown.sort(key=lambda r: windows.most_urgent([item.status for item in due_by_record[r.id]]))
        names = records.caseload_names(session, records.keyrings(config), shown, Actor.staff(staff))
        rows = [CaseloadRow(r, names[r.id], _stage_name(r), due_by_record[r.id]) for r in shown]
    return CaseloadPage(store_for(staff.role), rows, len(everyone))


@dataclass(frozen=True)
class RecordPage:
    record: Record
    contact: dict[str, str | None]
    site: Site
    stage: str
    links: list[Invitation]
    consent: consent.Standing
    scores: list[questionnaires.InstrumentScores]
    answers: list[questionnaires.SentAnswers]
    due: list[due.Due]
    safe_contact: SafeContact | None
    texts: list[SmsMessage]
    unavailable: tuple[instruments.Unavailable, ...]  # measures the study expects but cannot ask yet, and why


def record_page(session: Session, staff, store: str, study_id: str, config: dict, library: ConsentLibrary,
                catalogue: Catalogue, confirmation_required: bool, today: date) -> RecordPage | None:
    """Everything the record page shows; None when this person may not open the record (for every reason alike)."""
    with transaction(session):
        found = records.find(session, staff, store, study_id)
        if found is None:
            return None
        keyring = records.keyrings(config)[store]
        return RecordPage(
            record=found, contact=records.contact_details(session, keyring, found, Actor.staff(staff)),
            site=session.get(Site, found.site_id), stage=_stage_name(found),
            links=invitations.of_record(session, found), consent=consent.standing(session, found, library),
            scores=questionnaires.scores_for(session, found, catalogue),
            answers=questionnaires.answers_for(session, found, catalogue),
            due=due.due_for(session, found, today, config["SURVEY_T1_WORKING_DAYS"]),
            safe_contact=sms.safe_contact(session, keyring, found), texts=sms.messages_for(session, found),
            unavailable=instruments.left_out(session, catalogue, store, confirmation_required))


def _stage_name(record: Record) -> str:
    return STAGES[stage(records.pathway_of(record))]
