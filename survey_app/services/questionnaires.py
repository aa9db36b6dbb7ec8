"""Completing a measure set: begin, save each answer as it is given, check, submit; and the
scores practitioners use in support.

Every answer is committed when its page is submitted, so closing the page loses nothing and
the same link resumes at the first question with nothing recorded. Saving the same answer
twice is harmless; changing an answer that someone else changed since the page was shown is
refused, with the current answer, so nothing is silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain import measures
from survey_app.domain.catalogue import Catalogue
from survey_app.domain.change import Change, compare
from survey_app.domain.instruments import Definition, render_item_text
from survey_app.domain.measures import Progress, Step
from survey_app.domain.scoring import ScoreSet, score
from survey_app.domain.translations import Translation
from survey_app.services import audit, instruments
from survey_app.services.audit import Actor
from survey_app.store.answers import Administration, Answer
from survey_app.store.invitations import Invitation
from survey_app.store.records import Record

LINK, SCREEN_SHARE, PHONE = "link", "screen_share", "phone"
MODES = (LINK, SCREEN_SHARE, PHONE)
ORIGINAL = "original"


class NotAllowed(ValueError):
    """The administration cannot take this answer (submitted, unknown item, off the scale)."""


class NothingOffered(ValueError):
    """No measure of this link's set can be given yet (none published, or none confirmed where
    confirmation is required). Nothing is begun, so the link works once one can be given."""


@dataclass(frozen=True)
class Sitting:
    """Who is answering, how, and under which consent: recorded with every answer."""

    mode: str
    scope: frozenset[str]
    recorded_by: int | None = None  # the staff member, in assisted modes

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"Mode must be one of {', '.join(MODES)}.")


@dataclass(frozen=True)
class Saved:
    ok: bool
    current: Answer  # on a conflict, the answer that stands


def begin(session: Session, invitation: Invitation, record: Record, catalogue: Catalogue, language: str,
          now: datetime | None = None, interpreter: str | None = None, *,
          confirmation_required: bool) -> Administration:
    """The administration for this link, made on first use with the measures offered that day
    (where confirmation is required, only versions whose wording an admin has confirmed).
    Check an interpreter with consent.check_interpreter first."""
    found = administration_for(session, invitation)
    if found is not None:
        return found
    chosen = instruments.offered(session, catalogue, record.store, invitation.timepoint, confirmation_required)
    if not chosen.definitions:
        raise NothingOffered(f"No measure can be given at {invitation.timepoint} yet.")
    made = Administration(invitation_id=invitation.id, timepoint=invitation.timepoint,
                          instruments=" ".join(d.key for d in chosen.definitions), language=language,
                          interpreter=interpreter,
                          started_at=now or clock.now(),
                          **{Administration.owner_column(record.store).key: record.id})
    try:
        with session.begin_nested():
            session.add(made)
    except IntegrityError:  # a second tab began it at the same moment
        return administration_for(session, invitation)
    return made


def administration_for(session: Session, invitation: Invitation) -> Administration | None:
    return session.scalars(select(Administration).where(Administration.invitation_id == invitation.id)).first()


def definitions(administration: Administration, catalogue: Catalogue) -> tuple[Definition, ...]:
    """The instrument versions this administration was begun with, in order."""
    found = (catalogue.get(instrument, version) for instrument, version in administration.instrument_keys)
    return tuple(d for d in found if d is not None)


def answers(session: Session, administration: Administration) -> dict[Step, Answer]:
    rows = session.scalars(select(Answer).where(Answer.administration_id == administration.id))
    return {Step(row.instrument_id, row.item_number): row for row in rows}


def progress(session: Session, administration: Administration, catalogue: Catalogue,
             saved: dict[Step, Answer] | None = None) -> Progress:
    """Where the administration stands; pass `saved` (from `answers`) to spare a second query."""
    saved = answers(session, administration) if saved is None else saved
    return Progress(measures.steps(definitions(administration, catalogue)), frozenset(saved))


def translation_for(catalogue: Catalogue, definition: Definition, language: str) -> Translation | None:
    """The published translation in this language, or None to use the definition's own text."""
    if language == definition.language:
        return None
    return catalogue.translations.get(f"{definition.key}/{language}")


def item_text(definition: Definition, translation: Translation | None, number: int) -> str:
    if translation is None:
        substitutions = {p.token: (p.substitution, p.substitution_sentence_start) for p in definition.placeholders}
        return render_item_text(definition.item(number).text, substitutions)
    return render_item_text(translation.item_text(number), translation.placeholders)


def save(session: Session, administration: Administration, definition: Definition, number: int,
         value: int | None, missing_reason: str | None, sitting: Sitting, seen_revision: int,
         translation: Translation | None = None, now: datetime | None = None) -> Saved:
    """Save one answer (or its missing reason). `seen_revision` is the revision the person saw
    (0 for none): a change to an answer that has moved on since is refused."""
    _check(administration, definition, number, value, missing_reason)
    now = now or clock.now()
    existing = _answer(session, administration, definition.id, number)
    if existing is None:
        made = _new_answer(administration, definition, number, value, missing_reason, sitting, translation, now)
        try:
            with session.begin_nested():
                session.add(made)
            return Saved(True, made)
        except IntegrityError:  # saved from elsewhere in the same instant
            existing = _answer(session, administration, definition.id, number)
    if (existing.value, existing.missing_reason) == (value, missing_reason):
        return Saved(True, existing)  # the same answer again: a double submit, or a second tab
    if existing.revision != seen_revision:
        return Saved(False, existing)
    changed = session.execute(
        update(Answer).where(Answer.id == existing.id, Answer.revision == seen_revision)
        .values(value=value, missing_reason=missing_reason, mode=sitting.mode, recorded_by=sitting.recorded_by,
                consent_scope=_scope(sitting), revision=seen_revision + 1, saved_at=now)
        .execution_options(synchronize_session=False))
    session.refresh(existing)
    return Saved(changed.rowcount == 1, existing)


def _check(administration: Administration, definition: Definition, number: int, value: int | None,
           missing_reason: str | None) -> None:
    if administration.submitted_at is not None:
        raise NotAllowed("This questionnaire has been sent and can no longer change.")
    if (definition.id, definition.version) not in administration.instrument_keys \
            or not 1 <= number <= len(definition.items):
        raise NotAllowed(f"{definition.id} has no question {number} here.")
    if (value is None) == (missing_reason is None) or (missing_reason and missing_reason not in measures.MISSING_REASONS):
        raise NotAllowed("Give an answer or a reason it is missing, not both.")
    if value is not None and value not in definition.scale(definition.item(number).scale).values:
        raise NotAllowed(f"{value} is not on the scale of question {number}.")


def _answer(session: Session, administration: Administration, instrument_id: str, number: int) -> Answer | None:
    return session.scalars(select(Answer).where(
        Answer.administration_id == administration.id, Answer.instrument_id == instrument_id,
        Answer.item_number == number).execution_options(populate_existing=True)).first()


def _new_answer(administration, definition, number, value, missing_reason, sitting, translation, now) -> Answer:
    return Answer(administration_id=administration.id, instrument_id=definition.id,
                  instrument_version=definition.version, item_number=number, value=value,
                  missing_reason=missing_reason, language=translation.language if translation else definition.language,
                  translation=translation.key if translation else "",
                  translation_status=translation.status if translation else ORIGINAL,
                  mode=sitting.mode, recorded_by=sitting.recorded_by, consent_scope=_scope(sitting),
                  revision=1, saved_at=now)


def _scope(sitting: Sitting) -> str:
    return " ".join(sorted(sitting.scope))


def submit(session: Session, administration: Administration, invitation: Invitation, catalogue: Catalogue,
           actor: Actor, now: datetime | None = None) -> None:
    """Send the answers: only when every question has an answer or a reason. The link then closes."""
    if administration.submitted_at is not None:
        return  # submitted twice: the first one stands
    if not progress(session, administration, catalogue).complete:
        raise NotAllowed("Some questions have nothing recorded yet.")
    now = now or clock.now()
    administration.submitted_at = now
    invitation.completed_at = now
    audit.record(session, actor, "questionnaire.submitted", f"administration:{administration.id}")


def delete_answers(session: Session, record: Record) -> int:
    """Remove every administration and answer of this person (withdrawal with deletion)."""
    ids = list(session.scalars(select(Administration.id).where(
        Administration.owner_column(record.store) == record.id)))
    if ids:
        session.execute(delete(Answer).where(Answer.administration_id.in_(ids)))
        session.execute(delete(Administration).where(Administration.id.in_(ids)))
    return len(ids)


# --- scores in support ------------------------------------------------------------------------

@dataclass(frozen=True)
class InstrumentScores:
    definition: Definition
    by_timepoint: dict[str, ScoreSet]
    change: dict[str, Change]  # T1 -> T2, when both are there and use the same version


def scores_for(session: Session, record: Record, catalogue: Catalogue) -> list[InstrumentScores]:
    """Scores of every submitted administration of this person, with T1 to T2 change."""
    done = session.scalars(select(Administration).where(
        Administration.owner_column(record.store) == record.id, Administration.submitted_at.is_not(None))
        .order_by(Administration.submitted_at)).all()
    sets: dict[str, dict[str, tuple[Definition, ScoreSet]]] = {}
    for administration in done:
        for instrument, (definition, responses) in _responses(session, administration, catalogue).items():
            sets.setdefault(instrument, {})[administration.timepoint] = (definition, score(definition, responses))
    return [_with_change(by_timepoint) for by_timepoint in sets.values()]


def scores_of(session: Session, administration: Administration, catalogue: Catalogue) -> list[tuple[Definition, ScoreSet]]:
    """The scores of one administration, questionnaire by questionnaire."""
    return [(definition, score(definition, responses))
            for definition, responses in _responses(session, administration, catalogue).values()]


def _responses(session: Session, administration: Administration, catalogue: Catalogue) -> dict:
    found: dict[str, tuple[Definition, dict[int, int | None]]] = {}
    for step, answer in answers(session, administration).items():
        definition = catalogue.get(answer.instrument_id, answer.instrument_version)
        if definition is not None:
            found.setdefault(step.instrument, (definition, {}))[1][step.item] = answer.value
    return found


def _with_change(by_timepoint: dict[str, tuple[Definition, ScoreSet]]) -> InstrumentScores:
    latest = by_timepoint[max(by_timepoint)][0]
    change = {}
    if "T1" in by_timepoint and "T2" in by_timepoint and by_timepoint["T1"][0] is by_timepoint["T2"][0]:
        change = compare(latest, by_timepoint["T1"][1], by_timepoint["T2"][1])
    return InstrumentScores(latest, {t: s for t, (_, s) in sorted(by_timepoint.items())}, change)
