"""Consent events, anonymous tallies, the interpreter rule and withdrawal."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from survey_app import clock
from survey_app.config import consent_dir
from survey_app.domain.consent import INTERPRETER_CONFLICT, STATEMENTS, StudyConsent, gate
from survey_app.domain.consent_documents import load_library, publish
from survey_app.services import consent, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.audit import AuditEntry
from survey_app.store.consent import ConsentEventRow, ConsentTally
from tests.factories import create_record, create_site, create_staff
from tests.helpers import as_yaml, consent_translation, raw_bytes

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
YES = {"questionnaires": True, "share_answers": True}


def consent_library():
    return load_library(consent_dir())


@pytest.fixture
def pair(app, session):
    """A service user and the victim-survivor linked to their case."""
    site = create_site(session)
    rings = records.keyrings(app.config)
    su = create_record(session, rings["service_user"], "service_user", site, name="Ambrose Quillby")
    vs = create_record(session, rings["victim_survivor"], "victim_survivor", site, name="Perdita Lovelock",
                       linked_service_user=su.study_id)
    session.commit()
    return su, vs


def test_online_and_verbal_consent_make_the_same_immutable_record(session, pair):
    su, _ = pair
    worker = create_staff(session, "case_manager")
    consent.record_decision(session, su, consent.Decision("given", "1.0", "en", "online", YES), COMMAND_LINE, NOW)
    consent.record_decision(session, su, consent.Decision("given", "1.0", "ur", "verbal", YES, interpreter="INT-7",
                                                          recorded_by=worker.id), COMMAND_LINE, NOW)
    session.commit()
    online, verbal = session.scalars(select(ConsentEventRow).order_by(ConsentEventRow.id)).all()
    assert (online.mode, online.recorded_by, verbal.mode, verbal.recorded_by) == ("online", None, "verbal", worker.id)
    assert json.loads(online.answers) == {s: s in YES for s in STATEMENTS}
    assert gate(consent.events(session, su), StudyConsent(frozenset({"questionnaires"})), set(), ["1.0"]).may_answer


def test_an_event_not_yet_flushed_is_read_with_the_rest(session, pair):
    """The hot reads run statements built once on the session's connection: they must still see
    what the session holds but has not sent, as a query through the session would."""
    su, _ = pair
    session.add(ConsentEventRow(store=su.store, record_id=su.id, kind="withdrawn", document_version="1.0",
                                language="en", answers="{}", mode="online", at=NOW))
    assert [event.kind for event in consent.events(session, su)] == ["withdrawn"]


def test_consent_to_a_translation_records_its_revision_and_status(session, pair, tmp_path):
    root = tmp_path / "consent"
    shutil.copytree(consent_dir(), root)
    english = root / "service_user" / "1.0" / "en.yaml"
    (english.parent / "ur.yaml").write_bytes(as_yaml(consent_translation(english, revision=2)))
    publish(english.parent / "ur.yaml", root)
    su, _ = pair
    library = load_library(root)
    consent.give_consent_online(session, su, library.current("service_user", "ur"), YES, COMMAND_LINE, NOW)
    consent.give_consent_online(session, su, library.current("service_user", "en"), YES, COMMAND_LINE, NOW)
    rows = session.scalars(select(ConsentEventRow).order_by(ConsentEventRow.id)).all()
    assert [(r.language, r.document_revision, r.translation_status) for r in rows] == [
        ("ur", 2, "unvalidated"), ("en", 0, "original")]


def test_decline_and_not_now_are_counted_with_reasons_but_no_person(session, pair):
    su, vs = pair
    consent.record_decision(session, su, consent.Decision("declined", "1.0", "en", "online",
                                                           reason="worried_who_sees"), COMMAND_LINE, NOW)
    consent.record_decision(session, vs, consent.Decision("not_now", "1.0", "en", "online", reason="too_much_to_do",
                                                          ask_again_on=date(2026, 12, 7)), COMMAND_LINE, NOW)
    session.commit()
    tallies = {(t.cohort, t.outcome, t.reason): t.count for t in session.scalars(select(ConsentTally))}
    assert tallies == {("service_user", "asked", ""): 1, ("service_user", "declined", "worried_who_sees"): 1,
                       ("victim_survivor", "asked", ""): 1, ("victim_survivor", "not_now", "too_much_to_do"): 1}
    assert not {c.name for c in ConsentTally.__table__.columns} & {"record_id", "study_id", "person_id"}
    audit_text = " ".join(e.detail for e in session.scalars(select(AuditEntry)))
    assert "worried_who_sees" not in audit_text and "too_much_to_do" not in audit_text


def test_an_interpreter_for_one_side_is_refused_for_the_other(session, pair):
    su, vs = pair
    consent.record_decision(session, su, consent.Decision("given", "1.0", "pa", "verbal", YES, interpreter="INT-42"),
                            COMMAND_LINE, NOW)
    session.commit()
    before = session.scalars(select(ConsentEventRow)).all()
    with pytest.raises(consent.InterpreterConflict, match="book a different interpreter"):
        consent.record_decision(session, vs, consent.Decision("given", "1.0", "pa", "verbal", YES,
                                                              interpreter="INT-42"), COMMAND_LINE, NOW)
    session.rollback()
    assert len(session.scalars(select(ConsentEventRow)).all()) == len(before)
    consent.record_decision(session, vs, consent.Decision("given", "1.0", "pa", "verbal", YES, interpreter="INT-43"),
                            COMMAND_LINE, NOW)


def test_a_verbal_decision_refused_for_its_interpreter_changes_nothing(session, pair):
    su, vs = pair
    worker = create_staff(session, "case_manager")
    library = consent_library()
    consent.record_verbal_decision(session, su, library.current(su.store, "en"), "declined", worker.id, COMMAND_LINE,
                                   interpreter="int-42 ")
    tallies = session.scalars(select(ConsentTally.count)).all()
    with pytest.raises(consent.InterpreterConflict) as refused:
        consent.record_verbal_decision(session, vs, library.current(vs.store, "en"), "given", worker.id, COMMAND_LINE,
                                       answers={"questionnaires": True}, interpreter="INT-42")
    assert refused.value.message == INTERPRETER_CONFLICT
    assert session.scalars(select(ConsentEventRow.store)).all() == ["service_user"]
    assert session.scalars(select(ConsentTally.count)).all() == tallies


def test_not_now_on_a_call_asks_again_on_the_agreed_date_or_after_the_usual_wait(session, pair):
    su, vs = pair
    worker = create_staff(session, "case_manager")
    library = consent_library()
    with clock.set_to(NOW):
        consent.record_verbal_decision(session, su, library.current(su.store, "en"), "not_now", worker.id,
                                       COMMAND_LINE, ask_again=date(2027, 1, 4), ask_again_days=30)
        consent.record_verbal_decision(session, vs, library.current(vs.store, "en"), "not_now", worker.id,
                                       COMMAND_LINE, ask_again_days=30)
    assert [consent.standing(session, r, consent_library()).latest.ask_again_on for r in (su, vs)] == \
        [date(2027, 1, 4), date(2026, 12, 23)]


def test_withdrawal_keeping_answers_stops_the_questionnaires(session, pair):
    su, _ = pair
    consent.record_decision(session, su, consent.Decision("given", "1.0", "en", "online", YES), COMMAND_LINE, NOW)
    consent.withdraw(session, su, COMMAND_LINE, delete=False, mode="online", now=NOW.replace(hour=11))
    session.commit()
    assert not gate(consent.events(session, su), StudyConsent(frozenset({"questionnaires"})), set(), ["1.0"]).may_answer
    assert su.wrapped_key is not None


def test_withdrawal_with_deletion_leaves_no_contact_details_in_the_database(app, session, pair):
    su, _ = pair
    ring = records.keyrings(app.config)["service_user"]
    changes = {"eligibility": "eligible", "eligibility_date": date(2026, 9, 5), "first_session_date": date(2026, 9, 15),
               "closure_date": date(2026, 11, 2), "closure_outcome": "other", "closure_reason": "Moved to Ambleside"}
    assert records.update_pathway(session, ring, su, changes, COMMAND_LINE, date(2026, 11, 23)) == {}
    assert records.closure_reason(ring, su) == "Moved to Ambleside"
    assert b"Ambleside" not in raw_bytes(app, session)  # encrypted with the person's key from the start
    consent.withdraw(session, su, COMMAND_LINE, delete=True, mode="verbal", now=NOW)
    session.commit()
    stored = raw_bytes(app, session)
    assert su.study_id.encode() in stored
    assert b"Quillby" not in stored and b"Ambrose" not in stored
    assert b"Ambleside" not in stored and records.closure_reason(ring, su) is None
    assert records.contact_details(session, records.keyrings(app.config)["service_user"], su, COMMAND_LINE) == \
        {"name": None, "phone": None}
