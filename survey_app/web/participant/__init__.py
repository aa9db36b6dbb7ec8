"""The participant's way in: a private link, an optional access code, a language, then consent.

Every page here uses templates/participant/base.html: a quick exit, a neutral title and
header, no name on screen, and nothing loaded from anywhere but the platform.
"""

from flask import Blueprint

bp = Blueprint("participant", __name__, url_prefix="/q")

from survey_app.web.participant import consent, views  # noqa: E402,F401
