"""Counters and dates in each script's digits, as Babel says each locale writes numbers."""

from __future__ import annotations

from datetime import date

import pytest
from babel import Locale

from survey_app.web.numerals import count, long_date


@pytest.mark.parametrize("locale, three, seven_december", [
    ("en", "3", "7 December 2026"),
    ("cy", "3", "7 Rhagfyr 2026"),
    ("bn", "৩", "৭ ডিসেম্বর, ২০২৬"),        # Bengali digits: Babel's default numbering for bn is "beng"
    ("ps", "۳", "۲۰۲۶ دسمبر ۷"),           # Extended Arabic-Indic ("arabext"), in Pashto's own date order
    ("pa_Arab", "۳", "۷ دسمبر ۲۰۲۶"),
    ("ar", "3", "7 ديسمبر 2026"),          # CLDR's default for Arabic (as Babel ships it) is Western digits
    ("ur", "3", "7 دسمبر، 2026"),
    ("ta", "3", "7 டிசம்பர், 2026"),
])
def test_numbers_and_dates_are_written_in_the_locales_own_digits(locale, three, seven_december):
    assert count(3, locale) == three
    assert long_date(date(2026, 12, 7), locale) == seven_december


def test_the_digits_follow_babels_numbering_system_for_the_locale():
    for locale in ("bn", "ps", "pa_Arab"):
        assert Locale.parse(locale).default_numbering_system != "latn"
        assert not any(c.isascii() and c.isdigit() for c in count(1234567890, locale))
    assert count(1234, "pl") == "1\xa0234"  # and the locale's grouping
