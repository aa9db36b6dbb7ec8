"""Demo data: a fresh database anyone can explore. Never available in production mode.

Six London boroughs, one account per role (each with a second factor set up), and cases in
both stores at every stage of the pathway. Names are invented and phone numbers come from
Ofcom's drama range (07700 900000–900999), which no real phone uses.

So that every dashboard figure and export has rows, the eligible are asked for consent (most say
yes, a pair of partners to linking their answers; some say not now or no, with reasons), those who
said yes and started sessions send T1 (and at closure T2) questionnaires with a few questions
skipped or declined, one person withdraws with deletion and one keeps their answers, and the
register holds a few barriers. All of it goes through the real use cases, from a seeded random
generator and dates relative to today, so each build is the same.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from random import Random

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain import measures
from survey_app.domain.access import PRACTITIONERS, ROLES
from survey_app.domain.catalogue import Catalogue, load_catalogue
from survey_app.domain.consent import (DECLINE_REASONS, DECLINED, GIVEN, INTERVIEW_CONTACT, LINK_PARTNER, NOT_NOW,
                                       STATEMENTS)
from survey_app.domain.consent_documents import ConsentLibrary, load_library
from survey_app.domain.windows import Window
from survey_app.services import (barriers as barrier_service, consent, due, invitations, questionnaires, records,
                                 sites as site_service, staff as staff_service)
from survey_app.services.audit import COMMAND_LINE, Actor
from survey_app.services.links import participant_link
from survey_app.services.unit_of_work import transaction
from survey_app.store.crypto import Keyring
from survey_app.store.migrations import upgrade
from survey_app.store.models import all_metadata
from survey_app.store.records import Record
from survey_app.store.staff import Site, Staff

SITES = ("Barking & Dagenham", "Camden", "City of Westminster", "Croydon", "Havering", "Sutton")
SERVICE_USER_NAMES = ("Dorian Fellbright", "Caspar Wendlebury", "Ambrose Quillby", "Florian Ashgrove",
                      "Leopold Marchbank", "Tobias Renwick-Hale", "Osric Penhallow", "Jasper Thornfield",
                      "Rufus Calloway", "Ivo Brackenridge")
VICTIM_SURVIVOR_NAMES = ("Perdita Lovelock", "Rosalind Havergal", "Imogen Sparrowhawk", "Clementine Ashby",
                         "Marisol Penrose", "Ottilie Westcombe", "Beatrix Fairweather", "Henrietta Moss",
                         "Philippa Greenhalgh", "Isadora Quince")
# Each stage of the pathway: (eligibility, days to decision, days to first session, closure outcome)
STAGES = (
    ("pending", None, None, None),
    ("ineligible", 5, None, None),
    ("eligible", 6, None, None),
    ("eligible", 4, 20, None),
    ("eligible", 5, 18, "completed"),
    ("eligible", 7, 25, "disengaged"),
    ("eligible", 3, 14, "other"),
)


# Eight records at each stage in each store: with most people saying yes, most dashboard cells reach
# the five that small-number suppression needs.
PER_STAGE = 8
SEED = 2026
# Reasons for not now and no, the usual ones more often (and some people give none), so the
# dashboard's reasons table shows a few rows.
COMMON_REASONS = ("not_right_time",) * 4 + ("too_much_to_do",) * 3 + ("",) * 2 + DECLINE_REASONS
BARRIERS = (
    (4, "Two sites share one case manager, so first sessions wait for her return from leave", True),
    (4, "Referral forms from early help often miss the phone number", True),
    (10, "Interpreters for Tigrinya are hard to book within the baseline window", True),
    (10, "Phone questionnaires run long when read out in full", True),
    (10, "One site's case records are kept on paper and cannot be checked against the database", False),
)


def create_demo(engine: Engine, config: dict) -> dict:
    """Drop everything, migrate from scratch, fill in, and return the contract JSON.

    The people, their consent, questionnaires, targets and barriers go through the real use cases,
    so the tallies, stored scores and audit entries are what the app itself would have written."""
    for metadata in all_metadata():
        metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(engine)
    rings = records.keyrings(config)
    with Session(engine, expire_on_commit=False) as session:
        with transaction(session):
            sites = [Site(name=name, active=True) for name in SITES]
            session.add_all(sites)
            session.flush()
            staff, staff_ids = _staff(session, sites, rings["staff"])
            people = _cases(session, sites, rings)
        _targets(session, sites)
        _activity(session, people, staff_ids, config)
        _barriers(session)
        with transaction(session):
            links = _links(session, _for_links(people), config["SURVEY_BASE_URL"])
    return {"staff": staff, "links": links}


def _staff(session: Session, sites: list[Site], ring: Keyring) -> tuple[dict, dict[str, Staff]]:
    """The accounts to print, and the staff themselves by role (they record verbal consent)."""
    accounts, people = {}, {}
    for role in ROLES:
        password = "-".join(secrets.token_hex(3) for _ in range(4))
        email = f"{role.replace('_', '.')}@demo.example"
        practitioner_sites = [s.id for s in sites] if role in PRACTITIONERS else []
        person = staff_service.create(session, email=email, name=f"Demo {role.replace('_', ' ')}", role=role,
                                      site_ids=practitioner_sites, actor=COMMAND_LINE, password=password,
                                      is_demo=True)
        secret = staff_service.new_totp_secret()
        staff_service.save_totp_secret(person, secret, ring)
        accounts[role] = {"email": email, "password": password, "totp_secret": secret}
        people[role] = person
    return accounts, people


def _cases(session: Session, sites: list[Site], rings: dict[str, Keyring]) -> list[Record]:
    """PER_STAGE records at every stage in each store, spread over the sites; (ex-)partners linked
    to the service user made at the same position."""
    random = Random(SEED)
    today = clock.today()
    made = []
    service_users: list[Record] = []
    for store, names in (("service_user", SERVICE_USER_NAMES), ("victim_survivor", VICTIM_SURVIVOR_NAMES)):
        for index in range(PER_STAGE * len(STAGES)):
            eligibility, decided, engaged, outcome = STAGES[index % len(STAGES)]
            linked = service_users[index] if store == "victim_survivor" else None
            if linked is None:
                # Long enough ago that every closed case's T2 window has closed too.
                referred = today - timedelta(days=150 + random.randrange(90))
            else:
                # Referred within a week of the linked service user, so their case closes (and
                # opens the (ex-)partner's T2 window) after the (ex-)partner's first session.
                referred = linked.referral_date + timedelta(days=random.randrange(7))
            referral = records.Referral(
                site_id=sites[index % len(sites)].id, name=names[index % len(names)],
                phone=f"07700 900{100 + len(made):03d}", referral_date=referred,
                referral_source=("childrens_social_care", "early_help")[index % 2],
                linked_service_user=linked.study_id if linked else None)
            record = records.create(session, rings[store], store, referral, COMMAND_LINE, demo=True)
            if store == "service_user":
                service_users.append(record)
            record.eligibility = eligibility
            record.eligibility_date = referred + timedelta(days=decided) if decided else None
            record.first_session_date = referred + timedelta(days=engaged) if engaged else None
            if outcome:
                record.closure_date = referred + timedelta(days=engaged + 40)
                record.closure_outcome = outcome
                records.set_closure_reason(rings[store], record, "Moved out of the borough" if outcome == "other"
                                           else None)
            made.append(record)
    return made


def _for_links(people: list[Record]) -> dict[tuple[str, str], Record]:
    """Per store, one engaged open case (T1) and one completed case (T2) left unasked, so the
    printed links start at the beginning: consent first, then the questionnaires."""
    kept: dict[tuple[str, str], Record] = {}
    for record in people:
        if record.eligibility == "eligible" and record.first_session_date and record.closure_date is None:
            kept.setdefault((record.store, "T1"), record)
        if record.closure_outcome == "completed":
            kept.setdefault((record.store, "T2"), record)
    return kept


def _targets(session: Session, sites: list[Site]) -> None:
    """A referral target per site for the financial year (April to March) that holds today."""
    today = clock.today()
    start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    for site in sites:
        site_service.set_target(session, site.id, start, date(start.year + 1, 3, 31), 12, COMMAND_LINE)


def _activity(session: Session, people: list[Record], staff: dict[str, Staff], config: dict) -> None:
    """Consent decisions for the eligible, questionnaires for those who said yes, and two withdrawals.

    Each thing happens on a day it could have: consent on the day eligibility was decided, each
    questionnaire two days into its window (for a victim-survivor, T2 opens when the linked
    service user's case closes), all of them before today."""
    random = Random(SEED)
    library = load_library(Path(config["SURVEY_CONSENT_DIR"]))
    catalogue = load_catalogue(Path(config["SURVEY_INSTRUMENTS_DIR"]))
    kept = set(map(id, _for_links(people).values()))
    answered: list[Record] = []
    for index, record in enumerate(people):
        if record.eligibility != "eligible" or id(record) in kept:
            continue
        worker = staff["case_manager" if record.store == "service_user" else "partner_support_worker"]
        asked = _at(record.eligibility_date, hour=9)
        if not _decide(session, record, library, worker, random, asked, link_partner=index % 4 == 0):
            continue
        scope = consent.standing(session, record, library).gate.scope
        windows = {d.timepoint: d.window for d in due.due_for(session, record, clock.today())}
        if record.first_session_date:
            _questionnaire(session, catalogue, record, "T1", windows["T1"], scope, worker, random)
            if record.closure_date and windows["T2"] and random.random() < 0.85:
                _questionnaire(session, catalogue, record, "T2", windows["T2"], scope, worker, random)
            answered.append(record)
    # One person withdraws and asks for their answers to go; another withdraws and lets them stay.
    withdrawing_with_deletion = next(r for r in answered if r.store == "service_user" and r.closure_date)
    withdrawing = next(r for r in answered if r.store == "victim_survivor")
    consent.withdraw(session, withdrawing_with_deletion, Actor.staff(staff["case_manager"]), delete=True,
                     mode=consent.VERBAL, recorded_by=staff["case_manager"].id)
    consent.withdraw(session, withdrawing, Actor.staff(staff["partner_support_worker"]), delete=False,
                     mode=consent.VERBAL, recorded_by=staff["partner_support_worker"].id)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.utc)


def _decide(session: Session, record: Record, library: ConsentLibrary, worker: Staff, random: Random,
            asked: datetime, link_partner: bool) -> bool:
    """Most say yes (some to linking with their partner's answers), some not now, some no; half on a
    call with their worker, half online. True when they said yes."""
    document = library.current(record.store, "en")
    roll, verbal = random.random(), random.random() < 0.5
    if roll < 0.75:
        choices = {statement: statement != INTERVIEW_CONTACT or random.random() < 0.6 for statement in STATEMENTS}
        choices[LINK_PARTNER] = link_partner
        if verbal:
            consent.record_verbal_decision(session, record, document, GIVEN, worker.id, Actor.staff(worker),
                                           answers=choices, now=asked)
        else:
            consent.give_consent_online(session, record, document, choices, COMMAND_LINE, now=asked)
        return True
    kind, reason = NOT_NOW if roll < 0.88 else DECLINED, random.choice(COMMON_REASONS)
    if verbal:
        consent.record_verbal_decision(session, record, document, kind, worker.id, Actor.staff(worker),
                                       reason=reason, ask_again_days=library.study.ask_again_days, now=asked)
    else:
        consent.decline_online(session, record, document, kind, reason, library.study.ask_again_days, COMMAND_LINE,
                               now=asked)
    return False


def _questionnaire(session: Session, catalogue: Catalogue, record: Record, timepoint: str, window: Window,
                   scope: frozenset[str], worker: Staff, random: Random) -> None:
    """A submitted questionnaire two days into its window, given one way (link, shared screen or
    phone), with now and then a question skipped or declined."""
    when = _at(window.opens + timedelta(days=2), hour=10)
    mode = random.choice(questionnaires.DELIVERY_MODES)
    sitting = questionnaires.Sitting(mode, scope, None if mode == questionnaires.LINK else worker.id)
    with transaction(session):
        link = invitations.create(session, record, timepoint, COMMAND_LINE, worker.id, with_code=False, now=when)
        administration = questionnaires.begin(session, link.invitation, record, catalogue, "en", now=when,
                                              confirmation_required=False)
        for definition in questionnaires.definitions(administration, catalogue):
            for item in definition.items:
                questionnaires.save(session, administration, definition, item.number,
                                    _given(definition, item, random), sitting, 0, now=when)
        questionnaires.submit(session, administration, link.invitation, catalogue, COMMAND_LINE, now=when)


def _given(definition, item, random: Random) -> questionnaires.GivenAnswer:
    roll = random.random()
    if roll < 0.03:
        return questionnaires.GivenAnswer(missing_reason=measures.SKIPPED)
    if roll < 0.05:
        return questionnaires.GivenAnswer(missing_reason=measures.DECLINED)
    return questionnaires.GivenAnswer(value=random.choice(sorted(definition.scale(item.scale).values)))


def _barriers(session: Session) -> None:
    """Criterion 4 rates Green (a few, all surmountable); criterion 10 Red (one is not)."""
    for criterion, description, surmountable in BARRIERS:
        barrier_service.add_barrier(session, criterion, description, surmountable, COMMAND_LINE)


def _links(session: Session, made: dict, base_url: str) -> list[dict]:
    """A ready link per cohort and timepoint; T1 links ask for an access code, T2 links do not."""
    links = []
    for (store, timepoint), record in sorted(made.items()):
        link = invitations.create(session, record, timepoint, COMMAND_LINE, None, with_code=timepoint == "T1")
        links.append({"cohort": store, "timepoint": timepoint, "url": participant_link(base_url, link.token),
                      "access_code": link.access_code})
    return links
