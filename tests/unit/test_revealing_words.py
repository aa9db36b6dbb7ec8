"""The words no text may contain, in every shipped language: one list per language, kept as a plain
file with its review status, and every text checked against all of them together."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from survey_app.domain.interface_catalogues import DRAFT_STATUS
from survey_app.domain.sms import (
    DEFAULTS,
    REVEALING_WORDS_DIR,
    SafeContact,
    UnsafeText,
    compose,
    load_word_lists,
)

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
SHIPPED = sorted(path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
LINK = "https://example.org/q/abc"


def test_every_shipped_language_has_a_list_that_says_whether_it_was_reviewed():
    lists = load_word_lists()
    assert sorted(lists) == SHIPPED
    for locale, found in lists.items():
        assert found.words, locale
        if locale != "en":
            assert found.status == DRAFT_STATUS, f"{locale}: drafted here, so marked for review"
            assert not found.reviewed


@pytest.mark.parametrize("wording", [
    "آپ کا سروے یہاں ہے: {link}",                  # Urdu: "your survey is here"
    "گھریلو تشدد کے بارے میں: {link}",             # Urdu: "about domestic violence"
    "رابط الاستبيان: {link}",                       # Arabic: "the questionnaire's link"
    "مرحبا، هذا عن العنف: {link}",                  # Arabic: "this is about violence"
    "إساءة: {link}",                                # Arabic, with its hamza
    "اساءه: {link}",                                # the same word typed without hamza and with heh
    "Przypominamy o ankiecie: {link}",              # Polish: "a reminder about the questionnaire"
    "PRZEMOC domowa: {link}",                       # Polish, in capitals
])
def test_a_revealing_word_in_urdu_arabic_or_polish_is_refused(wording):
    with pytest.raises(UnsafeText, match="could tell someone else"):
        compose(wording, LINK, SafeContact(True))


def test_every_list_applies_to_every_text_whatever_its_language():
    """A Polish word in English wording is refused as well: a text is read by whoever holds the phone."""
    with pytest.raises(UnsafeText):
        compose("Hello, about the ankieta: {link}", LINK, SafeContact(True))
    with pytest.raises(UnsafeText):
        compose("Hello, سروے {link}", LINK, SafeContact(True))


@pytest.mark.parametrize("locale", SHIPPED)
def test_the_default_wording_in_every_language_passes_every_list(locale):
    """A list that caught the catalogue's own neutral wording would stop every text in that language."""
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    for default in DEFAULTS.values():
        wording = catalogue[default].string or default
        assert compose(wording, LINK, SafeContact(True)).endswith(LINK)


def test_the_lists_are_plain_files_beside_the_domain_code():
    assert REVEALING_WORDS_DIR.is_dir() and {p.suffix for p in REVEALING_WORDS_DIR.iterdir()} == {".txt"}
