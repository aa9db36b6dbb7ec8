"""The language an interpreter speaks with a person, recorded as a standard language tag.

A practitioner writes what they know: a language's name ("Sylheti", "Pashto", "اردو") or its
tag ("syl", "pa-Arab"). The record keeps the standard tag, so datasets carry a code that
evaluators can group on, never free text. Names are looked up with langcodes' name data
(the language-data package), which knows languages with no common written form, like Sylheti.
"""

from __future__ import annotations

import langcodes


def spoken_language_tag(text: str | None) -> str | None:
    """The standard tag for a language name or tag; None when the text names no language."""
    text = " ".join((text or "").split())
    if not text:
        return None
    if langcodes.tag_is_valid(text) and langcodes.Language.get(text).is_valid():
        return langcodes.standardize_tag(text)  # a tag first: "en" is also the name of a language
    try:
        return langcodes.find(text).to_tag()
    except LookupError:
        return None
