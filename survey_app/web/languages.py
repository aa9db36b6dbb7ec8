"""Names of languages, as their speakers write them."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

from survey_app.domain.text import N_

# How a translation's status reads to staff (translate with gettext where shown).
TRANSLATION_STATUS_NAMES = {"original": N_("Original wording"), "validated": N_("Validated"),
                            "unvalidated": N_("Not validated"), "in_review": N_("In review")}


def language_name(code: str) -> str:
    """A language's name in that language itself, so people find their own (the code if unknown)."""
    try:
        name = Locale.parse(code.replace("-", "_")).display_name or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def language_tag(code: str) -> str:
    """A locale code as an HTML `lang` value: pa_Arab -> pa-Arab."""
    return code.replace("_", "-")


def language_direction(code: str) -> str:
    """'rtl' for a language written right to left (ur, ar, pa-Arab), else 'ltr'."""
    try:
        return Locale.parse(code.replace("-", "_")).text_direction
    except (UnknownLocaleError, ValueError):
        return "ltr"
