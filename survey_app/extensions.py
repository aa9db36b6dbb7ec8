"""Flask extensions and the per-request database session, initialised in the factory."""

from __future__ import annotations

from flask import Flask, current_app, g
from flask_babel import Babel, get_locale, gettext
from flask_wtf import CSRFProtect
from sqlalchemy.orm import Session

from survey_app.services import outage
from survey_app.store.db import make_engine, make_session_factory

babel = Babel()
csrf = CSRFProtect()


def init_extensions(app: Flask) -> None:
    """Babel is set up by survey_app.web.locale.init_locale, which knows how a page's language is chosen."""
    csrf.init_app(app)
    engine = make_engine(app.config["SURVEY_DATABASE_URL"])
    app.extensions["survey_engine"] = engine
    app.extensions["survey_sessions"] = make_session_factory(engine)
    app.teardown_appcontext(lambda _exc: close_db_session())
    app.context_processor(_page_context)


def db_session() -> Session:
    """The request's database session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["survey_sessions"]()
    return g.db_session


def close_db_session() -> None:
    """Close the request's session, throwing away anything not committed; the next db_session()
    opens a fresh one. Called at teardown, and by the error page of a request that failed.

    A database that went away after the page's own work (a restart between its last statement and
    this rollback) has nothing left to roll back: the page's reply stands, instead of a server error
    in place of, say, the redirect after an answer that was saved."""
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except Exception as error:
        if not outage.is_outage(error):
            raise
        outage.noticed(error)


def _page_context() -> dict:
    locale = get_locale()
    return {
        "html_lang": str(locale).replace("_", "-") if locale else "en",
        "html_dir": locale.text_direction if locale else "ltr",
        # Neutral unless an admin chooses a name: nothing on screen says what the questions are about.
        "service_name": current_app.config["SURVEY_SERVICE_NAME"] or gettext("Questionnaire"),
    }
