"""The consent documents the running app offers, loaded once per process."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from survey_app.domain.consent_documents import ConsentLibrary, load_library


def consent_library() -> ConsentLibrary:
    library = current_app.extensions.get("consent_library")
    if library is None:
        library = load_library(Path(current_app.config["SURVEY_CONSENT_DIR"]))
        for problem in library.problems:
            current_app.logger.warning("consent document problem: %s", problem)
        current_app.extensions["consent_library"] = library
    return library
