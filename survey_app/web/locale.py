"""Which language a page is shown in: the language the participant chose in this browser, then the
one remembered on their link (the choice of an earlier visit), then the browser's, then the default;
only ever one of SURVEY_LOCALES. The pages' own words can be in any of them; the consent document and
the questions are in the page's language only where the link can be used in it
(services/participant_languages.offered, which participant/visit.py puts on `g` for the request and
for the language chooser), else in the default.

It lives in the web layer, beside the session it reads, so the core (extensions.py) never
imports a blueprint.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

from survey_app.extensions import babel
from survey_app.services import outage
from survey_app.web import browser_progress

# Set on `g` by a participant page once its link is known: the languages that link can be used in,
# and the one remembered on it.
LINK_LANGUAGES, LINK_LANGUAGE = "link_languages", "link_language"


def chosen_language() -> str | None:
    """The language a participant chose on the language page, if any. While the database cannot be
    reached (the outage page is being shown) nobody's choice can be known: None."""
    try:
        return browser_progress.current().get("language")
    except outage.DATABASE_ERRORS:
        return None


def select_locale() -> str:
    """The language chosen in this browser, then the link's remembered one, then the browser's, then
    the default."""
    supported = current_app.config["SURVEY_LOCALES"]
    for candidate in (chosen_language(), g.get(LINK_LANGUAGE)):
        if candidate in supported:
            return candidate
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_locale(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
