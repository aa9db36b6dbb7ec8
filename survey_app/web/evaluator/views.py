from __future__ import annotations

from flask import render_template

from survey_app.domain.pathway import STAGES
from survey_app.extensions import db_session
from survey_app.services.progress import progress
from survey_app.web.evaluator import bp


@bp.get("/")
def index():
    """Referrals by site and stage in each store, beside the sites' referral targets."""
    page = progress(db_session())
    return render_template("evaluator/index.html", sites=page.sites, counts=page.counts, stages=STAGES,
                           targets=page.targets)
