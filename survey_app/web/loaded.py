"""The instrument catalogue and consent documents the running app offers, each loaded once
per process (and again when its lock changes). A file with problems is left out, and each
problem is logged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel import UnknownLocaleError
from flask import current_app, g

from survey_app.domain.catalogue import LOCK_FILE, Catalogue, load_catalogue
from survey_app.domain.consent_documents import (
    ConsentDocument,
    ConsentLibrary,
    load_library,
)
from survey_app.domain.verification import confirmation_required
from survey_app.web.text import in_language


def _once(key: str, load: Callable, folder_setting: str):
    """Loaded once, and again whenever the folder's lock file changes: a translation an admin
    publishes from the pages is offered at once, by every process. The lock is looked at on a
    request's first ask (a page asks several times), so the page that publishes must not ask before."""
    seen = g.setdefault("survey_loaded", {})
    if key not in seen:
        seen[key] = _current(key, load, folder_setting)
    return seen[key]


def _current(key: str, load: Callable, folder_setting: str):
    folder = Path(current_app.config[folder_setting])
    stamp = _stamp(folder / LOCK_FILE)
    loaded, loaded_stamp = current_app.extensions.get(key, (None, None))
    if loaded is None or loaded_stamp != stamp:
        loaded = load(folder)
        for problem in loaded.problems:
            current_app.logger.warning("%s problem: %s", key, problem)
        current_app.extensions[key] = (loaded, stamp)
    return loaded


def _stamp(lock: Path) -> tuple[str, int, int]:
    try:
        found = lock.stat()
    except FileNotFoundError:
        return str(lock), 0, 0
    return str(lock), found.st_mtime_ns, found.st_size


def consent_library() -> ConsentLibrary:
    return _once("consent_library", load_library, "SURVEY_CONSENT_DIR")


def consent_document(audience: str, language: str) -> ConsentDocument | None:
    """The current consent document in `language`, its contacts (study.yaml's) in that language too
    where the catalogue has them, whatever the language of the page showing it."""
    def translate(text: str) -> str:
        try:
            return in_language(text, language.replace("-", "_"))
        except (UnknownLocaleError, ValueError):  # a language Babel does not know has no catalogue either
            return text

    return consent_library().current(audience, language, translate=translate)


def instrument_catalogue() -> Catalogue:
    return _once("instrument_catalogue", load_catalogue, "SURVEY_INSTRUMENTS_DIR")


def wording_confirmation_required() -> bool:
    """Whether this app offers only versions whose wording an admin has confirmed (production)."""
    return confirmation_required(current_app.config["SURVEY_MODE"])
