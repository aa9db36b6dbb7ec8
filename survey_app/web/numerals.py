"""Numbers and dates as a participant's script writes them: "Question ৩ of ৭" in Bengali.

Babel says which numbering system each locale uses by default (CLDR's `defaultNumberingSystem`:
`beng` for Bengali, `arabext` for Pashto and Punjabi in Shahmukhi, `latn` for Urdu, Arabic, Tamil
and the rest in the CLDR Babel ships), and formats numbers and dates with that locale's patterns
and signs. Babel keeps no digits for a numbering system, so the digits come from Unicode: those of
the system's script (`unicodedata`), with the Western digits for `latn` and for any system not
named below (a new one falls back to Western digits, never to wrong ones).
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import get_locale

# CLDR numbering-system ids -> the Unicode name of their script's digits ("BENGALI DIGIT ZERO").
DIGIT_NAMES = {"arab": "ARABIC-INDIC", "arabext": "EXTENDED ARABIC-INDIC", "beng": "BENGALI", "deva": "DEVANAGARI",
               "guru": "GURMUKHI", "tamldec": "TAMIL"}
UNICODE_DIGITS = ("ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE")


@cache
def digit_table(locale: Locale) -> dict[int, str]:
    """str.translate's table from 0-9 to the digits of the locale's default numbering system."""
    system = locale.default_numbering_system
    if system not in DIGIT_NAMES:
        return {}
    return {ord(str(n)): unicodedata.lookup(f"{DIGIT_NAMES[system]} DIGIT {name}")
            for n, name in enumerate(UNICODE_DIGITS)}


def _locale(locale: Locale | str | None) -> Locale:
    if isinstance(locale, Locale):
        return locale
    return Locale.parse(locale) if locale else (get_locale() or Locale.parse("en"))


def in_digits(text: str, locale: Locale | str | None = None) -> str:
    """`text` with its Western digits written in the locale's own (the page's locale by default)."""
    return text.translate(digit_table(_locale(locale)))


def count(value: int, locale: Locale | str | None = None) -> str:
    """A whole number for a person to read, in the locale's digits and grouping ("Question 3 of 7")."""
    found = _locale(locale)
    return in_digits(format_decimal(value, locale=found, numbering_system="default"), found)


def long_date(value: date, locale: Locale | str | None = None) -> str:
    """A date as the locale writes it in full ("7 December 2026"; Babel's long format), in its digits."""
    found = _locale(locale)
    if found.language == "en" and not found.territory:
        found = Locale.parse("en_GB")  # the platform's English is British: "7 December 2026"
    return in_digits(format_date(value, "long", locale=found), found)
