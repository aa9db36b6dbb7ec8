"""Admins' confirmations that an instrument version's wording matches its licensed form, and the
measures offered at each timepoint, which depend on them.

Where confirmation is required (production mode; the caller says, from the configured mode), a
version whose exact text no admin has confirmed is not offered: participants are not given it
and staff see that it is waiting. This module is the one place that applies the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from survey_app.domain.catalogue import Catalogue
from survey_app.domain.instruments import Definition
from survey_app.domain.measures import TIMEPOINTS, MeasureSet, Unavailable, measure_set
from survey_app.domain.translations import ORIGINAL
from survey_app.services.unit_of_work import transaction
from survey_app.store.instruments import (WordingConfirmation, confirmations_by_version, confirmed_hashes,
                                          record_confirmation)


@dataclass(frozen=True)
class ConfirmationState:
    known: bool  # False when the database could not be read (for example, not migrated yet)
    confirmation: WordingConfirmation | None = None


def confirmation_state(session: Session, definition: Definition) -> ConfirmationState:
    try:
        rows = confirmations_by_version(session)
    except SQLAlchemyError:
        session.rollback()
        return ConfirmationState(known=False)
    return ConfirmationState(True, rows.get((definition.id, definition.version, definition.content_sha256)))


def confirm(session: Session, definition: Definition, confirmed_by: str, note: str = "") -> WordingConfirmation:
    """Record that an admin checked this exact text against the licensed form."""
    with transaction(session):
        existing = confirmation_state(session, definition).confirmation
        if existing is not None:
            return existing
        return record_confirmation(session, instrument_id=definition.id, version=definition.version,
                                   content_sha256=definition.content_sha256, confirmed_by=confirmed_by, note=note)


def offered(session: Session, catalogue: Catalogue, audience: str, timepoint: str,
            confirmation_required: bool) -> MeasureSet:
    """The measures given to this audience at this timepoint, and those left out with why."""
    return measure_set(catalogue, audience, timepoint, confirmation_required=confirmation_required,
                       confirmed=_confirmed(session, confirmation_required))


def left_out(session: Session, catalogue: Catalogue, audience: str,
             confirmation_required: bool) -> tuple[Unavailable, ...]:
    """Each measure this audience is not given at some timepoint, once, with why: for staff."""
    confirmed = _confirmed(session, confirmation_required)
    found: dict[str, Unavailable] = {}
    for timepoint in TIMEPOINTS:
        chosen = measure_set(catalogue, audience, timepoint, confirmation_required=confirmation_required,
                             confirmed=confirmed)
        for unavailable in chosen.unavailable:
            found.setdefault(unavailable.id, unavailable)
    return tuple(found.values())


@dataclass(frozen=True)
class LanguageOption:
    """A language every measure of a set can be given in, with how each measure's words stand there."""

    language: str
    statuses: tuple[tuple[Definition, str, str], ...]  # (measure, status, status source); ORIGINAL: its own words


def language_options(session: Session, catalogue: Catalogue, audience: str, timepoint: str,
                     confirmation_required: bool) -> tuple[LanguageOption, ...]:
    """The languages this audience's measures at this timepoint can all be given in: each measure's
    own language, and those in which every measure has a published translation. The original first."""
    chosen = offered(session, catalogue, audience, timepoint, confirmation_required).definitions
    originals = sorted({d.language for d in chosen})
    translated = sorted({t.language for d in chosen for t in catalogue.translations_of(d)} - set(originals))
    options = []
    for language in originals + translated:
        statuses = []
        for definition in chosen:
            translation = catalogue.translations.get(f"{definition.key}/{language}")
            if definition.language == language:
                statuses.append((definition, ORIGINAL, ""))
            elif translation is not None:
                statuses.append((definition, translation.status, translation.status_source))
        if len(statuses) == len(chosen):
            options.append(LanguageOption(language, tuple(statuses)))
    return tuple(options)


def _confirmed(session: Session, confirmation_required: bool) -> frozenset[str]:
    # Where confirmation is not required, nothing is read: development and demo work unchanged.
    return confirmed_hashes(session) if confirmation_required else frozenset()
