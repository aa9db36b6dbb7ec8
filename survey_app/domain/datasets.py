"""Evaluator datasets: which columns a dataset has, what each means, and how a participant becomes rows.

Plain Python: the service (services/exports.py) reads the records and the consent, and the writers
(services/dataset_files.py) turn rows into files. What never appears, whatever the filters: names,
contact details, study ids (replaced by pseudonyms), staff names or ids, interpreter ids, free text.

- Pseudonyms are keyed hashes (HMAC-SHA-256) of the store and the study id under the platform's
  export key: stable across exports, different in each store, and not reversible without the key.
  Rotating the export key starts a new pseudonym space.
- The linkage key is a keyed hash of the service user's study id. It is filled in, in both
  datasets, only for a pair where both people agreed to linking at the time of export; no other
  column lets the two datasets be joined. Days from case closure count from each person's own
  record, never from the other person's.
- Item answers are whole numbers; an unanswered item holds a code for why (DECLARED_MISSING), which
  the files declare as missing (SPSS user-missing values, Stata's .a/.b/.c, Frictionless
  missingValues), so the reason survives and is never counted as an answer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from survey_app.domain.instruments import Definition
from survey_app.domain.measures import DECLINED, NOT_UNDERSTOOD, SKIPPED, TIMEPOINTS

WIDE, LONG = "wide", "long"
LAYOUTS = (WIDE, LONG)
STRING, INTEGER, NUMBER, DATE = "string", "integer", "number", "date"

# Why an item has no answer, as the value the item's column holds instead.
MISSING_CODES = {SKIPPED: -1, DECLINED: -2, NOT_UNDERSTOOD: -3}
MISSING_LABELS = {-1: "Skipped", -2: "Declined to answer", -3: "Did not understand the question"}
# Stata keeps user-missing values as extended missing values (.a, .b, .c), not as numbers.
STATA_MISSING = {-1: "a", -2: "b", -3: "c"}

NO_PRACTITIONER = "none"  # answered on the person's own device, no staff member recorded it
MIXED = "mixed"  # answers of one sitting given in more than one mode, or recorded by more than one role

# Stata's limit on a variable's name; SPSS allows 64. Every generated name must fit.
MAX_NAME = 32


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # STRING | INTEGER | NUMBER | DATE
    title: str
    description: str = ""
    values: tuple[tuple[int, str], ...] = ()  # value labels
    missing: tuple[tuple[int, str], ...] = ()  # declared missing codes and what each means

    def __post_init__(self):
        if len(self.name) > MAX_NAME or not self.name.replace("_", "").isalnum() or not self.name[0].isalpha():
            raise ValueError(f"{self.name!r} is not a valid variable name for SPSS and Stata.")


# --- pseudonyms -------------------------------------------------------------------------------

def _keyed(key: bytes, message: str, prefix: str) -> str:
    digest = hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()
    # 80 bits in base32: short enough to read out, far beyond any collision at this scale.
    return prefix + base64.b32encode(digest[:10]).decode("ascii")


def pseudonym(key: bytes, store: str, study_id: str) -> str:
    return _keyed(key, f"pseudonym\0{store}\0{study_id}", "P")


def linkage_key(key: bytes, service_user_study_id: str) -> str:
    return _keyed(key, f"linkage\0{service_user_study_id}", "L")


# --- what a participant's data looks like once read ------------------------------------------

@dataclass(frozen=True)
class ItemAnswer:
    number: int
    value: int | None
    missing_reason: str | None
    mode: str
    practitioner_role: str  # NO_PRACTITIONER when the person answered alone

    @property
    def coded(self) -> int:
        return self.value if self.value is not None else MISSING_CODES[self.missing_reason]


@dataclass(frozen=True)
class ScoreValue:
    value: float | None
    status: str  # complete | prorated | insufficient


@dataclass(frozen=True)
class MeasureTaken:
    instrument: str
    version: str
    translation: str  # the translation's key, or "" for the original wording
    translation_status: str  # "original" or the translation's validation status
    answers: tuple[ItemAnswer, ...]
    scores: dict[str, ScoreValue]


@dataclass(frozen=True)
class Sitting:
    """One submitted administration."""

    timepoint: str
    completed: date
    language: str
    interpreter: bool
    days_from_closure: int | None  # working days; None when not shared or no closure yet
    measures: tuple[MeasureTaken, ...]
    early: bool = False  # its link was made, and confirmed, before the timepoint was due
    spoken_language: str = ""  # the tag of the language an interpreter spoke; "" when none was recorded

    @property
    def answers(self) -> tuple[ItemAnswer, ...]:
        return tuple(answer for measure in self.measures for answer in measure.answers)

    @property
    def mode(self) -> str:
        return _one_or_mixed(answer.mode for answer in self.answers)

    @property
    def practitioner_role(self) -> str:
        return _one_or_mixed(answer.practitioner_role for answer in self.answers)


@dataclass(frozen=True)
class Participant:
    pseudonym: str
    linkage_key: str | None
    site: str
    sittings: tuple[Sitting, ...]  # oldest first


def _one_or_mixed(values) -> str:
    found = set(values)
    return found.pop() if len(found) == 1 else (MIXED if found else "")


# --- columns ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """The columns of one dataset and how a participant becomes its rows."""

    cohort: str
    layout: str
    measures: dict[str, tuple[Definition, ...]]  # timepoint -> the definitions given then
    columns: tuple[Column, ...] = field(init=False)

    def __post_init__(self):
        columns = _wide_columns(self.measures) if self.layout == WIDE else _long_columns(self.measures)
        names = [c.name for c in columns]
        if len(set(names)) != len(names):
            raise ValueError("Two columns of a dataset have the same name.")
        object.__setattr__(self, "columns", tuple(columns))

    def rows(self, participant: Participant) -> Iterator[list]:
        if self.layout == WIDE:
            yield _wide_row(self, participant)
        else:
            yield from _long_rows(self, participant)


def _person_columns() -> list[Column]:
    return [
        Column("pseudonym", STRING, "Pseudonym",
               "Stable across exports under the same export key; not reversible without it."),
        Column("linkage_key", STRING, "Linkage key",
               "The same value in the service-user and the (ex-)partner dataset for a pair who both agreed to "
               "their answers being linked; empty otherwise."),
        Column("site", STRING, "Site"),
        Column("cohort", STRING, "Cohort", "service_user or victim_survivor: one cohort per dataset, never both."),
    ]


def _sitting_columns(prefix: str, timepoint: str) -> list[Column]:
    at = f"{timepoint}: "
    columns = [
        Column(f"{prefix}completed", DATE, at + "date sent", "The day the person sent the questionnaires (date only)."),
        Column(f"{prefix}mode", STRING, at + "mode",
               "link (own device), screen_share (practitioner's shared screen), phone (read aloud), or mixed."),
        Column(f"{prefix}language", STRING, at + "language", "The language the questions were given in (BCP 47)."),
        Column(f"{prefix}interpreter", INTEGER, at + "interpreter present", values=((0, "No"), (1, "Yes"))),
        Column(f"{prefix}spoken_language", STRING, at + "language the interpreter spoke",
               "BCP 47 tag of the language an interpreter spoke with the person (for example syl for Sylheti), "
               "who read the questions in the written language above; empty when none was recorded."),
        Column(f"{prefix}practitioner_role", STRING, at + "practitioner role",
               "The role of the staff member who recorded the answers: case_manager, partner_support_worker, "
               "none (answered alone) or mixed. Never a name."),
    ]
    if timepoint != "T1":  # the endpoint is timed from case closure, and may be given early; the baseline not
        columns += [_days_from_closure(prefix, at), _early(prefix, at)]
    return columns


def _early(prefix: str, at: str) -> Column:
    return Column(f"{prefix}early", INTEGER, at + "given before it was due",
                  "1 when the practitioner made the link before the T2 window opened and confirmed it.",
                  values=((0, "No"), (1, "Yes")))


def _days_from_closure(prefix: str, at: str) -> Column:
    return Column(f"{prefix}days_from_closure", INTEGER, at + "working days from case closure",
                  "T2 only. Working days in England from the person's own case closure to the date sent (negative: "
                  "before closure). Empty when the case is open or the person did not agree to share records about "
                  "their support.")


def _measure_columns(prefix: str, timepoint: str, definition: Definition) -> list[Column]:
    at, name = f"{timepoint} {definition.short_title}: ", f"{prefix}{definition.id}_"
    columns = [
        Column(f"{name}version", STRING, at + "instrument version"),
        Column(f"{name}translation", STRING, at + "translation", "The translation's key; empty for the original."),
        Column(f"{name}transl_status", STRING, at + "translation status",
               "original, validated, unvalidated or in_review."),
    ]
    columns += [_item_column(f"{name}{item.number:02d}", at, definition, item) for item in definition.items]
    return columns + _score_columns(name, at, definition)


def _item_column(name: str, at: str, definition: Definition, item) -> Column:
    points = definition.scale(item.scale).points
    return Column(name, INTEGER, f"{at}item {item.number}: {item.text}", item.text,
                  values=tuple((p.value, p.label) for p in points), missing=tuple(MISSING_LABELS.items()))


def _score_columns(name: str, at: str, definition: Definition) -> list[Column]:
    columns = []
    for rule in definition.scores:
        columns.append(Column(f"{name}{rule.name}", NUMBER, f"{at}{rule.label}",
                              "Empty when there were not enough answers (see the status)."))
        columns.append(Column(f"{name}{rule.name}_st", STRING, f"{at}{rule.label} (status)",
                              "complete, prorated (missing items filled by the definition's rule) or insufficient."))
    return columns


def _wide_columns(measures: dict[str, tuple[Definition, ...]]) -> list[Column]:
    columns = _person_columns()
    for timepoint in TIMEPOINTS:
        prefix = timepoint.lower() + "_"
        columns += _sitting_columns(prefix, timepoint)
        for definition in measures.get(timepoint, ()):
            columns += _measure_columns(prefix, timepoint, definition)
    return columns


def _long_columns(measures: dict[str, tuple[Definition, ...]]) -> list[Column]:
    every = _by_instrument(measures)
    columns = _person_columns() + [Column("timepoint", STRING, "Timepoint", "T1 (baseline) or T2 (endpoint).")]
    columns += [c for c in _sitting_columns("", "Sitting") if c.name not in ("mode", "practitioner_role")]
    columns += [
        Column("instrument", STRING, "Instrument"),
        Column("version", STRING, "Instrument version"),
        Column("translation", STRING, "Translation", "The translation's key; empty for the original."),
        Column("transl_status", STRING, "Translation status", "original, validated, unvalidated or in_review."),
        Column("item", INTEGER, "Item number"),
        Column("answer", INTEGER, "Answer",
               "The value of the chosen response (see each instrument's scale in the codebook).",
               missing=tuple(MISSING_LABELS.items())),
        Column("mode", STRING, "Mode of this answer", "link, screen_share or phone."),
        Column("practitioner_role", STRING, "Practitioner role",
               "Who recorded this answer: case_manager, partner_support_worker or none. Never a name."),
    ]
    for definition in every.values():
        columns += _score_columns(f"{definition.id}_", f"{definition.short_title}: ", definition)
    return columns


def _by_instrument(measures: dict[str, tuple[Definition, ...]]) -> dict[str, Definition]:
    return {d.id: d for timepoint in TIMEPOINTS for d in measures.get(timepoint, ())}


# --- rows -------------------------------------------------------------------------------------

def _wide_row(layout: Layout, participant: Participant) -> list:
    values = {"pseudonym": participant.pseudonym, "linkage_key": participant.linkage_key or "",
              "site": participant.site, "cohort": layout.cohort}
    for timepoint in TIMEPOINTS:
        sitting = next((s for s in participant.sittings if s.timepoint == timepoint), None)  # the first sent
        if sitting is not None:
            values.update(_sitting_values(timepoint.lower() + "_", sitting))
    return [values.get(column.name) for column in layout.columns]


def _sitting_values(prefix: str, sitting: Sitting) -> dict:
    values = {f"{prefix}completed": sitting.completed, f"{prefix}mode": sitting.mode,
              f"{prefix}language": sitting.language, f"{prefix}interpreter": int(sitting.interpreter),
              f"{prefix}spoken_language": sitting.spoken_language,
              f"{prefix}practitioner_role": sitting.practitioner_role,
              f"{prefix}days_from_closure": sitting.days_from_closure, f"{prefix}early": int(sitting.early)}
    for measure in sitting.measures:
        name = f"{prefix}{measure.instrument}_"
        values.update({f"{name}version": measure.version, f"{name}translation": measure.translation,
                       f"{name}transl_status": measure.translation_status})
        values.update({f"{name}{answer.number:02d}": answer.coded for answer in measure.answers})
        values.update(_score_values(name, measure.scores))
    return values


def _score_values(name: str, scores: dict[str, ScoreValue]) -> dict:
    values = {}
    for score_name, score in scores.items():
        values[f"{name}{score_name}"] = score.value
        values[f"{name}{score_name}_st"] = score.status
    return values


def _long_rows(layout: Layout, participant: Participant) -> Iterator[list]:
    person = {"pseudonym": participant.pseudonym, "linkage_key": participant.linkage_key or "",
              "site": participant.site, "cohort": layout.cohort}
    for sitting in participant.sittings:
        shared = {**person, "timepoint": sitting.timepoint, "completed": sitting.completed,
                  "language": sitting.language, "interpreter": int(sitting.interpreter),
                  "spoken_language": sitting.spoken_language,
                  "days_from_closure": sitting.days_from_closure, "early": int(sitting.early)}
        for measure in sitting.measures:
            common = {**shared, "instrument": measure.instrument, "version": measure.version,
                      "translation": measure.translation, "transl_status": measure.translation_status,
                      **_score_values(f"{measure.instrument}_", measure.scores)}
            for answer in measure.answers:
                row = {**common, "item": answer.number, "answer": answer.coded, "mode": answer.mode,
                       "practitioner_role": answer.practitioner_role}
                yield [row.get(column.name) for column in layout.columns]


def data_file_name(cohort: str, layout: str, extension: str) -> str:
    return f"{cohort}_{layout}.{extension}"


def value_labels(columns: Sequence[Column]) -> dict[str, dict[int, str]]:
    """Every labelled column's labels, declared missing codes included."""
    return {c.name: dict(c.values + c.missing) for c in columns if c.values or c.missing}
