"""Plain functions that make test data, with keyword defaults (as in GOV.UK Notify's tests/app/db.py)."""

from __future__ import annotations

from datetime import date

from survey_app import clock
from survey_app.services import records, staff as staff_service
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.crypto import Keyring, new_key
from survey_app.store.staff import Site, Staff

PASSWORD = "correct horse battery staple"


def create_site(session, name="Camden") -> Site:
    site = Site(name=name, active=True)
    session.add(site)
    session.flush()
    return site


def create_staff(session, role="case_manager", email=None, sites=(), password=PASSWORD, name=None, **kwargs):
    return staff_service.create(session, email=email or f"{role}@example.org", name=name or role.replace("_", " ").title(),
                                role=role, site_ids=[s.id for s in sites], actor=COMMAND_LINE, password=password,
                                **kwargs)


def create_record(session, ring: Keyring, store="service_user", site=None, name="Ada Testperson",
                  phone="07700 900123", referral_date=date(2026, 9, 1), **kwargs):
    referral = records.Referral(site_id=site.id, name=name, phone=phone, referral_date=referral_date,
                                referral_source="childrens_social_care", **kwargs)
    return records.create(session, ring, store, referral, COMMAND_LINE, demo=True)


def keyring() -> Keyring:
    return Keyring([new_key()])


def sign_in_as(client, staff) -> None:
    """Put a signed-in session in the test client's cookie, as the sign-in pages would."""

    with client.application.extensions["survey_sessions"]() as db:
        saved = db.get(Staff, staff.id)  # sign-out raises the generation: read it afresh once committed
        generation = (saved or staff).session_generation
    with client.session_transaction() as session:
        session.update({"staff_id": staff.id, "generation": generation, "stage": "signed_in",
                        "seen_at": clock.seconds()})


def give_browser_progress(client, progress: dict) -> None:
    """Give the test client's browser this participant progress, kept on the server as the pages
    would keep it (web/browser_progress.py): the cookie holds only its key."""
    import secrets

    from survey_app.services import participant_visits
    from survey_app.web.browser_progress import COOKIE_KEY

    key = secrets.token_urlsafe(32)
    with client.application.extensions["survey_sessions"]() as session:
        participant_visits.keep(session, key, progress)
    with client.session_transaction() as cookie:
        cookie[COOKIE_KEY] = key


def create_linked_person(app, store="service_user", with_code=True, timepoint="T1"):
    """A person in `store` at a new site with a link (T1 unless told), committed; returns (record id, NewLink)."""
    from survey_app.services import invitations

    with app.extensions["survey_sessions"]() as session:
        record = create_record(session, records.keyrings(app.config)[store], store, create_site(session))
        made = invitations.create(session, record, timepoint, COMMAND_LINE, None, with_code=with_code)
        session.commit()
        return record.id, made


def create_person_who_agreed(app, store="victim_survivor", with_code=False):
    """Like create_linked_person, with consent to the questionnaires given online, so the link
    opens on the questions (SWEMWBS's 7 for a victim-survivor at T1)."""
    from survey_app.services import consent
    from survey_app.store.records import MODELS

    record_id, made = create_linked_person(app, store, with_code=with_code)
    with app.extensions["survey_sessions"]() as session:
        consent.record_decision(session, session.get(MODELS[store], record_id),
                                consent.Decision("given", "1.0", "en", "online", {"questionnaires": True}),
                                COMMAND_LINE)
        session.commit()
    return record_id, made


def create_agreed_case(session, config, store="service_user", role="case_manager",
                       agreed=("questionnaires", "share_answers"), **record_fields):
    """A practitioner at a new site and a person there whose verbal consent to `agreed` they recorded
    (flushed, not committed); returns (worker, person)."""
    from survey_app.services import consent

    site = create_site(session)
    worker = create_staff(session, role, sites=[site])
    person = create_record(session, records.keyrings(config)[store], store, site, **record_fields)
    consent.record_decision(session, person, consent.Decision("given", "1.0", "en", "verbal",
                                                              {statement: True for statement in agreed},
                                                              recorded_by=worker.id), COMMAND_LINE)
    return worker, person


def create_sent_administration(session, record, catalogue, timepoint="T1", values=None, declined=(), now=None,
                               interpreter=None, spoken_language=None):
    """A link's administration with every question answered and sent (not committed). `values`
    maps an instrument id to its answers in item order (else 3 everywhere); items numbered in
    `declined` have a missing reason instead."""
    from survey_app.services import invitations, questionnaires

    link = invitations.create(session, record, timepoint, COMMAND_LINE, None, with_code=False)
    administration = questionnaires.begin(session, link.invitation, record, catalogue, "en",
                                          confirmation_required=False, interpreter=interpreter,
                                          spoken_language=spoken_language)
    sitting = questionnaires.Sitting(questionnaires.LINK, frozenset({"questionnaires", "share_answers"}))
    for definition in questionnaires.definitions(administration, catalogue):
        given = (values or {}).get(definition.id) or [3] * len(definition.items)
        for item, value in zip(definition.items, given):
            answer = questionnaires.GivenAnswer(missing_reason="declined") if item.number in declined \
                else questionnaires.GivenAnswer(value)
            questionnaires.save(session, administration, definition, item.number, answer, sitting, 0, now=now)
    questionnaires.submit(session, administration, link.invitation, catalogue, COMMAND_LINE, now=now)
    return administration


def create_started_administration(session, record, catalogue, timepoint="T1", mode="phone", answered=3,
                                  staff_id=None):
    """Questionnaires begun on a new link and not sent: the first `answered` questions answered
    in `mode` (not committed). Returns the link's invitation."""
    from survey_app.services import invitations, questionnaires

    link = invitations.create(session, record, timepoint, COMMAND_LINE, None, with_code=False)
    administration = questionnaires.begin(session, link.invitation, record, catalogue, "en",
                                          confirmation_required=False)
    sitting = questionnaires.Sitting(mode, frozenset({"questionnaires"}), staff_id)
    definition = questionnaires.definitions(administration, catalogue)[0]
    for item in definition.items[:answered]:
        questionnaires.save(session, administration, definition, item.number, questionnaires.GivenAnswer(3), sitting, 0)
    return link.invitation


# --- the progression dashboard: rows made directly, many at a time ----------------------------------

def create_person(session, site, store="service_user", referral_date=date(2026, 9, 1), **pathway):
    """A record row without contact details (the dashboard never reads them), with pathway fields as given."""
    from survey_app.domain.study_ids import new_study_id
    from survey_app.store.records import MODELS

    record = MODELS[store](study_id=new_study_id(), site_id=site.id, created_at=clock.now(),
                           referral_date=referral_date, referral_source="childrens_social_care", **pathway)
    session.add(record)
    session.flush()
    return record


def create_consent_decision(session, record, kind="given", questionnaires=True, language="en", mode="online",
                            reason=""):
    """A consent event for `record` and its anonymous tallies, as services/consent.py writes them."""
    import json

    from survey_app.domain.consent import STATEMENTS
    from survey_app.store.consent import ConsentEventRow, ConsentTally

    answers = {s: s == "questionnaires" and questionnaires for s in STATEMENTS} if kind == "given" else {}
    session.add(ConsentEventRow(store=record.store, record_id=record.id, kind=kind, document_version="1.0",
                                language=language, answers=json.dumps(answers, sort_keys=True), mode=mode,
                                at=clock.now()))
    for outcome, why in (("asked", ""), (kind, reason)):
        key = dict(site_id=record.site_id, cohort=record.store, month=f"{clock.now():%Y-%m}", outcome=outcome,
                   reason=why)
        tally = session.query(ConsentTally).filter_by(**key).first() or ConsentTally(count=0, **key)
        tally.count += 1
        session.add(tally)
        session.flush()


def create_sent_questionnaire(session, record, timepoint="T1", answered=7, missing=0, language="en", mode="link",
                              instrument="swemwbs"):
    """A submitted administration with `answered` answers and `missing` items recorded as skipped."""
    import secrets

    from survey_app.store.answers import Administration, Answer
    from survey_app.store.invitations import Invitation

    now = clock.now()
    owner = Invitation.owned_by(record)
    invitation = Invitation(token_hash=secrets.token_hex(32), timepoint=timepoint, created_at=now, expires_at=now,
                            completed_at=now, **owner)
    session.add(invitation)
    session.flush()
    administration = Administration(invitation_id=invitation.id, timepoint=timepoint, instruments=f"{instrument}/1.0",
                                    language=language, started_at=now, submitted_at=now, **owner)
    session.add(administration)
    session.flush()
    session.add_all(Answer(administration_id=administration.id, instrument_id=instrument, instrument_version="1.0",
                           item_number=n, value=3 if n <= answered else None,
                           missing_reason=None if n <= answered else "skipped", language=language, translation="",
                           translation_status="original", mode=mode, consent_scope="questionnaires", saved_at=now)
                    for n in range(1, answered + missing + 1))
    session.flush()
    return administration


def create_consent(session, record, agreed=("questionnaires", "share_answers")):
    """The person agreed online, through the real use case, to the statements in `agreed` (no to the rest)."""
    from survey_app.config import consent_dir
    from survey_app.domain.consent import STATEMENTS
    from survey_app.domain.consent_documents import load_library
    from survey_app.services import consent

    document = load_library(consent_dir()).current(record.store, "en")
    consent.give_consent_online(session, record, document, {s: s in agreed for s in STATEMENTS}, COMMAND_LINE)
