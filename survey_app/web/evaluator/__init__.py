"""Evaluators' pages: counts and progress only; never a person's record or contact details."""

from flask import Blueprint

bp = Blueprint("evaluator", __name__, url_prefix="/evaluator")

from survey_app.web.evaluator import datasets, plan, views  # noqa: E402,F401
