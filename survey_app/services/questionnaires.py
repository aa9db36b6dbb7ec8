"""Completing a measure set: begin, save each answer as it is given, check, submit; and the
scores practitioners use in support.

Every answer is committed when its page is submitted, so closing the page loses nothing and
the same link resumes at the first question with nothing recorded. Saving the same answer
twice is harmless; changing an answer that someone else changed since the page was shown is
refused, with the current answer, so nothing is silently overwritten.

The pages (a link, a shared screen, a phone call) each get what they show from one call here
(`introduction_page`, `question_page`, `check_page`) and change things through one use case
(`open_questionnaires`, `answer_question`, `submit_answers`). Each call resolves the
administration's definitions and translations once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain import measures, windows
from survey_app.domain.catalogue import Catalogue
from survey_app.domain.change import Change, compare
from survey_app.domain.instruments import Definition, render_item_text
from survey_app.domain.measures import Progress, Step
from survey_app.domain.scoring import ScoreSet
from survey_app.domain.spoken_languages import spoken_language_tag
from survey_app.domain.text import N_
from survey_app.domain.times import as_utc
from survey_app.domain.translations import ORIGINAL, Translation
from survey_app.services import audit, due, instruments, invitations, scores
from survey_app.services.audit import Actor
from survey_app.services.interpreters import check_interpreter, normalised
from survey_app.services.unit_of_work import transaction
from survey_app.store.answers import Administration, Answer
from survey_app.store.db import by_dialect, rows
from survey_app.store.invitations import Invitation
from survey_app.store.records import Record
from survey_app.store.scores import AdministrationScore

# How answers are given: on the person's own device, on a practitioner's shared screen, or read
# out by a practitioner on the phone.
LINK, SCREEN_SHARE, PHONE = "link", "screen_share", "phone"
DELIVERY_MODES = (LINK, SCREEN_SHARE, PHONE)
MODE_NAMES = {LINK: N_("Own device, with a link"), SCREEN_SHARE: N_("Practitioner's shared screen"),
              PHONE: N_("Read out on the phone")}


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
        if self.mode not in DELIVERY_MODES:
            raise ValueError(f"Mode must be one of {', '.join(DELIVERY_MODES)}.")


@dataclass(frozen=True)
class GivenAnswer:
    """What a person gave for one question: a point on its scale, or the reason there is none."""

    value: int | None = None
    missing_reason: str | None = None


@dataclass(frozen=True)
class Saved:
    ok: bool
    current: Answer  # on a conflict, the answer that stands


@dataclass(frozen=True)
class Opened:
    """An administration as the questionnaire pages know it: which one, and its language."""

    administration_id: int
    language: str
    # The row as loaded when the questionnaire was opened, and its answers read with it in the same
    # statement, so the same request's pages find them instead of reading them again (the session
    # keeps only weak references). Use cases that change answers read afresh in their transaction.
    loaded: Administration | None = field(default=None, compare=False, repr=False)
    loaded_answers: dict | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Recorded:
    """What stands for one question, and its revision (the pages send it back with a change)."""

    value: int | None
    missing_reason: str | None
    revision: int


@dataclass(frozen=True)
class IntroductionPage:
    definition: Definition
    title: str  # the neutral title participants see, in English (the pages translate it)
    language: str  # of the instructions and choices: the administration's, or the definition's own
    instructions: str | None  # in the administration's language
    choices: tuple[str, ...]  # the labels of the one scale all its items use; () when they differ
    number: int  # "Part n of total"
    total: int
    first_open: Step  # its first question with nothing recorded (or its first)


@dataclass(frozen=True)
class QuestionPage:
    definition: Definition
    step: Step
    text: str  # in the administration's language, placeholders filled
    language: str  # of the text, instructions and labels: the administration's, or the definition's own
    instructions: str | None
    scale: tuple[tuple[int, str], ...]  # (value, label), labels in the administration's language
    recorded: Recorded | None
    position: int  # "Question n of" within its questionnaire
    of: int
    previous: Step | None
    following: Step | None  # None: the check page comes next


@dataclass(frozen=True)
class CheckRow:
    step: Step
    text: str
    answer: str | None  # the scale label chosen, if any
    missing_reason: str | None  # or why there is none


@dataclass(frozen=True)
class CheckGroup:
    title: str
    rows: tuple[CheckRow, ...]


@dataclass(frozen=True)
class CheckPage:
    groups: tuple[CheckGroup, ...]
    complete: bool
    last_step: Step


@dataclass(frozen=True)
class Answered:
    """The outcome of answering: saved, or refused because it changed elsewhere (with what stands)."""

    saved: bool
    standing: Recorded


# --- use cases: each saves everything it changes, or nothing -----------------------------------

def open_questionnaires(session: Session, catalogue: Catalogue, invitation: Invitation, record: Record,
                        language: str, *, confirmation_required: bool, interpreter: str | None = None,
                        spoken_language: str | None = None) -> Opened:
    """The link's administration, begun on first use. An administration keeps the language it
    began in; a new one begins in `language` (the one the participant chose, or the default for
    a practitioner). An interpreter is checked first (InterpreterConflict), with the language
    they speak with the person (a name or tag; NotAllowed without an interpreter or when it
    names no language); when no measure can be given yet, nothing is begun (NothingOffered)."""
    # Every page of the questionnaire asks this; once begun, it only reads, and commits nothing.
    found, saved = _administration_with_answers(session, invitation)
    if found is not None:
        return Opened(found.id, found.language, found, saved)
    with transaction(session):
        found = administration_for(session, invitation)
        if found is None:
            interpreter = normalised(interpreter)
            spoken = _spoken_language(interpreter, spoken_language)
            if interpreter:
                check_interpreter(session, record, interpreter)
            found = begin(session, invitation, record, catalogue, language, interpreter=interpreter,
                          spoken_language=spoken, confirmation_required=confirmation_required)
        return Opened(found.id, found.language, found)


def answer_question(session: Session, catalogue: Catalogue, opened: Opened, step: Step, given: GivenAnswer,
                    sitting: Sitting, seen_revision: int) -> Answered:
    """Save one answer (NotAllowed when it is not one this question can take)."""
    with transaction(session):
        sheet = _sheet(session, catalogue, opened)
        definition = sheet.definitions.get(step.instrument)
        if definition is None:
            raise NotAllowed(f"{step.instrument} is not part of this questionnaire.")
        saved = save(session, sheet.administration, definition, step.item, given, sitting, seen_revision,
                     sheet.translations[definition.id])
        return Answered(saved.ok, _recorded(saved.current))


def submit_answers(session: Session, catalogue: Catalogue, opened: Opened, actor: Actor) -> bool:
    """Send the answers; False, changing nothing, while a question has nothing recorded."""
    with transaction(session):
        administration = session.get(Administration, opened.administration_id)
        if not progress(session, administration, catalogue).complete:
            return False
        invitation = session.get(Invitation, administration.invitation_id)
        submit(session, administration, invitation, catalogue, actor)
        return True


# --- what the pages show --------------------------------------------------------------------------

def already_begun(session: Session, invitation: Invitation) -> bool:
    return administration_for(session, invitation) is not None


def has_answers(session: Session, record: Record) -> bool:
    """Whether this person has given any answer (or skipped a question) at any timepoint."""
    return session.scalars(select(Answer.id).join(Administration, Answer.administration_id == Administration.id)
                           .where(Administration.owner_column(record.store) == record.id).limit(1)).first() is not None


def next_step(session: Session, catalogue: Catalogue, opened: Opened) -> Step | None:
    """Where the questions begin, or resume: the first question with nothing recorded."""
    administration = session.get(Administration, opened.administration_id)
    return progress(session, administration, catalogue).next_step


def introduction_page(session: Session, catalogue: Catalogue, opened: Opened,
                      instrument: str) -> IntroductionPage | None:
    sheet = _sheet(session, catalogue, opened)
    definition = sheet.definitions.get(instrument)
    if definition is None:
        return None
    done = sheet.progress(_saved(session, opened, sheet.administration))
    own = [s for s in done.steps if s.instrument == instrument]
    order = list(sheet.definitions)
    return IntroductionPage(definition, sheet.titles[instrument], sheet.language(definition),
                            sheet.instructions(definition),
                            sheet.choices(definition), order.index(instrument) + 1, len(order),
                            next((s for s in own if s not in done.done), own[0]))


def question_page(session: Session, catalogue: Catalogue, opened: Opened, step: Step) -> QuestionPage | None:
    """Everything one question's page shows; None for a question this administration does not have."""
    sheet = _sheet(session, catalogue, opened)
    definition = sheet.definitions.get(step.instrument)
    saved = _saved(session, opened, sheet.administration)
    done = sheet.progress(saved)
    if definition is None or step not in done.steps:
        return None
    position, of = done.position(step)
    return QuestionPage(definition, step, sheet.text(definition, step.item), sheet.language(definition),
                        sheet.instructions(definition),
                        sheet.scale(definition, step.item),
                        _recorded(saved[step]) if step in saved else None, position, of,
                        done.previous(step), done.following(step))


def check_page(session: Session, catalogue: Catalogue, opened: Opened) -> CheckPage:
    """Every question of every questionnaire, with what is recorded for each."""
    sheet = _sheet(session, catalogue, opened)
    saved = _saved(session, opened, sheet.administration)
    groups = []
    for definition in sheet.definitions.values():
        rows = []
        for item in definition.items:
            step = Step(definition.id, item.number)
            answer = saved.get(step)
            label = dict(sheet.scale(definition, item.number)).get(answer.value) if answer is not None else None
            rows.append(CheckRow(step, sheet.text(definition, item.number), label,
                                 answer.missing_reason if answer is not None else None))
        groups.append(CheckGroup(sheet.titles[definition.id], tuple(rows)))
    done = sheet.progress(saved)
    return CheckPage(tuple(groups), done.complete, done.steps[-1])


def thank_you_scores(session: Session, catalogue: Catalogue,
                     administration_id: int) -> list[tuple[Definition, ScoreSet]] | None:
    administration = session.get(Administration, administration_id)
    return None if administration is None else scores_of(session, administration, catalogue)


@dataclass(frozen=True)
class _Sheet:
    """An administration with its definitions and their translations, resolved once per call."""

    administration: Administration
    definitions: dict[str, Definition]  # in the order they are given
    translations: dict[str, Translation | None]  # by instrument id; None: the definition's own words
    titles: dict[str, str]  # by instrument id: the neutral title participants see

    def progress(self, saved: dict[Step, Answer]) -> Progress:
        return Progress(measures.steps(self.definitions.values()), frozenset(saved))

    def text(self, definition: Definition, number: int) -> str:
        return item_text(definition, self.translations[definition.id], number)

    def language(self, definition: Definition) -> str:
        translation = self.translations[definition.id]
        return translation.language if translation else definition.language

    def instructions(self, definition: Definition) -> str | None:
        translation = self.translations[definition.id]
        return translation.instructions if translation else definition.instructions.text

    def scale(self, definition: Definition, number: int) -> tuple[tuple[int, str], ...]:
        translation = self.translations[definition.id]
        scale = definition.scale(definition.item(number).scale)
        return tuple((point.value, translation.scale_label(scale.id, point.value) if translation else point.label)
                     for point in scale.points)

    def choices(self, definition: Definition) -> tuple[str, ...]:
        """The answers every question of this measure offers, when they all share one scale: the
        published forms list them after the instructions (URICA's instructions end with a colon)."""
        if len({item.scale for item in definition.items}) != 1:
            return ()
        return tuple(label for _value, label in self.scale(definition, definition.items[0].number))


def _sheet(session: Session, catalogue: Catalogue, opened: Opened) -> _Sheet:
    administration = opened.loaded if opened.loaded is not None and opened.loaded in session \
        else session.get(Administration, opened.administration_id)
    found = definitions(administration, catalogue)
    return _Sheet(administration, {d.id: d for d in found},
                  {d.id: translation_for(catalogue, d, administration.language) for d in found},
                  {d.id: catalogue.participant_title(d.id) or d.short_title for d in found})


def _spoken_language(interpreter: str | None, spoken_language: str | None) -> str | None:
    """The tag of the language an interpreter spoke with the person; None when none was given."""
    if not (spoken_language or "").strip():
        return None
    tag = spoken_language_tag(spoken_language)
    if not interpreter or tag is None:
        raise NotAllowed("A spoken language is recorded with the interpreter who spoke it, as a language's "
                         "name or tag.")
    return tag


def _recorded(answer: Answer) -> Recorded:
    return Recorded(answer.value, answer.missing_reason, answer.revision)


# --- helpers: they take the caller's session and never commit ----------------------------------

def begin(session: Session, invitation: Invitation, record: Record, catalogue: Catalogue, language: str,
          now: datetime | None = None, interpreter: str | None = None, *,
          confirmation_required: bool, spoken_language: str | None = None) -> Administration:
    """The administration for this link, made on first use with the measures offered that day
    (where confirmation is required, only versions whose wording an admin has confirmed)."""
    found = administration_for(session, invitation)
    if found is not None:
        return found
    chosen = instruments.offered(session, catalogue, record.store, invitation.timepoint, confirmation_required)
    if not chosen.definitions:
        raise NothingOffered(f"No measure can be given at {invitation.timepoint} yet.")
    made = Administration(invitation_id=invitation.id, timepoint=invitation.timepoint,
                          instruments=" ".join(d.key for d in chosen.definitions), language=language,
                          interpreter=interpreter, spoken_language=spoken_language,
                          early=_made_early(session, invitation, record),
                          started_at=now or clock.now(),
                          **{Administration.owner_column(record.store).key: record.id})
    try:
        with session.begin_nested():
            session.add(made)
    except IntegrityError:  # a second tab began it at the same moment
        return administration_for(session, invitation)
    return made


def _made_early(session: Session, invitation: Invitation, record: Record) -> bool:
    """A T2 link made before T2 was due: its answers are marked early in the data."""
    made_on = as_utc(invitation.created_at).astimezone(clock.LONDON).date()
    return invitation.timepoint == "T2" and windows.early(due.t2_window(session, record), made_on)


_ADMINISTRATION_WITH_ANSWERS = (
    select(Administration, Answer.instrument_id, Answer.item_number, Answer.value, Answer.missing_reason,
           Answer.revision)
    .outerjoin(Answer, Answer.administration_id == Administration.id)
    .where(Administration.invitation_id == bindparam("invitation_id")))  # every question page: built once


def _administration_with_answers(session: Session,
                                 invitation: Invitation) -> tuple[Administration | None, dict[Step, Recorded]]:
    """The link's administration and what stands for each question, in one statement (the answers as
    plain rows: the pages only read them)."""
    rows = session.execute(_ADMINISTRATION_WITH_ANSWERS, {"invitation_id": invitation.id}).all()
    if not rows:
        return None, {}
    return rows[0][0], {Step(instrument, number): Recorded(value, reason, revision)
                        for _administration, instrument, number, value, reason, revision in rows
                        if instrument is not None}


def _saved(session: Session, opened: Opened, administration: Administration) -> dict[Step, Answer | Recorded]:
    """The answers read when the questionnaire was opened in this request, else read now."""
    if opened.loaded is administration and opened.loaded_answers is not None:
        return opened.loaded_answers
    return answers(session, administration)


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
         given: GivenAnswer, sitting: Sitting, seen_revision: int, translation: Translation | None = None,
         now: datetime | None = None) -> Saved:
    """Save one answer (or its missing reason). `seen_revision` is the revision the person saw
    (0 for none): a change to an answer that has moved on since is refused."""
    _check(administration, definition, number, given)
    value, missing_reason = given.value, given.missing_reason
    now = now or clock.now()
    # A page that showed nothing recorded (most answers are new) goes straight to the insert.
    existing = None if seen_revision == 0 else _answer(session, administration, definition.id, number)
    if existing is None:
        made = _new_answer(administration, definition, number, given, sitting, translation, now)
        # One statement, no savepoint: a row saved from elsewhere meanwhile (answer_once) makes this
        # insert do nothing, and that row is read instead.
        columns = {column: getattr(made, column) for column in _ANSWER_COLUMNS}
        inserted = rows(session, _insert_answer(session), **columns).scalar()
        if inserted is not None:
            made.id = inserted
            return Saved(True, made)
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


def _check(administration: Administration, definition: Definition, number: int, given: GivenAnswer) -> None:
    value, missing_reason = given.value, given.missing_reason
    if administration.submitted_at is not None:
        raise NotAllowed("This questionnaire has been sent and can no longer change.")
    if (definition.id, definition.version) not in administration.instrument_keys \
            or not 1 <= number <= len(definition.items):
        raise NotAllowed(f"{definition.id} has no question {number} here.")
    if (value is None) == (missing_reason is None) \
            or (missing_reason and missing_reason not in measures.MISSING_REASONS):
        raise NotAllowed("Give an answer or a reason it is missing, not both.")
    if value is not None and value not in definition.scale(definition.item(number).scale).values:
        raise NotAllowed(f"{value} is not on the scale of question {number}.")


def _answer(session: Session, administration: Administration, instrument_id: str, number: int) -> Answer | None:
    return session.scalars(select(Answer).where(
        Answer.administration_id == administration.id, Answer.instrument_id == instrument_id,
        Answer.item_number == number).execution_options(populate_existing=True)).first()


_ANSWER_COLUMNS = tuple(column.key for column in Answer.__table__.columns if column.key != "id")


@by_dialect
def _insert_answer(dialect):
    return dialect.insert(Answer).on_conflict_do_nothing().returning(Answer.id)


def _new_answer(administration, definition, number, given, sitting, translation, now) -> Answer:
    return Answer(administration_id=administration.id, instrument_id=definition.id,
                  instrument_version=definition.version, item_number=number, value=given.value,
                  missing_reason=given.missing_reason,
                  language=translation.language if translation else definition.language,
                  translation=translation.key if translation else "",
                  translation_status=translation.status if translation else ORIGINAL,
                  mode=sitting.mode, recorded_by=sitting.recorded_by, consent_scope=_scope(sitting),
                  revision=1, saved_at=now)


def _scope(sitting: Sitting) -> str:
    return " ".join(sorted(sitting.scope))


def submit(session: Session, administration: Administration, invitation: Invitation, catalogue: Catalogue,
           actor: Actor, now: datetime | None = None) -> None:
    """Send the answers: only when every question has an answer or a reason. The link then closes,
    and the scores are worked out once and stored with the answers."""
    if administration.submitted_at is not None:
        return  # submitted twice: the first one stands
    if not progress(session, administration, catalogue).complete:
        raise NotAllowed("Some questions have nothing recorded yet.")
    now = now or clock.now()
    administration.submitted_at = now
    invitation.completed_at = now
    scores.store(session, administration, catalogue, now)
    audit.record(session, actor, "questionnaire.submitted", f"administration:{administration.id}")
    _close_other_links(session, invitation, now)


def _close_other_links(session: Session, finished: Invitation, now: datetime) -> None:
    """The timepoint is done: the person's other open links for it stop working, so nobody
    answers it twice."""
    others = session.scalars(select(Invitation).where(
        Invitation.owner_column(finished.store) == finished.owner_id, Invitation.timepoint == finished.timepoint,
        Invitation.id != finished.id, Invitation.revoked_at.is_(None), Invitation.completed_at.is_(None)))
    for other in others:
        invitations.revoke(session, other, audit.SYSTEM, now)


def delete_answers(session: Session, record: Record) -> int:
    """Remove every administration, answer and score of this person (withdrawal with deletion)."""
    ids = list(session.scalars(select(Administration.id).where(
        Administration.owner_column(record.store) == record.id)))
    if ids:
        session.execute(delete(Answer).where(Answer.administration_id.in_(ids)))
        session.execute(delete(AdministrationScore).where(AdministrationScore.administration_id.in_(ids)))
        session.execute(delete(Administration).where(Administration.id.in_(ids)))
    return len(ids)


# --- scores in support ------------------------------------------------------------------------

@dataclass(frozen=True)
class InstrumentScores:
    definition: Definition
    by_timepoint: dict[str, ScoreSet]
    change: dict[str, Change]  # T1 -> T2, when both are there and use the same version


def scores_for(session: Session, record: Record, catalogue: Catalogue) -> list[InstrumentScores]:
    """Stored scores of every submitted administration of this person, with T1 to T2 change."""
    done = _sent(session, record)
    stored = scores.read(session, done, catalogue)
    sets: dict[str, dict[str, tuple[Definition, ScoreSet]]] = {}
    for administration in done:
        for definition, result in stored[administration.id]:
            sets.setdefault(definition.id, {})[administration.timepoint] = (definition, result)
    return [_with_change(by_timepoint) for by_timepoint in sets.values()]


def _sent(session: Session, record: Record) -> list[Administration]:
    return list(session.scalars(select(Administration).where(
        Administration.owner_column(record.store) == record.id, Administration.submitted_at.is_not(None))
        .order_by(Administration.submitted_at)))


@dataclass(frozen=True)
class GivenItem:
    number: int
    text: str
    answer: str | None  # the label of the point chosen
    missing_reason: str | None  # or why there is none
    mode: str  # how it was given (MODE_NAMES)


@dataclass(frozen=True)
class GivenMeasure:
    definition: Definition
    items: tuple[GivenItem, ...]


@dataclass(frozen=True)
class SentAnswers:
    """One sent administration's answers, item by item, as the record shows them."""

    timepoint: str
    submitted_at: datetime
    early: bool
    measures: tuple[GivenMeasure, ...]


def answers_for(session: Session, record: Record, catalogue: Catalogue) -> list[SentAnswers]:
    """Every sent administration of this person with its answers, in two queries however many there
    are. Items and scale points are in the definition's own words, whatever language was used."""
    sent = _sent(session, record)
    saved: dict[int, dict[Step, Answer]] = {a.id: {} for a in sent}
    for row in session.scalars(select(Answer).where(Answer.administration_id.in_(list(saved)))):
        saved[row.administration_id][Step(row.instrument_id, row.item_number)] = row
    return [SentAnswers(a.timepoint, a.submitted_at, a.early,
                        tuple(_given(definition, saved[a.id]) for definition in definitions(a, catalogue)))
            for a in sent]


def _given(definition: Definition, saved: dict[Step, Answer]) -> GivenMeasure:
    items = []
    for item in definition.items:
        answer = saved.get(Step(definition.id, item.number))
        if answer is None:
            continue
        labels = {point.value: point.label for point in definition.scale(item.scale).points}
        items.append(GivenItem(item.number, item_text(definition, None, item.number), labels.get(answer.value),
                               answer.missing_reason, answer.mode))
    return GivenMeasure(definition, tuple(items))


def scores_of(session: Session, administration: Administration, catalogue: Catalogue) -> list[tuple[Definition, ScoreSet]]:
    """The stored scores of one administration, questionnaire by questionnaire."""
    return scores.read(session, [administration], catalogue)[administration.id]


def _with_change(by_timepoint: dict[str, tuple[Definition, ScoreSet]]) -> InstrumentScores:
    latest = by_timepoint[max(by_timepoint)][0]
    change = {}
    if "T1" in by_timepoint and "T2" in by_timepoint and by_timepoint["T1"][0] is by_timepoint["T2"][0]:
        change = compare(latest, by_timepoint["T1"][1], by_timepoint["T2"][1])
    return InstrumentScores(latest, {t: s for t, (_, s) in sorted(by_timepoint.items())}, change)
