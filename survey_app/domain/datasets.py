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
from collections.abc import Sequence
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
#
# A dataset holds millions of item answers, so an answer is a plain tuple, never an object:
# (item number, coded value, mode, practitioner role), the coded value being the answer or, for an
# unanswered item, the MISSING_CODES code for why. A score is (score id, value, status): the value is
# None when there were not enough answers; the status is complete, prorated or insufficient.

ItemAnswer = tuple[int, int, str, str]
ScoreValue = tuple[str, float | None, str]


@dataclass(frozen=True)
class MeasureTaken:
    instrument: str
    version: str
    translation: str  # the translation's key, or "" for the original wording
    translation_status: str  # "original" or the translation's validation status
    answers: Sequence[ItemAnswer]  # in item order
    scores: Sequence[ScoreValue]


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
    def mode(self) -> str:
        return _one_or_mixed({answer[2] for measure in self.measures for answer in measure.answers})

    @property
    def practitioner_role(self) -> str:
        return _one_or_mixed({answer[3] for measure in self.measures for answer in measure.answers})


@dataclass(frozen=True)
class Participant:
    pseudonym: str
    linkage_key: str | None
    site: str
    sittings: tuple[Sitting, ...]  # oldest first


def _one_or_mixed(found: set) -> str:
    return next(iter(found)) if len(found) == 1 else (MIXED if found else "")


# --- columns ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """The columns of one dataset and how a participant becomes its rows."""

    cohort: str
    layout: str
    measures: dict[str, tuple[Definition, ...]]  # timepoint -> the definitions given then
    columns: tuple[Column, ...] = field(init=False)
    _rows: _Rows = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        columns = _wide_columns(self.measures) if self.layout == WIDE else _long_columns(self.measures)
        names = [c.name for c in columns]
        if len(set(names)) != len(names):
            raise ValueError("Two columns of a dataset have the same name.")
        object.__setattr__(self, "columns", tuple(columns))
        object.__setattr__(self, "_rows", (_WideRows if self.layout == WIDE else _LongRows)(self.cohort, names))

    def rows(self, participant: Participant) -> list[list]:
        """The participant's rows: one (wide) or one per item answer (long). A cell with no value is None."""
        return self._rows.of(participant)


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
#
# Each value is put straight into its column's place in the row. The places are found once, by the
# column's name (so a value whose name is not a column of the dataset, an item of another version say,
# is left out), and kept: rows are made by the hundred thousand.

_UNKNOWN = object()


class _Rows:
    def __init__(self, cohort: str, names: list[str]):
        self.cohort, self.width = cohort, len(names)
        self.index = {name: i for i, name in enumerate(names)}
        self.person = tuple(self.index.get(name) for name in ("pseudonym", "linkage_key", "site", "cohort"))
        self._items: dict[str, dict[int, int | None]] = {}
        self._scores: dict[str, dict[str, tuple[int | None, int | None]]] = {}

    def blank(self, participant: Participant) -> list:
        row = [None] * self.width
        self.put(row, self.person, (participant.pseudonym, participant.linkage_key or "", participant.site,
                                    self.cohort))
        return row

    @staticmethod
    def put(row: list, places: tuple[int | None, ...], values: tuple) -> None:
        for place, value in zip(places, values):
            if place is not None:
                row[place] = value

    def put_scores(self, row: list, name: str, scores: Sequence[ScoreValue]) -> None:
        places = self._scores.setdefault(name, {})
        for score_id, value, status in scores:
            found = places.get(score_id)
            if found is None:
                found = places[score_id] = (self.index.get(f"{name}{score_id}"), self.index.get(f"{name}{score_id}_st"))
            self.put(row, found, (value, status))


class _WideRows(_Rows):
    """One row per participant: each timepoint's first sitting sent, side by side."""

    SITTING = ("completed", "mode", "language", "interpreter", "spoken_language", "practitioner_role",
               "days_from_closure", "early")
    MEASURE = ("version", "translation", "transl_status")

    def __init__(self, cohort: str, names: list[str]):
        super().__init__(cohort, names)
        self.sitting = {timepoint: tuple(self.index.get(f"{timepoint.lower()}_{name}") for name in self.SITTING)
                        for timepoint in TIMEPOINTS}

    def of(self, participant: Participant) -> list[list]:
        row = self.blank(participant)
        for timepoint in TIMEPOINTS:
            sitting = next((s for s in participant.sittings if s.timepoint == timepoint), None)  # the first sent
            if sitting is not None:
                self._sitting(row, timepoint.lower() + "_", self.sitting[timepoint], sitting)
        return [row]

    def _sitting(self, row: list, prefix: str, places: tuple, sitting: Sitting) -> None:
        self.put(row, places, (sitting.completed, sitting.mode, sitting.language, int(sitting.interpreter),
                               sitting.spoken_language, sitting.practitioner_role, sitting.days_from_closure,
                               int(sitting.early)))
        index = self.index
        for measure in sitting.measures:
            name = f"{prefix}{measure.instrument}_"
            self.put(row, tuple(index.get(name + field_name) for field_name in self.MEASURE),
                     (measure.version, measure.translation, measure.translation_status))
            items = self._items.setdefault(name, {})  # item number -> its column's place (None: no column)
            for number, value, _mode, _role in measure.answers:
                place = items.get(number, _UNKNOWN)
                if place is _UNKNOWN:
                    place = items[number] = index.get(f"{name}{number:02d}")
                if place is not None:
                    row[place] = value
            self.put_scores(row, name, measure.scores)


class _LongRows(_Rows):
    """One row per item answer, with its person, sitting, measure and the measure's scores."""

    SITTING = ("timepoint", "completed", "language", "interpreter", "spoken_language", "days_from_closure", "early")
    MEASURE = ("instrument", "version", "translation", "transl_status")
    ANSWER = ("item", "answer", "mode", "practitioner_role")

    def __init__(self, cohort: str, names: list[str]):
        super().__init__(cohort, names)
        self.sitting = tuple(self.index.get(name) for name in self.SITTING)
        self.measure = tuple(self.index.get(name) for name in self.MEASURE)
        self.answer = tuple(self.index.get(name) for name in self.ANSWER)

    def of(self, participant: Participant) -> list[list]:
        rows = []
        person = self.blank(participant)
        for sitting in participant.sittings:
            shared = person.copy()
            self.put(shared, self.sitting, (sitting.timepoint, sitting.completed, sitting.language,
                                            int(sitting.interpreter), sitting.spoken_language,
                                            sitting.days_from_closure, int(sitting.early)))
            for measure in sitting.measures:
                common = shared.copy()
                self.put(common, self.measure, (measure.instrument, measure.version, measure.translation,
                                                measure.translation_status))
                self.put_scores(common, f"{measure.instrument}_", measure.scores)
                rows.extend(self._answers(common, measure.answers))
        return rows

    def _answers(self, common: list, answers: Sequence[ItemAnswer]) -> list[list]:
        item, value, mode, role = self.answer  # a long dataset always has these four columns
        made = []
        for answer in answers:
            row = common.copy()
            row[item], row[value], row[mode], row[role] = answer
            made.append(row)
        return made


def data_file_name(cohort: str, layout: str, extension: str) -> str:
    return f"{cohort}_{layout}.{extension}"


def value_labels(columns: Sequence[Column]) -> dict[str, dict[int, str]]:
    """Every labelled column's labels, declared missing codes included."""
    return {c.name: dict(c.values + c.missing) for c in columns if c.values or c.missing}
