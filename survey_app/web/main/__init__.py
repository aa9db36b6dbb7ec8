"""Pages anyone may reach: the home page and the platform's own assets."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from survey_app.web.main import views  # noqa: E402,F401
