"""The language an interpreter speaks, as a practitioner writes it, kept as a standard tag."""

from __future__ import annotations

import pytest

from survey_app.domain.spoken_languages import spoken_language_tag


@pytest.mark.parametrize("written, tag", [
    ("Sylheti", "syl"), (" sylheti ", "syl"), ("Pashto", "ps"), ("Tamil", "ta"), ("اردو", "ur"),
    ("syl", "syl"), ("PA-arab", "pa-Arab"), ("en", "en"),  # a tag wins: "en" is also a language's name
])
def test_a_name_or_a_tag_becomes_the_standard_tag(written, tag):
    assert spoken_language_tag(written) == tag


@pytest.mark.parametrize("written", ["", "   ", None, "xx", "Elvish tongue"])
def test_text_that_names_no_language_gives_none(written):
    assert spoken_language_tag(written) is None
