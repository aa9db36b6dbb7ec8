"""The sample-size planner page: a plan for the inputs given, Table F1's three scenarios, and how many
years of referrals each would take at this platform's own rate.

The rate is the service-user referrals received in the last 365 days: the trial Table F1 sizes is of the
service users' one-to-one intervention (URICA as the outcome), and each family's referral is one
service-user record, so the victim-survivor store is not counted again. Like the report's own
"seven to nine years", it divides the eligible referrals needed by all referrals received.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain.planning import InvalidPlan, Plan, PlanInputs, plan, study_scenarios, years_of_referrals
from survey_app.domain.text import Message
from survey_app.store.records import ServiceUser

YEAR = timedelta(days=365)


@dataclass(frozen=True)
class Planned:
    plan: Plan
    years: float | None  # of referrals at the platform's rate; None while the rate is unknown


@dataclass(frozen=True)
class PlannerPage:
    planned: Planned | None  # None when nothing was asked, or the inputs were refused
    problems: dict[str, Message]  # field -> why it was refused
    scenarios: list[Planned]  # Table F1, at the study's inputs
    referrals_per_year: int  # service-user referrals in the last 365 days


def planner_page(session: Session, values: Mapping[str, float] | None = None) -> PlannerPage:
    """Everything the planner page shows; `values` are PlanInputs' fields, or None to plan nothing."""
    per_year = referrals_in_last_year(session)
    planned, problems = None, {}
    if values is not None:
        try:
            planned = _planned(plan(PlanInputs(**values)), per_year)
        except InvalidPlan as refusal:
            problems = refusal.problems
    return PlannerPage(planned, problems, [_planned(found, per_year) for found in study_scenarios()], per_year)


def _planned(found: Plan, per_year: int) -> Planned:
    return Planned(found, years_of_referrals(found.referrals, per_year))


def referrals_in_last_year(session: Session) -> int:
    """Service-user referrals dated in the 365 days up to and including today, counted by the database."""
    today = clock.today()
    return session.scalar(select(func.count()).select_from(ServiceUser)
                          .where(ServiceUser.referral_date > today - YEAR, ServiceUser.referral_date <= today))
