"""Service-user and victim-survivor records: creating them, reading contact details (audited),
moving along the pathway, destroying contact details, and rotating master keys."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain import pathway as pathway_rules
from survey_app.domain.access import may_open, store_for
from survey_app.domain.contact import normalise_phone
from survey_app.domain.study_ids import InvalidStudyId, new_study_id, normalise
from survey_app.services import audit, submissions
from survey_app.services.audit import Actor
from survey_app.services.unit_of_work import transaction
from survey_app.store.crypto import Keyring, PersonCipher
from survey_app.store.records import MODELS, Record, VictimSurvivor


def keyrings(config: dict) -> dict[str, Keyring]:
    return {store: Keyring(keys) for store, keys in config["SURVEY_KEYS"].items()}


@dataclass(frozen=True)
class Referral:
    site_id: int
    name: str
    phone: str | None
    referral_date: date
    referral_source: str
    linked_service_user: str | None = None  # victim-survivor records only


def create(session: Session, keyring: Keyring, store: str, referral: Referral, actor: Actor,
           demo: bool = False) -> Record:
    """A new record with its own data key; contact details encrypted before they reach the database."""
    cipher, data_key = PersonCipher.new()
    model = MODELS[store]
    fields = dict(site_id=referral.site_id, wrapped_key=keyring.wrap(data_key), name=cipher.encrypt(referral.name),
                  phone=cipher.encrypt(normalise_phone(referral.phone, demo=demo) if referral.phone else None),
                  created_at=clock.now(), referral_date=referral.referral_date,
                  referral_source=referral.referral_source)
    if model is VictimSurvivor:
        fields["linked_service_user"] = referral.linked_service_user
    elif referral.linked_service_user:
        raise ValueError("Only a victim-survivor record holds a link to a service user's case.")
    for _ in range(5):  # a clash of random ids is very unlikely; try another if it happens
        record = model(study_id=new_study_id(), **fields)
        try:
            with session.begin_nested():
                session.add(record)
        except IntegrityError:
            continue
        audit.record(session, actor, "record.create", f"{store}:{record.study_id}", {"site": referral.site_id})
        return record
    raise RuntimeError("Could not find a free study id.")


def add_referral(session: Session, keyring: Keyring, store: str, referral: Referral, actor: Actor,
                 demo: bool = False, once: str | None = None) -> Record:
    """A practitioner's new referral: the record, kept with its audit entry (raises InvalidPhone, changing nothing).
    The same form sent again (`once`, its token) makes no second record: it gives back the first."""
    with transaction(session):
        if not submissions.claim(session, once):
            earlier = _made_by(session, store, submissions.earlier_result(session, once))
            if earlier is not None:
                return earlier
        record = create(session, keyring, store, referral, actor, demo)
        submissions.remember_result(session, once, f"{store}:{record.id}")
        return record


def _made_by(session: Session, store: str, result: str | None) -> Record | None:
    made_in, _, record_id = (result or "").partition(":")
    return session.get(MODELS[store], int(record_id)) if made_in == store and record_id.isdigit() else None


def contact_details(session: Session, keyring: Keyring, record: Record, actor: Actor) -> dict[str, str | None]:
    """Decrypt a person's contact details; every reading is audited."""
    audit.record(session, actor, "record.view_contact", f"{record.store}:{record.study_id}")
    if record.wrapped_key is None:
        return {"name": None, "phone": None}
    cipher = cipher_for(keyring, record)
    return {"name": cipher.decrypt(record.name), "phone": cipher.decrypt(record.phone)}


def cipher_for(keyring: Keyring, record: Record) -> PersonCipher:
    return PersonCipher(keyring.unwrap(record.wrapped_key))


def caseload_names(session: Session, rings: dict[str, Keyring], shown: list[Record], actor: Actor) -> dict[int, str | None]:
    """Names for a caseload page, by record id; one audit entry lists every record shown."""
    audit.record(session, actor, "caseload.view_names", "caseload", {"records": [r.study_id for r in shown]})
    return {r.id: cipher_for(rings[r.store], r).decrypt(r.name) if r.wrapped_key is not None else None for r in shown}


def destroy_contact_details(session: Session, record: Record, actor: Actor) -> None:
    """Forget the person's data key: their contact details and closure reason can never be read
    again, in any copy."""
    record.wrapped_key = None
    for field in Record.ENCRYPTED:
        setattr(record, field, None)
    audit.record(session, actor, "record.destroy_contact", f"{record.store}:{record.study_id}")


def visible_records(session: Session, staff) -> list[Record]:
    """The caseload: records in the one store this person works in, at their sites."""
    store = store_for(staff.role)
    if store is None or not staff.site_ids:
        return []
    model = MODELS[store]
    return list(session.scalars(select(model).where(model.site_id.in_(staff.site_ids))
                                .order_by(model.referral_date.desc(), model.id.desc())))


def find(session: Session, staff, store: str, study_id: str) -> Record | None:
    """The record if this person may open it; None for every refusal, so nothing is revealed."""
    try:
        study_id = normalise(study_id)
    except InvalidStudyId:
        return None
    if store_for(staff.role) != store:
        return None
    record = session.scalars(select(MODELS[store]).where(MODELS[store].study_id == study_id)).first()
    if record is None or not may_open(staff.role, staff.site_ids, store, record.site_id):
        return None
    return record


def pathway_of(record: Record, closure_reason: str | None = None) -> pathway_rules.Pathway:
    """The record's pathway; the closure reason is encrypted, so a caller that needs it passes it
    in, decrypted (`closure_reason`)."""
    return pathway_rules.Pathway(record.referral_date, record.eligibility, record.eligibility_date,
                                 record.first_session_date, record.closure_date, record.closure_outcome,
                                 closure_reason)


def closure_reason(keyring: Keyring, record: Record) -> str | None:
    """The free-text reason the case closed, decrypted (None once the person's key is destroyed)."""
    if record.wrapped_key is None or record.closure_reason is None:
        return None
    return cipher_for(keyring, record).decrypt(record.closure_reason)


def set_closure_reason(keyring: Keyring, record: Record, reason: str | None) -> None:
    """Encrypt the reason with the person's own key; nothing is kept once that key is destroyed."""
    record.closure_reason = cipher_for(keyring, record).encrypt(reason) \
        if reason is not None and record.wrapped_key is not None else None


def update_pathway(session: Session, keyring: Keyring, record: Record, changes: dict, actor: Actor,
                   today: date) -> dict[str, str]:
    """Apply pathway changes if they make sense; otherwise change nothing and say what is wrong."""
    current = closure_reason(keyring, record)
    proposed = replace(pathway_of(record, current), **changes)
    found = pathway_rules.problems(proposed, today)
    if found:
        return found
    with transaction(session):
        before = {**{k: getattr(record, k) for k in changes if k != "closure_reason"}, "closure_reason": current}
        changed = sorted(k for k, v in changes.items() if before[k] != v)
        for key in changed:
            if key == "closure_reason":
                set_closure_reason(keyring, record, changes[key])
            else:
                setattr(record, key, changes[key])
        if changed:
            audit.record(session, actor, "record.update", f"{record.store}:{record.study_id}", {"fields": changed})
    return {}


def rotate_keys(session: Session, rings: dict[str, Keyring]) -> dict[str, int]:
    """Re-wrap every data key not yet under its store's newest master key. Safe to run while the
    app serves: reads work with old and new keys alike. Returns how many were re-wrapped."""
    counts = {}
    for store, model in MODELS.items():
        with transaction(session):  # one store at a time: a failure keeps the stores already done
            ring, done = rings[store], 0
            for record in session.scalars(select(model).where(model.wrapped_key.is_not(None))).all():
                if not ring.is_current(record.wrapped_key):
                    record.wrapped_key = ring.rewrap(record.wrapped_key)
                    done += 1
            counts[store] = done
            audit.record(session, audit.COMMAND_LINE, "keys.rotate", store, {"rewrapped": done})
    return counts
