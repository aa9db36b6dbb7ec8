"""A hidden token on every form whose post records something that must happen once (a consent
decision, a withdrawal, a new record). The page makes a fresh token each time it is drawn; the
use case claims it (services/submissions.py), so the same form sent twice is acted on once."""

from __future__ import annotations

import secrets

from wtforms import HiddenField
from wtforms.validators import Length, Optional


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SentOnce:
    """Mix into a FlaskForm and render `{{ form.once }}` beside `{{ form.csrf_token }}`."""

    once = HiddenField(default=new_token, validators=[Optional(), Length(max=64)])
