"""Who is signed in, and for how long. (Who may reach which page is decided in web/permissions.py.)

A staff session lives in Flask's session cookie (encrypted: survey_app/security.py): the staff id, the
account's session generation when it began, and the moment of the last request. It ends after a
configurable time without activity (30 minutes by default), at sign-out, with a new password or new
sign-in codes, and when the account is deactivated. Each of these raises the account's generation in
the database, which every request checks, so a copy of the cookie kept from before is refused too.
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
    session.update({"staff_id": staff.id, "generation": staff.session_generation, "stage": stage,
                    "seen_at": clock.seconds()})


def end() -> None:
    session.clear()


def pending_staff():
    """The person who has given a right password and still owes a code (or must set one up)."""
    if session.get("stage") != PASSWORD_CHECKED or _expired():
        return None
    return _still_valid(staff_service.active_staff(db_session(), session.get("staff_id")))


def current_staff():
    """The signed-in member of staff (an active account), or None."""
    if "current_staff" in g:
        return g.current_staff
    staff = None
    if session.get("stage") == SIGNED_IN:
        if _expired():
            staff_service.session_ran_out(db_session(), session.get("staff_id"), session.get("generation"))
            end()
            flash(_("You were signed out because you had not done anything for a while. Sign in again."))
        else:
            staff = _still_valid(staff_service.active_staff(db_session(), session.get("staff_id")))
            if staff is None:
                end()
            else:
                session["seen_at"] = clock.seconds()
    g.current_staff = staff
    return staff


def _still_valid(staff):
    """The account, if this session began in its current generation (none has ended it since)."""
    return staff if staff is not None and staff.session_generation == session.get("generation") else None


def _expired() -> bool:
    limit = current_app.config["SURVEY_SESSION_MINUTES"] * 60
    return clock.seconds() - int(session.get("seen_at", 0)) > limit


def sign_in_redirect():
    """To sign-in, coming back to this page afterwards."""
    return redirect(url_for("auth.sign_in", next=request.full_path if request.args else request.path))
