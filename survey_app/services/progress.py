"""The evaluator's progression dashboard: Table 10's criteria computed from the records, with breakdowns.

Everything is counted by the database (GROUP BY and aggregates), never by loading records: one
render runs a fixed number of queries, and the rows read grow with the number of sites,
languages and reasons, never with the number of people.

Definitions (shown on the page and in the README from `DEFINITIONS`). The filters choose the
people: those referred in the period (by referral date), at the site, in the cohort.

- Referred: a record in the period. Criteria 1 to 3 are about service users only, as Table 10's are
  (the referral targets and the one-to-one intervention are theirs).
- 1, referrals: service users referred, of the sites' referral targets. A target whose period only
  partly overlaps the chosen period counts pro rata by days (a 60-referral year overlapping a
  quarter counts about 15): the simplest rule that does not reward choosing a short period.
- 2, engaged: referred service users with a first session date, of those referred.
- 3, completed: engaged service users whose case closed as "completed", of all those engaged.
  Cases still open count in the denominator, as in Table 10 (23 of 52).
- 5, asked: people (both cohorts unless one is chosen) with at least one recorded consent
  decision (yes, not now or no). Recruited to the measures: people who ever said yes to the
  questionnaires statement; a later withdrawal does not undo the recruitment (it shows as
  attrition in 6 and 7).
- 6, baseline: recruited people with a submitted T1 questionnaire, of those recruited.
- 7, endpoint: recruited people with a submitted T2 questionnaire, of those recruited whose T2
  window has closed or who submitted T2.
- 8 and 9, item completeness: over submitted T1 (T2) questionnaires of the chosen people, the
  average share of items answered (an item recorded as skipped, declined or not understood is not
  answered). Each questionnaire counts once, whatever its length.
- 4 and 10: from the evaluator's register of barriers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import and_, case, exists, func, literal, select
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain import progression
from survey_app.domain.consent import DECLINED, GIVEN, NOT_NOW, QUESTIONNAIRES
from survey_app.domain.pathway import STAGES, Pathway, stage
from survey_app.domain.progression import BARRIERS, CRITERIA, Criterion
from survey_app.domain.text import N_
from survey_app.store.answers import Administration, Answer
from survey_app.store.barriers import Barrier
from survey_app.store.consent import ConsentEventRow, ConsentTally
from survey_app.store.records import MODELS, SERVICE_USER, STORES, VICTIM_SURVIVOR, ServiceUser
from survey_app.store.staff import ReferralTarget, Site

# The stage depends on whether there is a closure date and a first session, and on eligibility,
# never on the dates themselves; any date stands in for "there is one".
_SOME_DATE = date.min

# How `given` consent events say yes to the questionnaires: the answers are stored as JSON with
# sorted keys and json.dumps's default separators (services/consent.py), so this text is exact.
_SAID_YES_TO_QUESTIONNAIRES = f'%"{QUESTIONNAIRES}": true%'

# What each figure counts, for the page and the README (the module docstring says why).
DEFINITIONS = {
    "referred": N_("Referred: a service user or (ex-)partner whose referral date is in the period, at the chosen "
                   "site and in the chosen cohort. Criteria 1 to 3 count service users only."),
    "1": N_("Referrals: service users referred, against the sites' referral targets. A target that only partly "
            "overlaps the period counts in proportion to the days that overlap."),
    "2": N_("Engaged: referred service users with a first session date, of all those referred."),
    "3": N_("Completed: engaged service users whose case closed as completed, of all those engaged (open cases "
            "included)."),
    "4": N_("Barriers to implementation and support, from the register below: 3 or fewer, all likely to be "
            "surmountable, is Green; 4 or more, all surmountable, is Amber; any unlikely to be surmountable is Red."),
    "5": N_("Asked: people with at least one recorded consent decision (yes, not now or no). Recruited: people "
            "who said yes to the questionnaires, even if they withdrew later."),
    "6": N_("Baseline: recruited people who sent their first (T1) questionnaire, of all those recruited."),
    "7": N_("Endpoint: recruited people who sent their second (T2) questionnaire, of those recruited whose T2 "
            "window has closed or who sent it."),
    "8": N_("Items complete at baseline: the average share of questions answered in the T1 questionnaires sent. "
            "Skipped, declined or not understood questions are not answered."),
    "9": N_("Items complete at endpoint: the same, for the T2 questionnaires sent."),
    "10": N_("Barriers to the impact evaluation, from the register below, rated the same way."),
}

# The per-person figures counted for each site and cohort, in the order the breakdown shows them.
FIGURES = {"referred": N_("Referred"), "engaged": N_("Engaged"), "completed": N_("Completed"),
           "asked": N_("Asked"), "recruited": N_("Recruited to the measures"), "baseline": N_("Baseline sent"),
           "endpoint_due": N_("Endpoint due"), "endpoint": N_("Endpoint sent")}
COHORTS = {SERVICE_USER: N_("Service users"), VICTIM_SURVIVOR: N_("(Ex-)partners")}


@dataclass(frozen=True)
class Filters:
    start: date | None = None  # referral dates from this day
    end: date | None = None  # to this day, both included
    site_id: int | None = None
    cohort: str | None = None  # one store, or None for both

    def __post_init__(self):
        if self.cohort is not None and self.cohort not in STORES:
            raise ValueError(f"Unknown cohort: {self.cohort}")

    @property
    def stores(self) -> tuple[str, ...]:
        return (self.cohort,) if self.cohort else STORES


@dataclass(frozen=True)
class Figure:
    """One criterion as the dashboard and the command line show it."""

    criterion: Criterion
    numerator: Fraction | int | None  # None for the barrier criteria
    denominator: Fraction | int | None
    percent: int | None
    rating: str | None
    cohort: str | None = None  # criterion 5 is also shown for each cohort alone

    @property
    def number(self) -> int:
        return self.criterion.number


@dataclass(frozen=True)
class Breakdown:
    """A table of counts: rows (each named by its key: a site's name, a cohort, a language, a mode, a
    reason) by columns, small counts already hidden (None)."""

    rows: list[tuple[str, dict[str, int | None]]]
    columns: dict[str, str]  # key -> N_-marked heading
    total: dict[str, int | None]


@dataclass(frozen=True)
class Progress:
    filters: Filters
    criteria: list[Figure]
    recruitment_by_cohort: list[Figure]  # criterion 5 for each cohort chosen
    sites: list[Site]
    counts: dict[str, dict[int, dict[str, int]]]  # store -> site id -> stage -> how many
    targets: dict[int, ReferralTarget]  # site id -> its latest target
    by_site: Breakdown
    by_cohort: Breakdown
    by_language: Breakdown  # questionnaires sent, by the language they were given in
    by_mode: Breakdown  # questionnaires sent, by how the answers were given
    reasons: Breakdown  # anonymous reasons for not now and no
    barriers: list[Barrier]
    definitions: dict[str, str] = field(default_factory=lambda: DEFINITIONS)


def progress(session: Session, filters: Filters = Filters(), today: date | None = None) -> Progress:
    """Every figure of the dashboard for these filters, from a fixed number of queries."""
    today = today or clock.today()
    sites = all_sites(session)
    counts = {store: {site.id: dict.fromkeys(STAGES, 0) for site in sites} for store in MODELS}
    for store in filters.stores:
        for site_id, found_stage, count in stage_counts(session, store, filters):
            counts[store][site_id][found_stage] += count
    all_targets = list(session.scalars(select(ReferralTarget).order_by(ReferralTarget.period_start)))
    people = {store: person_counts(session, store, filters, today) for store in filters.stores}
    items = {store: item_shares(session, store, filters) for store in filters.stores}
    barriers = list(session.scalars(select(Barrier).order_by(Barrier.criterion, Barrier.id)))
    criteria = _criteria(people, items, _target(all_targets, filters), barriers)
    names = {site.id: site.name for site in sites}
    return Progress(filters, criteria, _recruitment_by_cohort(people), sites, counts, {t.site_id: t for t in all_targets},
                    _by_site(people, names), _by_cohort(people),
                    _breakdown(sent_by(session, filters, Administration.language), FIGURES_SENT),
                    _breakdown(sent_by(session, filters, Answer.mode), FIGURES_SENT),
                    _breakdown(reasons(session, filters), REASON_OUTCOMES), barriers)


def all_sites(session: Session) -> list[Site]:
    return list(session.scalars(select(Site).order_by(Site.name)))


def site_named(session: Session, name: str) -> int | None:
    return session.scalar(select(Site.id).where(Site.name == name))


# --- the queries (each one statement) ----------------------------------------------------------

def stage_counts(session: Session, store: str, filters: Filters = Filters()) -> list[tuple[int, str, int]]:
    """(site id, stage, how many records) for one store, counted by the database."""
    model = MODELS[store]
    closed = model.closure_date.is_not(None)
    engaged = model.first_session_date.is_not(None)
    groups = session.execute(select(model.site_id, closed, model.eligibility, engaged, func.count())
                             .where(*chosen(model, filters))
                             .group_by(model.site_id, closed, model.eligibility, engaged))
    return [(site_id, _stage(is_closed, eligibility, is_engaged), count)
            for site_id, is_closed, eligibility, is_engaged, count in groups]


def person_counts(session: Session, store: str, filters: Filters, today: date) -> dict[int, dict[str, int]]:
    """Site id -> each of FIGURES -> how many people, for one store."""
    model = MODELS[store]
    engaged = model.first_session_date.is_not(None)
    recruited = _consent(store, model, ConsentEventRow.kind == GIVEN,
                         ConsentEventRow.answers.like(_SAID_YES_TO_QUESTIONNAIRES))
    baseline, endpoint = _sent(store, model, "T1"), _sent(store, model, "T2")
    flags = {
        "referred": literal(True),
        "engaged": engaged,
        "completed": and_(engaged, model.closure_outcome == "completed"),
        "asked": _consent(store, model, ConsentEventRow.kind.in_((GIVEN, NOT_NOW, DECLINED))),
        "recruited": recruited,
        "baseline": and_(recruited, baseline),
        "endpoint_due": and_(recruited, _t2_window_closed(store, model, today) | endpoint),
        "endpoint": and_(recruited, endpoint),
    }
    columns = [func.coalesce(func.sum(case((flag, 1), else_=0)), 0).label(name) for name, flag in flags.items()]
    rows = session.execute(select(model.site_id, *columns).where(*chosen(model, filters)).group_by(model.site_id))
    return {row.site_id: {name: int(getattr(row, name)) for name in flags} for row in rows}


def item_shares(session: Session, store: str, filters: Filters) -> dict[str, dict[tuple[int, int], int]]:
    """Timepoint -> {(items answered, items recorded): how many questionnaires sent}, for one store.

    Counted in two steps by the database, so the rows read are bounded by the questionnaires'
    lengths, not by how many were sent."""
    model = MODELS[store]
    owner = Administration.owner_column(store)
    each = (select(Administration.timepoint.label("timepoint"), func.count(Answer.value).label("answered"),
                   func.count(Answer.id).label("recorded"))
            .join(Answer, Answer.administration_id == Administration.id)
            .join(model, model.id == owner)
            .where(Administration.submitted_at.is_not(None), *chosen(model, filters))
            .group_by(Administration.id, Administration.timepoint).subquery())
    shares: dict[str, dict[tuple[int, int], int]] = {"T1": {}, "T2": {}}
    for timepoint, answered, recorded, count in session.execute(
            select(each.c.timepoint, each.c.answered, each.c.recorded, func.count())
            .group_by(each.c.timepoint, each.c.answered, each.c.recorded)):
        shares.setdefault(timepoint, {})[(answered, recorded)] = count
    return shares


FIGURES_SENT = {"T1": N_("Baseline (T1) sent"), "T2": N_("Endpoint (T2) sent")}


def sent_by(session: Session, filters: Filters, column) -> dict[str, dict[str, int]]:
    """A value of `column` (the administration's language, or an answer's mode) -> timepoint ->
    questionnaires sent, over both stores in one statement. A questionnaire answered partly one
    way and partly another counts under each way."""
    conditions = [and_(Administration.owner_column(store) == MODELS[store].id, *chosen(MODELS[store], filters))
                  for store in filters.stores]
    whose = [exists().where(condition) for condition in conditions]
    query = (select(column, Administration.timepoint, func.count(func.distinct(Administration.id)))
             .where(Administration.submitted_at.is_not(None), whose[0] if len(whose) == 1 else whose[0] | whose[1])
             .group_by(column, Administration.timepoint))
    if column.table is Answer.__table__:  # only a count by an answer's column needs the answers
        query = query.join(Answer, Answer.administration_id == Administration.id)
    found: dict[str, dict[str, int]] = {}
    for value, timepoint, count in session.execute(query):
        found.setdefault(value, dict.fromkeys(FIGURES_SENT, 0))[timepoint] = count
    return found


REASON_OUTCOMES = {NOT_NOW: N_("Not now"), DECLINED: N_("No")}
REASONS = {"not_right_time": N_("Not the right time"), "worried_who_sees": N_("Worried about who sees the answers"),
           "no_point": N_("Does not see the point"), "too_much_to_do": N_("Too much to do"),
           "language_or_reading": N_("Language or reading"), "prefer_not_to_say": N_("Prefer not to say"),
           "other": N_("Other"), "not_given": N_("No reason given")}


def reasons(session: Session, filters: Filters) -> dict[str, dict[str, int]]:
    """Reason -> outcome (not now, no) -> how many times, from the anonymous tallies of the months in the period."""
    query = (select(ConsentTally.reason, ConsentTally.outcome, func.sum(ConsentTally.count))
             .where(ConsentTally.outcome.in_(REASON_OUTCOMES), ConsentTally.cohort.in_(filters.stores))
             .group_by(ConsentTally.reason, ConsentTally.outcome))
    if filters.site_id is not None:
        query = query.where(ConsentTally.site_id == filters.site_id)
    if filters.start is not None:
        query = query.where(ConsentTally.month >= f"{filters.start:%Y-%m}")
    if filters.end is not None:
        query = query.where(ConsentTally.month <= f"{filters.end:%Y-%m}")
    found: dict[str, dict[str, int]] = {}
    for reason, outcome, count in session.execute(query):
        found.setdefault(reason or "not_given", dict.fromkeys(REASON_OUTCOMES, 0))[outcome] = int(count)
    return found


def chosen(model, filters: Filters) -> list:
    """The conditions that pick the filtered people out of one store."""
    conditions = []
    if filters.site_id is not None:
        conditions.append(model.site_id == filters.site_id)
    if filters.start is not None:
        conditions.append(model.referral_date >= filters.start)
    if filters.end is not None:
        conditions.append(model.referral_date <= filters.end)
    return conditions


def _consent(store: str, model, *conditions):
    return exists().where(ConsentEventRow.store == store, ConsentEventRow.record_id == model.id, *conditions)


def _sent(store: str, model, timepoint: str):
    return exists().where(Administration.owner_column(store) == model.id, Administration.timepoint == timepoint,
                          Administration.submitted_at.is_not(None))


def _t2_window_closed(store: str, model, today: date):
    """A service user's own closure, or for an (ex-)partner the linked service user's, opened a T2
    window that has closed (domain/windows.py)."""
    latest = progression.t2_closed_if_closure_on_or_before(store, today)
    if store == SERVICE_USER:
        return model.closure_date <= latest
    return exists().where(ServiceUser.study_id == model.linked_service_user, ServiceUser.closure_date <= latest)


def _stage(closed: bool, eligibility: str, engaged: bool) -> str:
    return stage(Pathway(_SOME_DATE, eligibility, first_session_date=_SOME_DATE if engaged else None,
                         closure_date=_SOME_DATE if closed else None))


# --- from counts to criteria ---------------------------------------------------------------------

def _target(targets: list[ReferralTarget], filters: Filters) -> Fraction:
    """The referral targets of the chosen sites that overlap the period, pro rata by days."""
    total = Fraction(0)
    for target in targets:
        if filters.site_id is not None and target.site_id != filters.site_id:
            continue
        start = max(target.period_start, filters.start or target.period_start)
        end = min(target.period_end, filters.end or target.period_end)
        if end >= start:
            days = (target.period_end - target.period_start + timedelta(days=1)).days
            total += Fraction(target.target * ((end - start + timedelta(days=1)).days), days)
    return total


def _sum(people: dict[str, dict[int, dict[str, int]]], name: str, stores=STORES) -> int:
    return sum(counts[name] for store in stores if store in people for counts in people[store].values())


def _criteria(people, items, target: Fraction, barriers: list[Barrier]) -> list[Figure]:
    su = (SERVICE_USER,)
    shares = {timepoint: [items[store].get(timepoint, {}) for store in items] for timepoint in ("T1", "T2")}
    fractions: dict[int, tuple[Fraction | int, Fraction | int]] = {
        1: (_sum(people, "referred", su), target),
        2: (_sum(people, "engaged", su), _sum(people, "referred", su)),
        3: (_sum(people, "completed", su), _sum(people, "engaged", su)),
        5: (_sum(people, "recruited"), _sum(people, "asked")),
        6: (_sum(people, "baseline"), _sum(people, "recruited")),
        7: (_sum(people, "endpoint"), _sum(people, "endpoint_due")),
        8: progression.average_share(_merged(shares["T1"])),
        9: progression.average_share(_merged(shares["T2"])),
    }
    figures = []
    for criterion in CRITERIA:
        if criterion.kind == BARRIERS:
            own = [b.surmountable for b in barriers if b.criterion == criterion.number]
            figures.append(Figure(criterion, None, None, None, progression.barrier_rating(own)))
            continue
        numerator, denominator = fractions[criterion.number]
        figures.append(Figure(criterion, numerator, denominator, progression.percent(numerator, denominator),
                              progression.rating(criterion, numerator, denominator)))
    return figures


def _recruitment_by_cohort(people) -> list[Figure]:
    criterion = progression.BY_NUMBER[5]
    figures = []
    for store in people:
        numerator, denominator = _sum(people, "recruited", (store,)), _sum(people, "asked", (store,))
        figures.append(Figure(criterion, numerator, denominator, progression.percent(numerator, denominator),
                              progression.rating(criterion, numerator, denominator), store))
    return figures


def _merged(parts: list[dict[tuple[int, int], int]]) -> dict[tuple[int, int], int]:
    merged: dict[tuple[int, int], int] = {}
    for part in parts:
        for key, count in part.items():
            merged[key] = merged.get(key, 0) + count
    return merged


# --- breakdowns, with small counts hidden ---------------------------------------------------------

def _breakdown(rows: dict[str, dict[str, int]], columns: dict[str, str]) -> Breakdown:
    """Rows of counts that add up to a total in each column; each column is suppressed as one group."""
    keys = sorted(rows)
    shown = {key: {} for key in keys}
    total = {}
    for column in columns:
        cells = progression.suppress({key: rows[key].get(column, 0) for key in keys})
        for key in keys:
            shown[key][column] = cells[key]
        total[column] = progression.suppress_total(sum(rows[key].get(column, 0) for key in keys))
    return Breakdown([(key, shown[key]) for key in keys], columns, total)


def _by_site(people: dict[str, dict[int, dict[str, int]]], names: dict[int, str]) -> Breakdown:
    rows: dict[str, dict[str, int]] = {}
    for by_site in people.values():
        for site_id, counts in by_site.items():
            row = rows.setdefault(names[site_id], dict.fromkeys(FIGURES, 0))
            for name, count in counts.items():
                row[name] += count
    return _breakdown(rows, FIGURES)


def _by_cohort(people: dict[str, dict[int, dict[str, int]]]) -> Breakdown:
    rows = {store: {name: _sum(people, name, (store,)) for name in FIGURES} for store in people}
    return _breakdown(rows, FIGURES)
