"""Sites (boroughs) where the programme runs, and their referral targets: the admin's use cases,
for the web pages and the `survey sites` commands alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.domain import limits
from survey_app.domain.text import N_, Message
from survey_app.services import audit
from survey_app.services.audit import Actor
from survey_app.services.refusal import Refused, refuse_if_too_long
from survey_app.services.unit_of_work import transaction
from survey_app.store.staff import ReferralTarget, Site


def all_sites(session: Session) -> list[Site]:
    return list(session.scalars(select(Site).order_by(Site.name)))


def add_site(session: Session, name: str, actor: Actor) -> Site:
    """A new site; a name already in use is refused, whoever asks."""
    name = name.strip()
    refuse_if_too_long(name, limits.SITE_NAME, "name")
    with transaction(session):
        if session.scalars(select(Site.id).where(Site.name == name)).first() is not None:
            raise Refused(Message(N_("There is already a site with this name")), "name")
        site = Site(name=name, active=True)
        session.add(site)
        audit.record(session, actor, "site.create", f"site:{name}")
    return site


def site_ids(session: Session, names: list[str] | tuple[str, ...]) -> tuple[list[int], list[str]]:
    """The ids of the sites with these names, and the names that match no site."""
    found = {site.name: site.id for site in session.scalars(select(Site).where(Site.name.in_(names)))}
    return list(found.values()), sorted(set(names) - set(found))


@dataclass(frozen=True)
class TargetsPage:
    rows: list[tuple[ReferralTarget, Site]]
    sites: list[Site]


def targets_page(session: Session) -> TargetsPage:
    rows = session.execute(select(ReferralTarget, Site).join(Site)
                           .order_by(Site.name, ReferralTarget.period_start)).all()
    return TargetsPage([(target, site) for target, site in rows], all_sites(session))


def set_target(session: Session, site_id: int, period_start: date, period_end: date, target: int,
               actor: Actor) -> ReferralTarget:
    if period_end < period_start:
        raise Refused(Message(N_("The end must be after the start")), "period_end")
    with transaction(session):
        row = ReferralTarget(site_id=site_id, period_start=period_start, period_end=period_end, target=target)
        session.add(row)
        audit.record(session, actor, "target.set", f"site:{site_id}", {"target": target})
    return row
