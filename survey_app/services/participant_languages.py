"""The languages a participant may use on their link, and the one they chose.

A language is offered on a link only when the pages (the interface catalogue, in SURVEY_LOCALES),
the current consent document of the person's audience and every measure of the link's timepoint
all exist in it: nobody is asked to consent, or to answer, in a language whose words are missing.
This module is the one place that rule lives; the language page and the choice of each participant
page's language ask it.

The choice is remembered on the invitation (invitation.language), so the next visit and every text
about the link use it; a person's other links fall back to the language they chose last.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.domain.catalogue import Catalogue
from survey_app.domain.consent_documents import ConsentLibrary
from survey_app.services import instruments, questionnaires
from survey_app.services.unit_of_work import transaction
from survey_app.store.invitations import Invitation
from survey_app.store.records import Record


class NotOffered(ValueError):
    """That language is not one this link can be used in."""


def offered(session: Session, catalogue: Catalogue, library: ConsentLibrary, record: Record, invitation: Invitation,
            locales: list[str], *, confirmation_required: bool) -> list[str]:
    """The languages this link can be used in from start to end, in the order of `locales`."""
    consent_languages = set(library.languages(record.store))
    measure_languages = {option.language for option in instruments.language_options(
        session, catalogue, record.store, invitation.timepoint, confirmation_required)}
    return [code for code in locales if code in consent_languages and code in measure_languages]


def choose(session: Session, catalogue: Catalogue, invitation: Invitation, language: str, offered_now: list[str]) -> None:
    """Remember the participant's language on their link. A questionnaire begun and not yet sent
    goes on in that language when every one of its measures can be given in it; the answers already
    given are kept, each with the language and translation it was given in."""
    if language not in offered_now:
        raise NotOffered(language)
    with transaction(session):
        invitation.language = language
        administration = questionnaires.administration_for(session, invitation)
        if administration is None or administration.submitted_at is not None or administration.language == language:
            return
        begun = questionnaires.definitions(administration, catalogue)
        if all(d.language == language or questionnaires.translation_for(catalogue, d, language) for d in begun):
            administration.language = language


def remembered(session: Session, invitation: Invitation) -> str | None:
    """The language to write to this person in about this link: the one chosen on it, else the one
    they chose last on another of their links; None when they never chose."""
    if invitation.language:
        return invitation.language
    owner = Invitation.owner_column(invitation.store)
    return session.scalars(select(Invitation.language).where(owner == invitation.owner_id,
                                                             Invitation.language.is_not(None))
                           .order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(1)).first()


def for_record(session: Session, record: Record) -> str | None:
    """The language this person chose last on any of their links, if any."""
    owner = Invitation.owner_column(record.store)
    return session.scalars(select(Invitation.language).where(owner == record.id, Invitation.language.is_not(None))
                           .order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(1)).first()
