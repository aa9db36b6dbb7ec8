"""Consent: the granular statements, a person's current answers, and the one gating rule.

Every questionnaire route asks `gate()` whether an administration may go ahead; nothing else
decides. The answers given become the scope recorded with every answer, so exports can
leave out what a person did not agree to share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from survey_app.domain.text import N_, Message

QUESTIONNAIRES = "questionnaires"
SHARE_ANSWERS = "share_answers"
SHARE_MONITORING = "share_monitoring"
INTERVIEW_CONTACT = "interview_contact"
LINK_PARTNER = "link_partner"
STATEMENTS = (QUESTIONNAIRES, SHARE_ANSWERS, SHARE_MONITORING, INTERVIEW_CONTACT, LINK_PARTNER)

GIVEN, DECLINED, NOT_NOW, WITHDRAWN = "given", "declined", "not_now", "withdrawn"
EVENT_KINDS = (GIVEN, DECLINED, NOT_NOW, WITHDRAWN)
DECLINE_REASONS = ("not_right_time", "worried_who_sees", "no_point", "too_much_to_do", "language_or_reading",
                   "prefer_not_to_say", "other")

# An interpreter who worked with one side of a case may never work with the other side.
INTERPRETER_CONFLICT = Message(N_("This interpreter has already worked with the other person in this case. "
                                  "For everyone's safety, book a different interpreter."))


class ConsentConfigError(ValueError):
    pass


@dataclass(frozen=True)
class StudyConsent:
    """Which statements a study requires before questionnaires can be answered."""

    required: frozenset[str]

    def __post_init__(self):
        unknown = self.required - set(STATEMENTS)
        if unknown:
            raise ConsentConfigError(f"Unknown consent statement(s): {', '.join(sorted(unknown))}.")
        if QUESTIONNAIRES not in self.required:
            raise ConsentConfigError("Consent to the questionnaires themselves must be required.")
        if LINK_PARTNER in self.required:
            raise ConsentConfigError("Linking answers with a partner's can never be required; it is always a "
                                     "free choice that defaults to no.")


DEFAULT_STUDY = StudyConsent(frozenset({QUESTIONNAIRES}))


@dataclass(frozen=True)
class ConsentEvent:
    kind: str
    at: datetime
    version: str = ""
    answers: tuple[tuple[str, bool], ...] = ()  # for GIVEN: every statement's answer
    mode: str = ""  # online | verbal
    ask_again_on: date | None = None  # NOT_NOW only


def latest(events: list[ConsentEvent]) -> ConsentEvent | None:
    """The newest event of any kind: what a practitioner needs to know first."""
    return max(events, key=lambda e: e.at, default=None)


def current_answers(events: list[ConsentEvent]) -> tuple[dict[str, bool] | None, str]:
    """The answers in force and the document version they were given for; (None, "") when no
    consent is in force (never given, declined, or withdrawn since). Events are never edited:
    the newest decisive event wins."""
    for event in sorted(events, key=lambda e: e.at, reverse=True):
        if event.kind == GIVEN:
            answers = dict(event.answers)
            answers.setdefault(LINK_PARTNER, False)  # never assumed
            return answers, event.version
        if event.kind in (DECLINED, WITHDRAWN):
            return None, ""
    return None, ""


@dataclass(frozen=True)
class Gate:
    may_answer: bool
    scope: frozenset[str]  # recorded with every answer
    reason: str  # why not, for staff; empty when allowed


def gate(events: list[ConsentEvent], study: StudyConsent, material_versions: set[str],
         version_order: list[str]) -> Gate:
    """May this person answer questionnaires now, and under what scope?

    `version_order` lists the consent document's versions oldest first; `material_versions`
    those whose changes need consent again. Consent given for an older version still holds
    unless a material version came after it.
    """
    answers, version = current_answers(events)
    if answers is None:
        return Gate(False, frozenset(), "no consent in force")
    missing = not_agreed(answers, study.required)
    if missing:
        return Gate(False, frozenset(), f"required statement(s) not agreed: {', '.join(missing)}")
    if _material_change_since(version, material_versions, version_order):
        return Gate(False, frozenset(), "the information changed in a way that needs consent again")
    return Gate(True, frozenset(s for s, agreed in answers.items() if agreed), "")


def _material_change_since(version: str, material: set[str], order: list[str]) -> bool:
    if version not in order:
        return True  # consent for a version we do not know cannot be relied on
    later = order[order.index(version) + 1:]
    return any(v in material for v in later)


def evaluator_may_use(scope: frozenset[str]) -> bool:
    """Answers go into evaluator datasets only with consent to share them."""
    return SHARE_ANSWERS in scope


def not_agreed(answers: Mapping[str, bool | None], required: frozenset[str]) -> list[str]:
    """The required statements without a yes, in order: consent needs yes to every one of them."""
    return sorted(s for s in required if not answers.get(s))


def ask_again_on(today: date, ask_again_days: int, chosen: date | None = None) -> date:
    """When to ask again after "not now": the date agreed with the person if there is one, else
    the study's usual wait from today."""
    return chosen or today + timedelta(days=ask_again_days)
