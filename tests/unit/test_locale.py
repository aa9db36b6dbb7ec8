"""Choosing a page's language: one module in the web layer, which the core never imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import g

import survey_app
from survey_app.web import browser_progress
from survey_app.web.locale import (
    LINK_LANGUAGE,
    LINK_LANGUAGES,
    select_locale,
)


def test_the_core_imports_no_part_of_the_web_layer():
    """extensions.py once imported a participant module that imported extensions.py back."""
    tree = ast.parse((Path(survey_app.__file__).parent / "extensions.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {name for name in imported if name.startswith("survey_app.web")}


@pytest.mark.parametrize("chosen, browser, shown", [
    ("cy", "en", "cy"),  # the participant's choice first
    ("ur", "cy", "cy"),  # a choice the pages do not offer is passed over for the browser's
    (None, "fr", "en"),  # then the default
])
def test_a_page_is_shown_in_the_chosen_language_then_the_browsers_then_the_default(
        app, monkeypatch, chosen, browser, shown):
    monkeypatch.setitem(app.config, "SURVEY_LOCALES", ["en", "cy"])
    with app.test_request_context(headers={"Accept-Language": browser}):
        if chosen:
            browser_progress.replace({"language": chosen})
        assert select_locale() == shown


@pytest.mark.parametrize("chosen, remembered, browser, shown", [
    (None, "ur", "ar", "ur"),  # the language remembered on the link wins over the browser's
    ("ar", "ur", "ur", "ar"),  # a choice made in this browser since wins over both
    (None, "cy", "ar", "ar"),  # a remembered language the pages no longer offer is passed over
    (None, None, "ta", "en"),  # and so is a browser's
])
def test_on_a_link_the_remembered_language_comes_before_the_browsers(app, monkeypatch, chosen, remembered, browser,
                                                                      shown):
    monkeypatch.setitem(app.config, "SURVEY_LOCALES", ["en", "ar", "ur"])
    with app.test_request_context(headers={"Accept-Language": browser}):
        setattr(g, LINK_LANGUAGES, ["en", "ar"])  # the link's languages decide its documents, not the pages'
        setattr(g, LINK_LANGUAGE, remembered)
        if chosen:
            browser_progress.replace({"language": chosen})
        assert select_locale() == shown
