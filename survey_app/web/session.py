"""Who is signed in, and for how long. (Who may reach which page is decided in web/permissions.py.)

A staff session lives in Flask's signed cookie: the staff id, the moment of sign-in and of
the last request. It ends after a configurable time without activity (30 minutes by
default), when the account is deactivated, or at sign-out.
"""

from __future__ import annotations


from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from survey_app import clock
from survey_app.extensions import db_session
from survey_app.services import staff as staff_service

SIGNED_IN = "signed_in"
PASSWORD_CHECKED = "password_checked"  # waiting for the second factor


def start(staff, stage: str) -> None:
    session.clear()
    session.update({"staff_id": staff.id, "stage": stage, "seen_at": clock.seconds()})


def end() -> None:
    session.clear()


def pending_staff():
    """The person who has given a right password and still owes a code (or must set one up)."""
    if session.get("stage") != PASSWORD_CHECKED or _expired():
        return None
    return staff_service.active_staff(db_session(), session.get("staff_id"))


def current_staff():
    """The signed-in member of staff (an active account), or None."""
    if "current_staff" in g:
        return g.current_staff
    staff = None
    if session.get("stage") == SIGNED_IN:
        if _expired():
            end()
            flash(_("You were signed out because you had not done anything for a while. Sign in again."))
        else:
            staff = staff_service.active_staff(db_session(), session.get("staff_id"))
            if staff is None:
                end()
            else:
                session["seen_at"] = clock.seconds()
    g.current_staff = staff
    return staff


def _expired() -> bool:
    limit = current_app.config["SURVEY_SESSION_MINUTES"] * 60
    return clock.seconds() - int(session.get("seen_at", 0)) > limit


def sign_in_redirect():
    """To sign-in, coming back to this page afterwards."""
    return redirect(url_for("auth.sign_in", next=request.full_path if request.args else request.path))
