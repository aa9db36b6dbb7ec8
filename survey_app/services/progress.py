"""Counts for the evaluator: referrals by site and stage in each store, beside the sites' targets.

Counting is done by the database (GROUP BY), never by loading records: the rows read grow with
the number of sites, not of people. The stage is named by the domain's own rule
(domain/pathway.py `stage`), applied once to each group of the fields that decide it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.domain.pathway import STAGES, Pathway, stage
from survey_app.store.records import MODELS
from survey_app.store.staff import ReferralTarget, Site

# The stage depends on whether there is a closure date and a first session, and on eligibility,
# never on the dates themselves; any date stands in for "there is one".
_SOME_DATE = date.min


@dataclass(frozen=True)
class Progress:
    sites: list[Site]
    counts: dict[str, dict[int, dict[str, int]]]  # store -> site id -> stage -> how many
    targets: dict[int, ReferralTarget]  # site id -> its latest target


def progress(session: Session) -> Progress:
    sites = list(session.scalars(select(Site).order_by(Site.name)))
    counts = {store: {site.id: dict.fromkeys(STAGES, 0) for site in sites} for store in MODELS}
    for store in MODELS:
        for site_id, found_stage, count in stage_counts(session, store):
            counts[store][site_id][found_stage] += count
    targets = {t.site_id: t for t in session.scalars(select(ReferralTarget).order_by(ReferralTarget.period_start))}
    return Progress(sites, counts, targets)


def stage_counts(session: Session, store: str) -> list[tuple[int, str, int]]:
    """(site id, stage, how many records) for one store, counted by the database."""
    model = MODELS[store]
    closed = model.closure_date.is_not(None)
    engaged = model.first_session_date.is_not(None)
    groups = session.execute(select(model.site_id, closed, model.eligibility, engaged, func.count())
                             .group_by(model.site_id, closed, model.eligibility, engaged))
    return [(site_id, _stage(is_closed, eligibility, is_engaged), count)
            for site_id, is_closed, eligibility, is_engaged, count in groups]


def _stage(closed: bool, eligibility: str, engaged: bool) -> str:
    return stage(Pathway(_SOME_DATE, eligibility, first_session_date=_SOME_DATE if engaged else None,
                         closure_date=_SOME_DATE if closed else None))
