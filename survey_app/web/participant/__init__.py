"""The participant's pages: a private link, an optional access code, a language, consent, then
the questionnaires.

Every page here uses templates/participant/base.html: a quick exit, a neutral title and
header, no name on screen, and nothing loaded from anywhere but the platform.
"""

from flask import Blueprint

bp = Blueprint("participant", __name__, url_prefix="/q")

from survey_app.web.participant import consent, questionnaire, views  # noqa: E402,F401
