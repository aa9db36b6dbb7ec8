"""WTForms' own messages ("Not a valid choice"...) in the page's language, loaded once per process.

Flask-WTF reads WTForms' catalogue from disk and parses it again on every request that builds a
form (it keeps it on `request.wtforms_translations` for that request only): a few milliseconds per
page, on every question of every questionnaire. Here each language's catalogue is loaded once and
put where Flask-WTF looks for it, chosen by the same page language (flask_babel.get_locale) at the
moment a message is first needed.
"""

from __future__ import annotations

import threading

from babel import support
from flask import Flask, request
from flask_babel import get_locale
from wtforms.i18n import messages_path

_loaded: dict[str, support.Translations] = {}
_lock = threading.Lock()


def _catalogue():
    locale = get_locale()
    key = str(locale)
    found = _loaded.get(key)
    if found is None:
        with _lock:
            found = _loaded.get(key)
            if found is None:
                found = _loaded[key] = support.Translations.load(messages_path(), [locale], domain="wtforms")
    return found


class _PageLanguage:
    """What Flask-WTF asks of `request.wtforms_translations`, answered from the process's catalogues."""

    def ugettext(self, string):
        return _catalogue().ugettext(string)

    def ungettext(self, singular, plural, n):
        return _catalogue().ungettext(singular, plural, n)


_PAGE_LANGUAGE = _PageLanguage()


def init_form_translations(app: Flask) -> None:
    @app.before_request
    def _use_loaded_catalogues():
        request.wtforms_translations = _PAGE_LANGUAGE
