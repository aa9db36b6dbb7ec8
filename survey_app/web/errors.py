"""Error pages: one plain page per kind of failure, in the shell of the page that failed.

A participant's request (anything under the participant blueprint's /q) gets the participant
shell: quick exit, neutral title, no word about what the questions are about. Everything else
gets the staff shell. Security headers, no-store included, are added by survey_app.security to
every response, error pages too.
"""

from __future__ import annotations

from datetime import timedelta
from math import ceil

from flask import Flask, current_app, g, render_template, request
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, TooManyRequests

from survey_app.extensions import close_db_session
from survey_app.services import outage

PARTICIPANT_BLUEPRINT = "participant"
# A practitioner's shared screen shows the participant's pages and nothing else (no menus, no
# caseload), so an error there must not bring the staff shell onto the shared screen either.
SHARED_SCREEN_PREFIX = "/screen/"

# Heading and paragraphs for each status. Every word here may appear on a participant's screen,
# so none of it may say what the questions are about.
PAGES = {
    400: (_l("Sorry, there is a problem with that request"),
          [_l("Go back, reload the page and try again."), _l("Anything already saved is kept.")]),
    403: (_l("You cannot see this page"), [_l("Your role does not include this page.")]),
    404: (_l("Page not found"), [_l("If you typed the address, check it is correct.")]),
    405: (_l("This page cannot be opened that way"),
          [_l("Go back and use the links and buttons on the page.")]),
    413: (_l("What you sent is too long"),
          [_l("Go back, make it shorter and try again."), _l("Anything already saved is kept.")]),
    429: (_l("Please wait before trying again"), []),
    500: (_l("Sorry, there is a problem"),
          [_l("Try again later."), _l("Anything already saved is kept.")]),
}
# The database cannot be reached (a restart, a network break): nothing the person gave is lost.
# (Words every shipped language already has; the page adds a button back to the same page.)
OUTAGE = (_l("Sorry, there is a problem"), [_l("Anything already saved is kept."), _l("Try again later.")])
RETRY_AFTER_SECONDS = 30
# A form sent after its page's session ended (left open too long, or a second tab).
EXPIRED = (_l("This page has expired"),
           [_l("Anything already saved is kept."), _l("Go back, reload the page and try again.")])


def register_errorhandlers(app: Flask) -> None:
    for status in (400, 403, 404, 405, 413):
        app.register_error_handler(status, _plain_page)
    app.register_error_handler(CSRFError, _expired_page)
    app.register_error_handler(429, _wait_page)
    app.register_error_handler(500, _problem_page)
    for database_error in outage.DATABASE_ERRORS:
        app.register_error_handler(database_error, _outage_page)
    app.after_request(_note_database_answered)


def _plain_page(error: HTTPException):
    if error.code == 404 and on_participant_page():
        # The same page as an unknown or finished link: a broken link is a broken link.
        return render_template("participant/link_not_working.html"), 404
    heading, paragraphs = PAGES[error.code]
    return error_page(error.code, heading, paragraphs)


def _expired_page(_error: CSRFError):
    heading, paragraphs = EXPIRED
    return error_page(400, heading, paragraphs)


def _wait_page(error: HTTPException):
    seconds = _seconds_to_wait(error)
    heading, _paragraphs = PAGES[429]
    # Rounded up to whole minutes: telling someone to wait less than they must only refuses them again.
    wait = format_timedelta(timedelta(minutes=max(1, ceil(seconds / 60))), granularity="minute",
                            threshold=60, add_direction=False)
    response = error_page(429, heading, [_("Wait %(wait)s, then try again.", wait=wait)])
    response.headers["Retry-After"] = str(seconds)
    return response


def _seconds_to_wait(error: HTTPException) -> int:
    """Seconds until the broken limit's window ends, as the limit said (web/limits.py)."""
    if isinstance(error, TooManyRequests) and isinstance(error.retry_after, int):
        return error.retry_after
    return 60


def _problem_page(_error: HTTPException):
    # Flask has already logged the exception with its traceback (app.logger, "Exception on ...").
    # Whatever the failed request had half-done is thrown away before the page is drawn: the page
    # itself may read the database (who is signed in), and must not do so on a broken session.
    close_db_session()
    # Who is signed in is read again on the fresh session: the copy web/session.py kept for this
    # request belonged to the closed one (and a refused write has already expired it).
    g.pop("current_staff", None)
    heading, paragraphs = PAGES[500]
    return error_page(500, heading, paragraphs)


def _outage_page(error: Exception):
    """503 while the database cannot be reached, logged once per outage (services/outage.py). A
    database error that is not an outage (a mistake in a query) is a 500 like any other failure."""
    if not outage.is_outage(error):
        current_app.log_exception((type(error), error, error.__traceback__))
        return _problem_page(error)
    outage.noticed(error)
    try:
        close_db_session()
    except Exception:  # noqa: BLE001 - the connection is already gone; the pool replaces it
        g.pop("db_session", None)
    # The page must not ask the database who is signed in: it cannot answer. The shell is drawn
    # without the staff menu this once.
    g.current_staff = None
    heading, paragraphs = OUTAGE
    retry = request.full_path.rstrip("?") if request.method == "GET" else request.path
    response = error_page(503, heading, paragraphs, retry_url=retry)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _note_database_answered(response):
    # A request that used the database and did not fail: any outage is over.
    if "db_session" in g and response.status_code < 500:
        outage.answered()
    return response


def error_page(status: int, heading, paragraphs, retry_url: str | None = None):
    page = render_template("errors/error.html", participant=on_participant_page(), heading=heading,
                           paragraphs=paragraphs, retry_url=retry_url)
    return current_app.make_response((page, status))


def on_participant_page() -> bool:
    """Whether the failed request was a participant's: its blueprint, a page on a practitioner's
    shared screen (by its path, which a 405 or a mistyped address has without an endpoint), or a
    path under the participant prefix (a mistyped link matches no route, so it has no blueprint)."""
    if request.blueprint == PARTICIPANT_BLUEPRINT or request.path.startswith(SHARED_SCREEN_PREFIX):
        return True
    prefix = current_app.blueprints[PARTICIPANT_BLUEPRINT].url_prefix
    return request.path == prefix or request.path.startswith(prefix + "/")
