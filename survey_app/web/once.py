"""A hidden token on every form whose post records something that must happen once (a consent
decision, a withdrawal, a new record). The page makes a fresh token each time it is drawn; the
use case claims it (services/submissions.py), so the same form sent twice is acted on once."""

from __future__ import annotations

import secrets

from flask import request
from wtforms import HiddenField
from wtforms.validators import Length, Optional

from survey_app.extensions import db_session
from survey_app.services import submissions


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SentOnce:
    """Mix into a FlaskForm and render `{{ form.once }}` beside `{{ form.csrf_token }}`."""

    once = HiddenField(default=new_token, validators=[Optional(), Length(max=64)])


def sent_before() -> bool:
    """Whether this post repeats a form already acted on: the reply to the first was lost, and the
    progress the first changed (kept on the server) has moved on, so the page leads where the first did."""
    token = request.form.get("once") if request.method == "POST" else None
    return bool(token) and submissions.acted_on(db_session(), token)
