"""A synthetic database for benchmarks, written in bulk: N people in each cohort, with their pathway,
consent, questionnaires, answers and stored scores.

    .venv/bin/python bench/synthetic.py --per-cohort 10000 [--url sqlite:////tmp/bench.db] [--seed 1]

    from bench.synthetic import fill
    filled = fill("sqlite:////tmp/bench.db", 100_000, seed=1)  # Filled(url, per_cohort, rows, seconds, …)

It migrates a fresh database (refusing one that already holds people) and inserts rows with
SQLAlchemy Core executemany, a few thousand people at a time, with explicit ids: never the ORM or
the use cases, which would take hours at 100,000 a cohort. The rows follow the platform's rules,
so the same seed always gives the same database (tests/bench/test_synthetic.py checks it):

- 3 sites, each with a referral target for the current year.
- A pathway in order (referral, eligibility, first session, closure), all in the past.
- Consent events: most people say yes (nearly all to sharing their answers), some no or not now
  (with a reason, counted anonymously in the tallies), some withdraw later (with their answers kept),
  some agree to linking; most (ex-)partners are linked to the service user with the same number.
- Sent T1 and T2 questionnaires for those who said yes to them: the measure sets the catalogue gives
  each cohort, answers on each item's scale (a few skipped, or declined and not understood where
  staff read them out), and the scores the platform's own engine makes of them (`survey scores
  rederive` finds no difference). No contact details: every record is as after erasure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time as day_time, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text  # noqa: E402

from survey_app import clock  # noqa: E402
from survey_app.config import instruments_dir  # noqa: E402
from survey_app.domain.catalogue import Catalogue, load_catalogue  # noqa: E402
from survey_app.domain.consent import (DECLINE_REASONS, DECLINED, GIVEN, LINK_PARTNER, NOT_NOW,  # noqa: E402
                                       QUESTIONNAIRES, SHARE_ANSWERS, STATEMENTS, WITHDRAWN)
from survey_app.domain.measures import DECLINED as ITEM_DECLINED, NOT_UNDERSTOOD, SKIPPED, measure_set  # noqa: E402
from survey_app.domain.scoring import score  # noqa: E402
from survey_app.domain.study_ids import new_study_id  # noqa: E402
from survey_app.store.answers import Administration, Answer  # noqa: E402
from survey_app.store.consent import ConsentEventRow, ConsentTally  # noqa: E402
from survey_app.store.db import make_engine  # noqa: E402
from survey_app.store.invitations import Invitation  # noqa: E402
from survey_app.store.migrations import upgrade  # noqa: E402
from survey_app.store.records import MODELS, SERVICE_USER, STORES, VICTIM_SURVIVOR  # noqa: E402
from survey_app.store.scores import AdministrationScore  # noqa: E402
from survey_app.store.staff import ReferralTarget, Site  # noqa: E402

SITES = ("Northgate", "Riverside", "Hillcrest")
CHUNK = 5000  # people written at a time: memory stays flat whatever the size
MODES = (("link", 0.7), ("screen_share", 0.2), ("phone", 0.1))
REFERRAL_SOURCES = ("childrens_social_care", "early_help", "housing", "other")


@dataclass(frozen=True)
class Filled:
    url: str
    per_cohort: int
    rows: dict[str, int]  # table -> rows written
    seconds: float  # wall-clock
    cpu_seconds: float  # this process's: the steadier figure on a shared machine


def fill(url: str, per_cohort: int, seed: int = 1, catalogue: Catalogue | None = None) -> Filled:
    """Migrate the fresh database at `url` and fill it with `per_cohort` people in each cohort."""
    started, cpu = time.perf_counter(), time.process_time()
    engine = make_engine(url)
    try:
        upgrade(engine)
        writer = _Writer(random.Random(seed), catalogue or load_catalogue(instruments_dir()), clock.today())
        with engine.begin() as connection:
            if connection.scalar(select(func.count()).select_from(MODELS[SERVICE_USER])):
                raise ValueError(f"{url} already holds people: fill needs a fresh database.")
            writer.sites(connection)
            for start in range(0, per_cohort, CHUNK):
                writer.people(connection, range(start, min(start + CHUNK, per_cohort)))
            writer.tallies(connection)
            if connection.dialect.name == "postgresql":
                _move_sequences_on(connection)
    finally:
        engine.dispose()
    return Filled(url, per_cohort, dict(writer.written), time.perf_counter() - started, time.process_time() - cpu)


class _Writer:
    """Makes rows from a seeded random source and writes them, numbering every table itself."""

    def __init__(self, rng: random.Random, catalogue: Catalogue, today: date):
        self.rng, self.today = rng, today
        self.written: Counter[str] = Counter()
        self.next_id: Counter[str] = Counter()
        self.tally: Counter[tuple] = Counter()
        self.site_ids: list[int] = []
        self.study_ids: set[str] = set()
        self.measures = {(store, timepoint): measure_set(catalogue, store, timepoint,
                                                         confirmation_required=False).definitions
                         for store in STORES for timepoint in ("T1", "T2")}
        # Each item's number and scale (lowest, highest, middle), and 1,024 draws from N(0, 0.9²) to pick
        # from: looked up once, as answers are made millions of times.
        self.items = {d.key: [(item.number, d.scale(item.scale).minimum, d.scale(item.scale).maximum,
                               (d.scale(item.scale).minimum + d.scale(item.scale).maximum) / 2) for item in d.items]
                      for ds in self.measures.values() for d in ds}
        self.noise = [rng.gauss(0, 0.9) for _ in range(1024)]

    def sites(self, connection) -> None:
        sites = [dict(id=self._id(Site), name=name, active=True) for name in SITES]
        self._insert(connection, Site, sites)
        self.site_ids = [site["id"] for site in sites]
        year = self.today.year
        self._insert(connection, ReferralTarget, [dict(id=self._id(ReferralTarget), site_id=site,
                                                       period_start=date(year, 1, 1), period_end=date(year, 12, 31),
                                                       target=40 + 10 * site) for site in self.site_ids])

    def people(self, connection, numbers: range) -> None:
        rows: dict[type, list[dict]] = {model: [] for model in (*MODELS.values(), ConsentEventRow, Invitation,
                                                                Administration, Answer, AdministrationScore)}
        service_users = {}
        for store in STORES:
            for number in numbers:
                person = self._person(store, number, service_users.get(number))
                if store == SERVICE_USER:
                    service_users[number] = person
                rows[MODELS[store]].append(person)
                self._consent_and_questionnaires(store, person, service_users.get(number), rows)
        for model, found in rows.items():
            self._insert(connection, model, found)

    def tallies(self, connection) -> None:
        self._insert(connection, ConsentTally, [
            dict(id=self._id(ConsentTally), site_id=site, cohort=cohort, month=month, outcome=outcome, reason=reason,
                 count=count) for (site, cohort, month, outcome, reason), count in sorted(self.tally.items())])

    # --- one person ------------------------------------------------------------------------------

    def _person(self, store: str, number: int, service_user: dict | None) -> dict:
        rng = self.rng
        linked = service_user is not None and rng.random() < 0.8
        site = service_user["site_id"] if linked else rng.choice(self.site_ids)
        referral = self.today - timedelta(days=rng.randint(20, 540))
        person = dict(id=self._id(MODELS[store]), study_id=self._study_id(), site_id=site,
                      created_at=_at(referral, 9), referral_date=referral, referral_source=rng.choice(REFERRAL_SOURCES),
                      eligibility="pending", eligibility_date=None, first_session_date=None, closure_date=None,
                      closure_outcome=None, closure_reason=None)
        if store == VICTIM_SURVIVOR:
            person["linked_service_user"] = service_user["study_id"] if linked else None
        if rng.random() < 0.9:
            person["eligibility_date"] = self._later(referral, 2, 15)
            person["eligibility"] = "eligible" if rng.random() < 0.93 else "ineligible"
        if person["eligibility"] == "eligible" and rng.random() < 0.8:
            person["first_session_date"] = self._later(person["eligibility_date"], 3, 25)
        if person["first_session_date"] and rng.random() < 0.75:
            closure = person["first_session_date"] + timedelta(days=rng.randint(60, 200))
            if closure < self.today:
                outcome = rng.choices(("completed", "disengaged", "other"), (75, 20, 5))[0]
                # No reason: it is encrypted with the person's key, and these records are as after erasure.
                person.update(closure_date=closure, closure_outcome=outcome)
        return person

    def _consent_and_questionnaires(self, store: str, person: dict, service_user: dict | None, rows) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.06:
            return  # not asked yet
        asked = self._later(person["referral_date"], 1, 10)
        if roll < 0.14:
            self._decision(rows, store, person, DECLINED, asked, reason=rng.choice(DECLINE_REASONS))
            return
        if roll < 0.2:
            self._decision(rows, store, person, NOT_NOW, asked, reason=rng.choice(DECLINE_REASONS + ("",)))
            if rng.random() < 0.5:
                return
            asked = self._later(asked, 7, 30)
        answers = {statement: rng.random() < 0.5 for statement in STATEMENTS}
        answers.update({QUESTIONNAIRES: rng.random() < 0.96, SHARE_ANSWERS: rng.random() < 0.92,
                        LINK_PARTNER: rng.random() < 0.4})
        self._decision(rows, store, person, GIVEN, asked, answers=answers)
        last = asked
        if answers[QUESTIONNAIRES]:
            scope = " ".join(sorted(s for s, agreed in answers.items() if agreed))
            last = self._questionnaires(rows, store, person, service_user, asked, scope)
        if rng.random() < 0.04:
            self._decision(rows, store, person, WITHDRAWN, self._later(last, 1, 60))

    def _decision(self, rows, store: str, person: dict, kind: str, day: date, answers=None, reason="") -> None:
        rows[ConsentEventRow].append(dict(
            id=self._id(ConsentEventRow), store=store, record_id=person["id"], kind=kind,
            document_version="" if kind == WITHDRAWN else "1.0", language="" if kind == WITHDRAWN else "en",
            answers=json.dumps(answers or {}, sort_keys=True), mode="online" if self.rng.random() < 0.7 else "verbal",
            recorded_by=None, interpreter=None,
            ask_again_on=(day + timedelta(days=28)).isoformat() if kind == NOT_NOW else None, at=_at(day, 11)))
        month = f"{day:%Y-%m}"
        if kind != WITHDRAWN:
            self.tally[person["site_id"], store, month, "asked", ""] += 1
        self.tally[person["site_id"], store, month, kind, reason] += 1

    def _questionnaires(self, rows, store: str, person: dict, service_user: dict | None, consented: date,
                        scope: str) -> date:
        """T1 soon after consent, T2 soon after the closure that opens its window; the last day one was sent."""
        rng = self.rng
        level = rng.gauss(0, 0.8)  # this person's usual answer, around the middle of the scale
        days = [self._later(consented, 0, 10)] if rng.random() < 0.9 else []
        if days:
            self._administration(rows, store, person, "T1", days[0], level, scope)
        closure = person["closure_date"] if store == SERVICE_USER else \
            service_user["closure_date"] if person["linked_service_user"] else None
        if closure and rng.random() < 0.75:
            days.append(max([self._later(closure, 1, 20)] + [day + timedelta(days=1) for day in days]))
            self._administration(rows, store, person, "T2", days[-1], level + 0.4, scope)
        return max(days, default=consented)

    def _administration(self, rows, store: str, person: dict, timepoint: str, day: date, level: float,
                        scope: str) -> None:
        if day >= self.today:
            return
        rng = self.rng
        definitions = self.measures[store, timepoint]
        sent = _at(day, rng.randint(9, 19))
        owner = {"service_user_id": None, "victim_survivor_id": None, f"{store}_id": person["id"]}
        invitation = self._id(Invitation)
        rows[Invitation].append(dict(id=invitation, token_hash=f"{rng.getrandbits(256):064x}", timepoint=timepoint,
                                     created_by=None, created_at=sent - timedelta(days=1),
                                     expires_at=sent + timedelta(days=27), revoked_at=None, completed_at=sent,
                                     access_code_hash=None, code_failures=0, code_paused_until=None, **owner))
        administration = self._id(Administration)
        rows[Administration].append(dict(id=administration, invitation_id=invitation, timepoint=timepoint,
                                         instruments=" ".join(d.key for d in definitions), language="en",
                                         interpreter=None, started_at=sent - timedelta(minutes=12), submitted_at=sent,
                                         **owner))
        mode = rng.choices([m for m, _ in MODES], [w for _, w in MODES])[0]
        for definition in definitions:
            given = self._answers(definition, level, mode)
            rows[Answer] += [dict(id=self._id(Answer), administration_id=administration, instrument_id=definition.id,
                                  instrument_version=definition.version, item_number=number, value=value,
                                  missing_reason=reason, language="en", translation="", translation_status="original",
                                  mode=mode, recorded_by=None, consent_scope=scope, revision=1, saved_at=sent)
                             for number, (value, reason) in given.items()]
            result = score(definition, {number: value for number, (value, _) in given.items()})
            rows[AdministrationScore] += [dict(
                id=self._id(AdministrationScore), administration_id=administration, instrument_id=definition.id,
                instrument_version=definition.version, score_id=one.name, numerator=one.numerator,
                denominator=one.denominator, status=one.status, answered=" ".join(map(str, one.answered)),
                missing=" ".join(map(str, one.missing)), computed_at=sent) for one in result.scores.values()]

    def _answers(self, definition, level: float, mode: str) -> dict[int, tuple[int | None, str | None]]:
        """Item number -> (value, None) or (None, why it is missing). Skipping is all a participant can do
        alone; read out by staff, an item can also be declined or not understood."""
        rng, noise = self.rng, self.noise
        reasons = (SKIPPED,) if mode == "link" else (SKIPPED, ITEM_DECLINED, NOT_UNDERSTOOD)
        given = {}
        for number, lowest, highest, middle in self.items[definition.key]:
            if rng.random() < 0.02:
                given[number] = (None, rng.choice(reasons))
            else:
                value = round(middle + level + noise[rng.getrandbits(10)])
                given[number] = (min(highest, max(lowest, value)), None)
        return given

    # --- plumbing --------------------------------------------------------------------------------

    def _study_id(self) -> str:
        """A new id no one has yet: among 29⁷ ids, 200,000 people would otherwise share one now and then."""
        while (found := new_study_id(self.rng)) in self.study_ids:
            pass
        self.study_ids.add(found)
        return found

    def _later(self, day: date, least: int, most: int) -> date:
        """A day `least` to `most` days after `day`, never after today."""
        return min(day + timedelta(days=self.rng.randint(least, most)), self.today)

    def _id(self, model) -> int:
        self.next_id[model.__tablename__] += 1
        return self.next_id[model.__tablename__]

    def _insert(self, connection, model, rows: list[dict]) -> None:
        if rows:
            connection.execute(insert(model), rows)
            self.written[model.__tablename__] += len(rows)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, day_time(hour), tzinfo=timezone.utc)


def _move_sequences_on(connection) -> None:
    """PostgreSQL hands out ids from sequences, which rows written with their own ids do not move."""
    for table in ("site", "referral_target", "service_user", "victim_survivor", "consent_event", "consent_tally",
                  "invitation", "administration", "answer", "administration_score"):
        connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT coalesce(max(id), 1) FROM {table}))"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-cohort", type=int, default=1000)
    parser.add_argument("--url", default="sqlite:///synthetic.db")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    filled = fill(args.url, args.per_cohort, args.seed)
    print(f"{args.url}: {filled.per_cohort:,} per cohort in {filled.seconds:.1f} s ({filled.cpu_seconds:.1f} s CPU)")
    for table, count in sorted(filled.rows.items()):
        print(f"  {table:<22} {count:>12,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
