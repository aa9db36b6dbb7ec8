"""Practitioners' pages: their caseload, and records in the one store their role works in."""

from flask import Blueprint

bp = Blueprint("practitioner", __name__)

from survey_app.web.practitioner import assisted, consent, texts, views  # noqa: E402,F401
