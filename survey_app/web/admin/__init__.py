"""Admins' pages: sites, staff, referral targets and the audit log. No participant records."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from survey_app.web.admin import translations, views  # noqa: E402,F401
