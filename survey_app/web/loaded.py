"""The instrument catalogue and consent documents the running app offers, each loaded once
per process. A file with problems is left out, and each problem is logged."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import current_app

from survey_app.domain.catalogue import Catalogue, load_catalogue
from survey_app.domain.consent_documents import ConsentLibrary, load_library
from survey_app.domain.verification import confirmation_required


def _once(key: str, load: Callable, folder_setting: str):
    loaded = current_app.extensions.get(key)
    if loaded is None:
        loaded = load(Path(current_app.config[folder_setting]))
        for problem in loaded.problems:
            current_app.logger.warning("%s problem: %s", key, problem)
        current_app.extensions[key] = loaded
    return loaded


def consent_library() -> ConsentLibrary:
    return _once("consent_library", load_library, "SURVEY_CONSENT_DIR")


def instrument_catalogue() -> Catalogue:
    return _once("instrument_catalogue", load_catalogue, "SURVEY_INSTRUMENTS_DIR")


def wording_confirmation_required() -> bool:
    """Whether this app offers only versions whose wording an admin has confirmed (production)."""
    return confirmation_required(current_app.config["SURVEY_MODE"])
