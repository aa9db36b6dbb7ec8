"""Which language a page is shown in: the participant's chosen language, then the browser's, then
the default; only ever one of SURVEY_LOCALES.

It lives in the web layer, beside the session it reads, so the core (extensions.py) never
imports a blueprint.
"""

from __future__ import annotations

from flask import Flask, current_app, request, session

from survey_app.extensions import babel

# The participant pages keep this browser's progress (and chosen language) under this key.
PARTICIPANT_SESSION_KEY = "participant"


def chosen_language() -> str | None:
    """The language a participant chose on the language page, if any."""
    return (session.get(PARTICIPANT_SESSION_KEY) or {}).get("language")


def select_locale() -> str:
    """A participant's chosen language first, then the browser's, then the default."""
    supported = current_app.config["SURVEY_LOCALES"]
    chosen = chosen_language()
    if chosen in supported:
        return chosen
    return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_locale(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
