"""Showing the domain's words to a person, in their language."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, gettext

from survey_app.domain.text import Message
from survey_app.web.numerals import count, long_date


def say(message: Message | Exception | str) -> str:
    """Translate words the domain marked with N_; an exception's words are its first argument."""
    if isinstance(message, Exception):
        message = str(message.args[0]) if message.args else ""
    if isinstance(message, str):
        return gettext(message)
    values = {name: long_date(value) if isinstance(value, date) else
              count(value) if isinstance(value, int) and not isinstance(value, bool) else value
              for name, value in message.values.items()}
    return gettext(message.text, **values)


def in_language(text: str, language: str) -> str:
    """Catalogue text in a given language, whoever is reading (a text goes in the language it was made for)."""
    with force_locale(language):
        return gettext(text)
