"""Pseudonymous study ids: short, readable aloud, not guessable, with a check character.

An id looks like "K7M4-QX2P". The alphabet has 29 characters (a prime number): digits 2–9
and capital letters without I, L, O, U and V, which are easily confused with 1, 0, each
other or B when written or read aloud. The last character is a check: the weighted sum
Σ position × value over all eight characters is 0 modulo 29. Because 29 is prime and every
weight (1–8) is distinct and non-zero modulo 29, any single wrong character changes the
sum by (a − b) × weight ≠ 0, and any swap of two neighbours by (a − b) × 1 ≠ 0: both are
always caught (tests/unit/domain/test_study_ids.py checks every case exhaustively).
"""

from __future__ import annotations

import re
import secrets

from survey_app.domain.text import N_

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
BASE = len(ALPHABET)  # 29, prime
VALUE = {character: index for index, character in enumerate(ALPHABET)}
BODY_LENGTH = 7  # 29**7 ≈ 17 billion possible ids
SEPARATOR_AFTER = 4


class InvalidStudyId(ValueError):
    """The text is not a study id, or its check character does not match (a typing slip)."""


def _check_character(body: str) -> str:
    weighted = sum(position * VALUE[character] for position, character in enumerate(body, start=1))
    # Choose c so that weighted + (len + 1) × c ≡ 0 (mod 29); the weight is invertible mod a prime.
    weight = len(body) + 1
    return ALPHABET[(-weighted * pow(weight, -1, BASE)) % BASE]


def new_study_id(source=secrets) -> str:
    """A new id from the system's secure random source; benchmarks pass a seeded `random.Random`."""
    body = "".join(source.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return format_study_id(body + _check_character(body))


def format_study_id(compact: str) -> str:
    return f"{compact[:SEPARATOR_AFTER]}-{compact[SEPARATOR_AFTER:]}"


def normalise(text: str) -> str:
    """What someone typed or read out, as the canonical id; raises InvalidStudyId if it is wrong.

    Spaces, dashes and lower case are forgiven. Letters we never use are refused rather
    than guessed at (an O could be a 0 or a Q), so a mistyped id never opens another record.
    """
    compact = re.sub(r"[\s-]", "", text).upper()
    if len(compact) != BODY_LENGTH + 1 or any(character not in VALUE for character in compact):
        raise InvalidStudyId(N_("A study id has 8 characters, such as K7M4-QX2P, using 2–9 and letters "
                                "other than I, L, O, U and V."))
    if _check_character(compact[:-1]) != compact[-1]:
        raise InvalidStudyId(N_("This study id has a typing mistake: its last character does not match. "
                                "Check each character and try again."))
    return format_study_id(compact)


def is_valid(text: str) -> bool:
    try:
        normalise(text)
    except InvalidStudyId:
        return False
    return True
