"""How far an instrument's wording has been checked, in one line an admin can read.

The counts come from each item's `checked_against` sources, so the summary can never claim
more than the definition records.
"""

from __future__ import annotations

from collections.abc import Collection

from survey_app.domain.instruments import Definition

LICENSOR = "licensor_form"
INSTRUCTIONS_WORDS = {
    "verified": "instructions checked",
    "single_source": "instructions from a single source",
    "not_retrieved": "instructions not retrieved",
}


def verification_summary(definition: Definition) -> str:
    kinds = {source.id: source.kind for source in definition.sources}
    total = len(definition.items)
    licensor = multi = single = unchecked = 0
    for item in definition.items:
        if any(kinds.get(ref) == LICENSOR for ref in item.checked_against):
            licensor += 1
        elif len(item.checked_against) >= 2:
            multi += 1
        elif len(item.checked_against) == 1:
            single += 1
        else:
            unchecked += 1
    parts = [f"{licensor} of {total} items checked against the licensor's form"]
    if multi:
        parts.append(f"{multi} against two or more other sources")
    if single:
        parts.append(f"{single} from a single source")
    if unchecked:
        parts.append(f"{unchecked} unchecked")
    parts.append(INSTRUCTIONS_WORDS[definition.instructions.status])
    return f"{definition.short_title} {definition.version}: " + "; ".join(parts)


def confirmation_required(mode: str) -> bool:
    """Outside demo and development mode, a version is given to participants only once an admin
    has confirmed its wording (`survey instruments confirm`)."""
    return mode not in ("demo", "development")


def usable(definition: Definition, confirmation_required: bool, confirmed_hashes: Collection[str]) -> bool:
    """May this version be given to participants? Where confirmation is required, only once an
    admin has confirmed its exact text (by hash) against the licensed form."""
    return not confirmation_required or definition.content_sha256 in confirmed_hashes
