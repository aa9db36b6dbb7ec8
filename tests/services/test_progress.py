"""The evaluator's dashboard: Table 10's criteria and the counts behind them, counted by the database.

Every figure is compared with one computed here, independently, from the raw rows."""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import event, insert, select

from survey_app.domain import windows
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import progress, progress_change, records
from survey_app.services.progress import Filters
from survey_app.store.answers import Administration, Answer
from survey_app.store.consent import ConsentEventRow
from survey_app.store.records import ServiceUser, VictimSurvivor
from survey_app.store.scores import AdministrationScore
from survey_app.store.staff import ReferralTarget
from tests.factories import (create_consent_decision, create_person, create_record, create_sent_questionnaire,
                             create_site)

TODAY = date(2026, 11, 30)

# (eligibility, eligibility date, first session, closure date, closure outcome) -> the stage it is at
AT_STAGE = {
    "referred": ("pending", None, None, None, None),
    "not_eligible": ("ineligible", date(2026, 9, 5), None, None, None),
    "awaiting_engagement": ("eligible", date(2026, 9, 5), None, None, None),
    "engaged": ("eligible", date(2026, 9, 5), date(2026, 9, 20), None, None),
    "closed": ("eligible", date(2026, 9, 5), date(2026, 9, 20), date(2026, 11, 1), "completed"),
}


def add(session, rings, store, site, stage_name, how_many=1):
    eligibility, decided, first, closed, outcome = AT_STAGE[stage_name]
    for _ in range(how_many):
        record = create_record(session, rings[store], store, site)
        record.eligibility, record.eligibility_date, record.first_session_date = eligibility, decided, first
        record.closure_date, record.closure_outcome = closed, outcome


def test_counts_each_store_by_site_and_stage(app, session):
    rings = records.keyrings(app.config)
    camden, croydon = create_site(session, "Camden"), create_site(session, "Croydon")
    add(session, rings, "service_user", camden, "referred", 2)
    add(session, rings, "service_user", camden, "engaged")
    add(session, rings, "service_user", croydon, "closed", 3)
    add(session, rings, "victim_survivor", camden, "not_eligible")
    add(session, rings, "victim_survivor", croydon, "awaiting_engagement", 2)
    # Closed wins over anything else, as the pathway says: an ineligible case that closed is closed.
    add(session, rings, "victim_survivor", croydon, "closed")
    session.commit()

    found = progress.progress(session)

    assert [site.name for site in found.sites] == ["Camden", "Croydon"]
    service_users, victim_survivors = found.counts["service_user"], found.counts["victim_survivor"]
    assert service_users[camden.id] == {"referred": 2, "not_eligible": 0, "awaiting_engagement": 0, "engaged": 1,
                                        "closed": 0}
    assert service_users[croydon.id]["closed"] == 3 and sum(service_users[croydon.id].values()) == 3
    assert victim_survivors[camden.id]["not_eligible"] == 1
    assert victim_survivors[croydon.id] == {"referred": 0, "not_eligible": 0, "awaiting_engagement": 2,
                                            "engaged": 0, "closed": 1}


# --- a mixed case load, and every criterion computed again here from the raw rows ---------------

def engaged(first=date(2026, 9, 20), **closure):
    return dict(eligibility="eligible", eligibility_date=date(2026, 9, 10), first_session_date=first, **closure)


def make_case_load(session):
    camden, croydon = create_site(session, "Camden"), create_site(session, "Croydon")
    session.add_all([ReferralTarget(site_id=camden.id, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                                    target=60),
                     ReferralTarget(site_id=croydon.id, period_start=date(2026, 7, 1), period_end=date(2026, 12, 31),
                                    target=30)])
    people = []
    # Service users at Camden: two completed long ago, one disengaged, one still open, two not yet engaged.
    done = [create_person(session, camden, **engaged(closure_date=date(2026, 10, 1), closure_outcome="completed"))
            for _ in range(2)]
    people += done
    people.append(create_person(session, camden, **engaged(closure_date=date(2026, 10, 2),
                                                            closure_outcome="disengaged")))
    open_case = create_person(session, camden, **engaged())
    recent = create_person(session, camden, **engaged(closure_date=date(2026, 11, 27), closure_outcome="completed"))
    people += [open_case, recent]
    people += [create_person(session, camden) for _ in range(2)]
    # Croydon: referred in October, one engaged; one referred last year (outside a 2026 period).
    people += [create_person(session, croydon, referral_date=date(2026, 10, 5)) for _ in range(2)]
    people.append(create_person(session, croydon, referral_date=date(2026, 10, 5), **engaged(date(2026, 10, 20))))
    people.append(create_person(session, croydon, referral_date=date(2025, 5, 1), **engaged(date(2025, 6, 1))))
    # (Ex-)partners, linked to the two completed service users and to the recent one.
    partners = [create_person(session, camden, "victim_survivor", linked_service_user=su.study_id)
                for su in (done[0], done[1], recent)]
    partners.append(create_person(session, croydon, "victim_survivor", referral_date=date(2026, 10, 5)))

    for person in done + [open_case, recent]:
        create_consent_decision(session, person, language="en", mode="verbal")
    create_consent_decision(session, people[2], "given", questionnaires=False)
    create_consent_decision(session, people[5], "declined", reason="no_point")
    create_consent_decision(session, people[6], "not_now", reason="not_right_time")
    create_consent_decision(session, people[6], "given")  # asked again, and said yes
    for partner in partners[:3]:
        create_consent_decision(session, partner, language="bn")
    create_consent_decision(session, partners[3], "declined", reason="worried_who_sees")

    create_sent_questionnaire(session, done[0], "T1", answered=32, instrument="urica")
    create_sent_questionnaire(session, done[0], "T2", answered=40, missing=4, instrument="urica", mode="phone")
    create_sent_questionnaire(session, done[1], "T1", answered=28, missing=4, instrument="urica")
    create_sent_questionnaire(session, open_case, "T1", answered=32, instrument="urica", mode="screen_share")
    create_sent_questionnaire(session, partners[0], "T1", answered=6, missing=1, language="bn")
    create_sent_questionnaire(session, partners[1], "T1", answered=7, language="bn")
    create_sent_questionnaire(session, partners[1], "T2", answered=7, language="bn")
    session.commit()
    return camden, croydon


def independently(session, filters: Filters, today=TODAY) -> dict[int, tuple]:
    """Criterion number -> (numerator, denominator), from every raw row, without the service's SQL."""
    stores = {"service_user": ServiceUser, "victim_survivor": VictimSurvivor}
    chosen = {store: [r for r in session.scalars(select(model))
                      if (filters.site_id is None or r.site_id == filters.site_id)
                      and (filters.start is None or r.referral_date >= filters.start)
                      and (filters.end is None or r.referral_date <= filters.end)]
              for store, model in stores.items() if store in filters.stores}
    closures = {su.study_id: su.closure_date for su in session.scalars(select(ServiceUser))}
    events = list(session.scalars(select(ConsentEventRow)))
    sent = list(session.scalars(select(Administration).where(Administration.submitted_at.is_not(None))))
    answers = list(session.scalars(select(Answer)))

    def decisions(record):
        return [e for e in events if e.store == record.store and e.record_id == record.id]

    def recruited(record):
        return any(e.kind == "given" and json.loads(e.answers)["questionnaires"] for e in decisions(record))

    def has_sent(record, timepoint):
        return any(a.owner_id == record.id and a.store == record.store and a.timepoint == timepoint for a in sent)

    def t2_closed(record):
        closure = record.closure_date if record.store == "service_user" else closures.get(record.linked_service_user)
        window = windows.t2_window(record.store, closure)
        return window is not None and window.closes < today

    def average_items(timepoint):
        ids = {a.id for a in sent if a.timepoint == timepoint
               and any(r.id == a.owner_id for r in chosen.get(a.store, []))}
        shares = [Fraction(sum(1 for x in answers if x.administration_id == i and x.value is not None),
                           sum(1 for x in answers if x.administration_id == i)) for i in ids]
        return sum(shares, Fraction(0)), len(shares)

    sus = chosen.get("service_user", [])
    everyone = [r for found in chosen.values() for r in found]
    targets = Fraction(0)
    for t in session.scalars(select(ReferralTarget)):
        if filters.site_id in (None, t.site_id):
            start, end = max(t.period_start, filters.start or date.min), min(t.period_end, filters.end or date.max)
            days = (t.period_end - t.period_start).days + 1
            targets += Fraction(t.target * max(0, (end - start).days + 1), days)
    recruits = [r for r in everyone if recruited(r)]
    return {
        1: (len(sus), targets),
        2: (sum(1 for r in sus if r.first_session_date), len(sus)),
        3: (sum(1 for r in sus if r.first_session_date and r.closure_outcome == "completed"),
            sum(1 for r in sus if r.first_session_date)),
        5: (len(recruits), sum(1 for r in everyone if any(e.kind != "withdrawn" for e in decisions(r)))),
        6: (sum(1 for r in recruits if has_sent(r, "T1")), len(recruits)),
        7: (sum(1 for r in recruits if has_sent(r, "T2")),
            sum(1 for r in recruits if has_sent(r, "T2") or t2_closed(r))),
        8: average_items("T1"),
        9: average_items("T2"),
    }


def shown(found) -> dict[int, tuple]:
    return {f.number: (f.numerator, f.denominator) for f in found.criteria if f.numerator is not None}


@pytest.mark.parametrize("choose", [
    lambda camden, croydon: Filters(),
    lambda camden, croydon: Filters(start=date(2026, 1, 1), end=date(2026, 12, 31)),
    lambda camden, croydon: Filters(start=date(2026, 10, 1), end=date(2026, 10, 31)),
    lambda camden, croydon: Filters(site_id=camden.id),
    lambda camden, croydon: Filters(site_id=croydon.id, cohort="service_user"),
    lambda camden, croydon: Filters(cohort="victim_survivor"),
])
def test_every_criterion_matches_an_independent_count_of_the_raw_rows(session, choose):
    filters = choose(*make_case_load(session))

    found = progress.progress(session, filters, TODAY)

    assert shown(found) == independently(session, filters)
    for part in found.recruitment_by_cohort:
        alone = Filters(filters.start, filters.end, filters.site_id, part.cohort)
        assert (part.numerator, part.denominator) == independently(session, alone)[5]


def test_the_case_load_gives_the_expected_figures_and_ratings(session):
    make_case_load(session)

    found = {f.number: f for f in progress.progress(session, Filters(start=date(2026, 1, 1)), TODAY).criteria}

    # 10 service users referred in 2026 of 60 + 30 targets: 11%, Red.
    assert (found[1].numerator, found[1].denominator, found[1].percent, found[1].rating) == (10, 90, 11, "red")
    assert (found[2].numerator, found[2].denominator, found[2].percent, found[2].rating) == (6, 10, 60, "amber")
    assert (found[3].numerator, found[3].denominator, found[3].rating) == (3, 6, "amber")
    # Asked: 7 service users (one said yes but not to questionnaires, one no, one not now and later yes) and
    # 4 partners; recruited: 5 and 3.
    assert (found[5].numerator, found[5].denominator, found[5].percent, found[5].rating) == (8, 11, 73, "amber")
    assert (found[6].numerator, found[6].denominator, found[6].rating) == (5, 8, "red")
    # Endpoint due: the two completed in early October and their partners; the recent closure's window is open.
    assert (found[7].numerator, found[7].denominator) == (2, 4)
    assert found[8].percent == 95 and found[8].rating == "green"  # (1 + 28/32 + 1 + 6/7 + 1) / 5
    assert found[4].rating == "green" and found[4].numerator is None  # no barriers recorded yet


def test_a_criterion_without_a_denominator_has_no_percentage_or_rating(session):
    make_case_load(session)

    found = progress.progress(session, Filters(start=date(2027, 1, 1)), TODAY)

    for figure in found.criteria:
        if figure.number in (2, 3, 5, 6, 7, 8, 9):
            assert (figure.denominator, figure.percent, figure.rating) == (0, None, None)


def test_questionnaires_sent_are_counted_by_language_and_by_mode(session):
    make_case_load(session)

    assert progress.sent_by(session, Filters(), Administration.language) == {"en": {"T1": 3, "T2": 1},
                                                                             "bn": {"T1": 2, "T2": 1}}
    assert progress.sent_by(session, Filters(cohort="service_user"), Answer.mode) == {
        "link": {"T1": 2, "T2": 0}, "screen_share": {"T1": 1, "T2": 0}, "phone": {"T1": 0, "T2": 1}}


def test_breakdowns_hide_counts_under_five(session):
    make_case_load(session)

    found = progress.progress(session, Filters(), TODAY)

    by_site = dict(found.by_site.rows)
    assert by_site["Camden"]["referred"] == 10  # 7 service users and 3 partners
    assert by_site["Croydon"]["referred"] == 5
    assert by_site["Camden"]["endpoint"] is None and by_site["Croydon"]["endpoint"] == None  # 2 and 0
    assert found.by_site.total["endpoint"] is None
    reasons = dict(found.reasons.rows)
    assert set(reasons) == {"no_point", "not_right_time", "worried_who_sees"}
    assert all(count is None or count == 0 for row in reasons.values() for count in row.values())


# --- queries do not grow with the records ---------------------------------------------------------

def statements_for_progress(app) -> int:
    """How many SQL statements one dashboard is made with."""
    engine = app.extensions["survey_engine"]
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with app.extensions["survey_sessions"]() as session:
            dashboard(session)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def rows_read_for_progress(app) -> tuple[int, int]:
    """(statements, rows) the database hands back while the dashboard is made."""
    read = {"statements": 0, "rows": 0}
    with app.extensions["survey_sessions"]() as session:
        @event.listens_for(session, "do_orm_execute")
        def count(state):
            result = state.invoke_statement().freeze()
            read["statements"] += 1
            read["rows"] += len(result().all())
            return result()

        dashboard(session)
    return read["statements"], read["rows"]


def dashboard(session) -> None:
    """Every figure of one dashboard: the criteria and breakdowns, and the change from T1 to T2."""
    filters = Filters(start=date(2026, 1, 1))
    progress.progress(session, filters, TODAY)
    progress_change.change(session, load_catalogue(instruments_dir()), filters)


def add_in_bulk(session, sites, how_many):
    """`how_many` people in each store, a third engaged and closed, with consent and a sent questionnaire;
    the (ex-)partners with scored T1 and T2 questionnaires, so the change from T1 to T2 has pairs."""
    from survey_app import clock
    from survey_app.domain.study_ids import new_study_id

    now = clock.now()
    for store, model in (("service_user", ServiceUser), ("victim_survivor", VictimSurvivor)):
        rows = [dict(study_id=new_study_id(), site_id=sites[n % 2].id, created_at=now,
                     referral_date=date(2026, 3, 1) + timedelta(days=n % 200), referral_source="early_help",
                     **(engaged(closure_date=date(2026, 10, 1), closure_outcome="completed") if n % 3 == 0 else {}))
                for n in range(how_many)]
        session.execute(insert(model), rows)
        ids = list(session.scalars(select(model.id).order_by(model.id.desc()).limit(how_many)))
        session.execute(insert(ConsentEventRow), [
            dict(store=store, record_id=i, kind="given", document_version="1.0", language="en", mode="online",
                 answers=json.dumps({"questionnaires": True}), at=now) for i in ids])
    for person in session.scalars(select(ServiceUser).limit(5)):
        create_sent_questionnaire(session, person, "T1", answered=30, missing=2, instrument="urica")
    for person in session.scalars(select(VictimSurvivor).order_by(VictimSurvivor.id.desc()).limit(how_many)):
        for timepoint in ("T1", "T2"):
            scored = create_sent_questionnaire(session, person, timepoint)
            session.execute(insert(AdministrationScore), [
                dict(administration_id=scored.id, instrument_id="swemwbs", instrument_version="1.0", score_id=name,
                     numerator=numerator, denominator=denominator, status="complete", answered="1 2 3 4 5 6 7",
                     missing="", computed_at=now)
                for name, numerator, denominator in (("raw", 14 + person.id % 20, 1),
                                                     ("metric", 1532 + person.id % 300, 100))])
    session.commit()


def test_the_queries_do_not_grow_with_the_number_of_records(app, session):
    sites = [create_site(session, "Camden"), create_site(session, "Croydon")]
    add_in_bulk(session, sites, 5)  # 10 records
    with_ten = statements_for_progress(app), rows_read_for_progress(app)
    add_in_bulk(session, sites, 495)  # 1,000 records
    with_a_thousand = statements_for_progress(app), rows_read_for_progress(app)

    assert with_ten == with_a_thousand
    statements, (_, rows) = with_ten
    assert statements <= 16 and rows < 40  # 12 for the criteria and breakdowns, 2 a store for the change
