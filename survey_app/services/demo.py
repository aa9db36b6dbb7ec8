"""Demo data: a fresh database anyone can explore. Never available in production mode.

Six London boroughs, one account per role (each with a second factor set up), and cases in
both stores at every stage of the pathway. Names are invented and phone numbers come from
Ofcom's drama range (07700 900000–900999), which no real phone uses.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain.access import PRACTITIONERS, ROLES
from survey_app.services import invitations, records, staff as staff_service
from survey_app.services.audit import COMMAND_LINE
from survey_app.services.links import participant_link
from survey_app.services.unit_of_work import transaction
from survey_app.store.crypto import Keyring
from survey_app.store.migrations import upgrade
from survey_app.store.models import all_metadata
from survey_app.store.staff import ReferralTarget, Site

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


def create_demo(engine: Engine, config: dict) -> dict:
    """Drop everything, migrate from scratch, fill in, and return the contract JSON.

    `links` stays empty until invitations exist (the participant way-in work)."""
    for metadata in all_metadata():
        metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(engine)
    rings = records.keyrings(config)
    with Session(engine) as session, transaction(session):
        sites = [Site(name=name, active=True) for name in SITES]
        session.add_all(sites)
        session.flush()
        staff = _staff(session, sites, rings["staff"])
        made = _cases(session, sites, rings)
        links = _links(session, made, config["SURVEY_BASE_URL"])
        for site in sites:
            session.add(ReferralTarget(site_id=site.id, period_start=date(2026, 4, 1), period_end=date(2027, 3, 31),
                                       target=60))
    return {"staff": staff, "links": links}


def _staff(session: Session, sites: list[Site], ring: Keyring) -> dict:
    accounts = {}
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
    return accounts


def _cases(session: Session, sites: list[Site], rings: dict[str, Keyring]) -> dict[tuple[str, str], object]:
    """Records at every stage; returns one engaged and one completed record per store, for links."""
    made = {}
    today = clock.today()
    number = 0
    service_user_ids: list[str] = []
    for store, names in (("service_user", SERVICE_USER_NAMES), ("victim_survivor", VICTIM_SURVIVOR_NAMES)):
        for index, (eligibility, decided, engaged, outcome) in enumerate(STAGES):
            number += 1
            referred = today - timedelta(days=90 - 9 * index)
            referral = records.Referral(
                site_id=sites[index % len(sites)].id, name=names[index % len(names)],
                phone=f"07700 900{100 + number:03d}", referral_date=referred,
                referral_source=("childrens_social_care", "early_help")[index % 2],
                linked_service_user=service_user_ids[index] if store == "victim_survivor" else None)
            record = records.create(session, rings[store], store, referral, COMMAND_LINE, demo=True)
            if store == "service_user":
                service_user_ids.append(record.study_id)
            record.eligibility = eligibility
            record.eligibility_date = referred + timedelta(days=decided) if decided else None
            record.first_session_date = referred + timedelta(days=engaged) if engaged else None
            if outcome:
                record.closure_date = referred + timedelta(days=engaged + 40)
                record.closure_outcome = outcome
                record.closure_reason = "Moved out of the borough" if outcome == "other" else None
            if (eligibility, outcome) == ("eligible", None) and engaged:
                made[(store, "T1")] = record
            if outcome == "completed":
                made[(store, "T2")] = record
    return made


def _links(session: Session, made: dict, base_url: str) -> list[dict]:
    """A ready link per cohort and timepoint; T1 links ask for an access code, T2 links do not."""
    links = []
    for (store, timepoint), record in sorted(made.items()):
        link = invitations.create(session, record, timepoint, COMMAND_LINE, None, with_code=timepoint == "T1")
        links.append({"cohort": store, "timepoint": timepoint, "url": participant_link(base_url, link.token),
                      "access_code": link.access_code})
    return links
