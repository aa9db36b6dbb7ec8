from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from survey_app.domain.access import EVALUATOR
from survey_app.domain.pathway import STAGES, stage
from survey_app.extensions import db_session
from survey_app.services.records import pathway_of
from survey_app.store.records import MODELS
from survey_app.store.staff import ReferralTarget, Site
from survey_app.web.evaluator import bp
from survey_app.web.session import staff_required


@bp.get("/")
@staff_required(EVALUATOR)
def index():
    """Referrals by site and stage in each store, beside the sites' referral targets."""
    sites = db_session().scalars(select(Site).order_by(Site.name)).all()
    counts = {store: {site.id: dict.fromkeys(STAGES, 0) for site in sites} for store in MODELS}
    for store, model in MODELS.items():
        for record in db_session().scalars(select(model)):
            counts[store][record.site_id][stage(pathway_of(record))] += 1
    targets = {t.site_id: t for t in db_session().scalars(select(ReferralTarget))}
    return render_template("evaluator/index.html", sites=sites, counts=counts, stages=STAGES, targets=targets)
