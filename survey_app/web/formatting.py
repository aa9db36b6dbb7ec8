"""Scores on screen: exact, with the definition's decimal places, in the reader's language.

Scores and changes arrive already rounded by the domain (half away from zero, as a Decimal with
the definition's places, or a whole int); formatting never goes through float, so 1.50 stays
"1.50" and -1.00 stays "-1.00". Babel gives the decimal sign, grouping and plus and minus signs
of the locale.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal, get_minus_sign_symbol, get_plus_sign_symbol
from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup, escape

from survey_app.domain.change import Change
from survey_app.domain.scoring import STATUS_NAMES, Score
from survey_app.web.languages import language_direction, language_name, language_tag
from survey_app.web.numerals import count, long_date
from survey_app.web.text import say


def score_number(found: Score | Change) -> str:
    """A score, or a change (signed: "+1.50"), with its definition's places; "" when there is none."""
    if isinstance(found, Change):
        value, decimals, signed = found.rounded_difference, max(found.before.decimals, found.after.decimals), True
    else:
        value, decimals, signed = found.rounded, found.decimals, False
    if value is None:
        return ""
    return number_text(value, decimals, signed)


def number_text(value: int | Decimal, decimals: int, signed: bool = False) -> str:
    """`value` with exactly `decimals` places in the current locale; a plus sign too when `signed`
    and above zero (no change has no sign)."""
    locale = get_locale()
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    # The Decimal already holds the right places, so Babel's quantizing to the pattern changes nothing.
    digits = format_decimal(abs(value), format=pattern, locale=locale)
    if value < 0:
        return get_minus_sign_symbol(locale) + digits
    if signed and value > 0:
        return get_plus_sign_symbol(locale) + digits
    return digits


def score_status(found: Score) -> str:
    """What the score's status is called, in the reader's language ("not enough answers")."""
    return say(STATUS_NAMES[found.status])


def phone_number(number: str) -> Markup:
    """A phone number as one left-to-right unit that never wraps: in a right-to-left sentence
    "116 123" would otherwise read as "123 116" (each group of digits is its own run) and could
    break across lines. Used as a value in translated text: `_("… on %(number)s.", number=…)`."""
    return Markup('<bdi dir="ltr" class="app-phone-number">%s</bdi>') % Markup("&nbsp;").join(
        escape(group) for group in number.split())


def register_filters(app: Flask) -> None:
    app.add_template_filter(count, "numeral")  # "Question {{ position|numeral }}": the reader's digits (web/numerals.py)
    app.add_template_filter(long_date)
    app.add_template_filter(language_name)  # a language named in itself (web/languages.py)
    app.add_template_filter(language_tag)
    app.add_template_filter(language_direction)
    app.add_template_filter(score_number)
    app.add_template_filter(score_status)
    app.add_template_filter(phone_number)
