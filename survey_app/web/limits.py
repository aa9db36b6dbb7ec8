"""Per-address limits on forms that guess at something (access codes, sign-in), counted in the
database by services/attempts.py so that every worker shares the count. Behind a reverse proxy the
app must take the client's address from the proxy (werkzeug's ProxyFix), or every client counts as
the proxy."""

from __future__ import annotations

from functools import wraps

from flask import request
from werkzeug.exceptions import TooManyRequests

from survey_app.extensions import db_session
from survey_app.services import attempts


def limited(limit: attempts.Limit):
    """Count each POST to the view against `limit`; past it, the wait page (429, with Retry-After)."""
    def decorate(view):
        @wraps(view)
        def counted(*args, **kwargs):
            if request.method == "POST":
                wait = attempts.wait_seconds(db_session(), limit, request.remote_addr or "")
                if wait:
                    raise TooManyRequests(retry_after=wait)
            return view(*args, **kwargs)
        return counted
    return decorate
