"""Phone numbers: parsed and checked before anything is stored or sent."""

from __future__ import annotations

import phonenumbers

from survey_app.domain.text import N_

DEFAULT_REGION = "GB"
# Ofcom reserves 07700 900000–900999 for drama: never a real phone. Valid only in demo mode,
# where no message ever leaves the platform.
DRAMA_PREFIX = "+447700900"


class InvalidPhone(ValueError):
    pass


def normalise_phone(text: str, demo: bool = False) -> str:
    """The number in E.164 form (+447911123456), or InvalidPhone with a message to show."""
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidPhone(N_("Enter a phone number, like 07700 900 982 or +44 7700 900 982.")) from None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if demo and e164.startswith(DRAMA_PREFIX) and len(e164) == len(DRAMA_PREFIX) + 3:
        return e164
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(N_("This is not a phone number in use. Check it and try again."))
    return e164
