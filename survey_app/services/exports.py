"""Export an evaluator dataset: one cohort, one layout, one format, with its codebook and data package.

Who is in it is decided at the time of export, from each person's consent in force then:
- only people whose current consent says yes to sharing their answers with the evaluators; a person
  who withdrew (or declined, or never agreed) is absent from every later export;
- only questionnaires the person sent (they pressed "send" on the check page); answers saved in a
  sitting that was never sent stay with the practitioner;
- working days from case closure only for people who agreed to share records about their support;
- a linkage key only for a pair who both agreed to linking and to sharing their answers.

Records are read in batches by id (keyset pages) as plain rows (no ORM objects piling up in the
session), so memory does not grow with the number of people; the CSV writer streams, a batch of rows
at a time. Item answers, by far the most rows read, are read as tuples of just the columns a dataset
shows and go into the rows as tuples: no object is made per answer. None of what is read is
encrypted (names and phone numbers are, and are never read here), so nothing is decrypted.
Every export is audited: who, filters, rows and files' hashes.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.metadata import version as package_version
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain import datasets
from survey_app.domain.catalogue import Catalogue
from survey_app.domain.consent import LINK_PARTNER, SHARE_ANSWERS, SHARE_MONITORING, current_answers
from survey_app.domain.datasets import Layout, MeasureTaken, Participant, Sitting
from survey_app.domain.instruments import Definition
from survey_app.domain.times import day_in_england
from survey_app.domain.windows import working_days_between
from survey_app.services import audit, dataset_files
from survey_app.services.audit import Actor
from survey_app.services.consent import event_from_row
from survey_app.services.unit_of_work import transaction
from survey_app.store.answers import Administration, Answer, instrument_keys
from survey_app.store.consent import ConsentEventRow
from survey_app.store.records import MODELS, SERVICE_USER, STORES, VICTIM_SURVIVOR, ServiceUser, VictimSurvivor
from survey_app.store.scores import AdministrationScore
from survey_app.store.staff import Site, Staff

BATCH = 2000  # people read at a time: a few tens of thousands of answers, a few MB
FORMATS = ("csv", "sav", "dta")


class ExportRefused(ValueError):
    """The request cannot be exported as asked; the message says why, in plain words."""


@dataclass(frozen=True)
class ExportRequest:
    cohort: str
    layout: str
    format: str
    start: date | None = None  # sent on or after this day (England)
    end: date | None = None  # sent on or before this day
    site: str | None = None  # a site's name; every site when None

    def problems(self) -> list[str]:
        found = []
        if self.cohort not in STORES:
            found.append(f"The cohort must be {' or '.join(STORES)}.")
        if self.layout not in datasets.LAYOUTS:
            found.append(f"The layout must be {' or '.join(datasets.LAYOUTS)}.")
        if self.format not in FORMATS:
            found.append(f"The format must be {', '.join(FORMATS)}.")
        if self.start and self.end and self.start > self.end:
            found.append("The start of the period must be on or before its end.")
        return found

    @property
    def filters(self) -> dict:
        return {"cohort": self.cohort, "layout": self.layout, "format": self.format,
                "from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None, "site": self.site}


@dataclass(frozen=True)
class Exported:
    files: list[str]  # names, in the folder written to
    rows: int
    participants: int
    hashes: dict[str, str]  # file name -> SHA-256


@dataclass
class Tally:
    """What the export met on its way, for the data package's reproducibility record."""

    rows: int = 0
    participants: int = 0
    consent_versions: set[str] = field(default_factory=set)
    instruments: set[str] = field(default_factory=set)  # "urica/1.0"
    translations: set[tuple[str, str]] = field(default_factory=set)  # (key, status)


def export(session: Session, catalogue: Catalogue, export_keys: list[str], request: ExportRequest, folder: Path,
           actor: Actor, codebook: Callable[..., str]) -> Exported:
    """Write the data file, codebook.html (rendered by `codebook` from its context) and datapackage.json
    into `folder` (made if missing), audit the export, and say what was written. Nothing is written when
    the request is refused."""
    problems = request.problems()
    site_id = _site_id(session, request.site)
    if request.site is not None and site_id is None:
        problems.append(f"There is no site called {request.site!r}.")
    if problems:
        raise ExportRefused(" ".join(problems))
    layout = Layout(request.cohort, request.layout, measures_given(catalogue, request.cohort))
    tally, exported_at = Tally(), clock.now()
    key = export_key(export_keys)
    with tempfile.TemporaryDirectory(prefix="export-") as scratch:
        scratch = Path(scratch)
        people = participants(session, catalogue, key, request, site_id, tally)
        data_name = dataset_files.write_data(layout, _row_batches(people, layout, tally), request.format, scratch)
        package = dataset_files.describe(layout, request, data_name, scratch, catalogue, tally, exported_at,
                                         package_version("survey-app"))
        dataset_files.write_codebook(layout, package, scratch, codebook)
        hashes = dataset_files.write_package(package, scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for name in hashes:
            shutil.move(scratch / name, folder / name)
    with transaction(session):
        audit.record(session, actor, "dataset.export", request.cohort,
                     {**request.filters, "rows": tally.rows, "participants": tally.participants, "files": hashes})
    return Exported(list(hashes), tally.rows, tally.participants, hashes)


def export_zip(session: Session, catalogue: Catalogue, export_keys: list[str], request: ExportRequest,
               actor: Actor, codebook: Callable[..., str]) -> tuple[Path, Exported]:
    """The same export as one zip file (data, codebook, data package), for a download. The caller
    removes the file when it has been sent."""
    with tempfile.TemporaryDirectory(prefix="export-") as scratch:
        exported = export(session, catalogue, export_keys, request, Path(scratch), actor, codebook)
        handle, name = tempfile.mkstemp(prefix="export-", suffix=".zip")
        with open(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as bundle:
            for file_name in exported.files:
                bundle.write(Path(scratch) / file_name, file_name)
    return Path(name), exported


def zip_name(request: ExportRequest) -> str:
    return f"{request.cohort}_{request.layout}_{request.format}_{clock.today().isoformat()}.zip"


def export_key(keys: list[str]) -> bytes:
    """The newest export key, as bytes for HMAC. Older keys are never used: rotating the key starts a
    new pseudonym space."""
    if not keys:
        raise ExportRefused("No export key is configured (SURVEY_EXPORT_KEYS).")
    return base64.urlsafe_b64decode(keys[0])


def measures_given(catalogue: Catalogue, cohort: str) -> dict[str, tuple[Definition, ...]]:
    """For each timepoint, the latest published version of each measure the study gives the cohort
    then (instruments/expected.yaml): these make the dataset's columns."""
    given: dict[str, list[Definition]] = defaultdict(list)
    for expected in catalogue.expected:
        definition = catalogue.get(expected.id)
        if expected.audience != cohort or definition is None:
            continue
        for timepoint in expected.timepoints:
            given[timepoint].append(definition)
    return {timepoint: tuple(found) for timepoint, found in given.items()}


def _row_batches(batches: Iterator[list[Participant]], layout: Layout, tally: Tally) -> Iterator[list[list]]:
    """Each batch of people as their rows, counted."""
    for people in batches:
        rows = []
        for participant in people:
            rows += layout.rows(participant)
        tally.participants += len(people)
        tally.rows += len(rows)
        yield rows


def _site_id(session: Session, name: str | None) -> int | None:
    return None if name is None else session.scalar(select(Site.id).where(Site.name == name))


# --- reading the people, a batch at a time -----------------------------------------------------

def participants(session: Session, catalogue: Catalogue, key: bytes, request: ExportRequest, site_id: int | None,
                 tally: Tally) -> Iterator[list[Participant]]:
    """The people in the export, a batch at a time, in the order of their records."""
    model = MODELS[request.cohort]
    sites = dict(session.execute(select(Site.id, Site.name)).all())
    roles = dict(session.execute(select(Staff.id, Staff.role)).all())
    columns = [model.id, model.study_id, model.site_id, model.closure_date]
    if request.cohort == VICTIM_SURVIVOR:
        columns.append(VictimSurvivor.linked_service_user)
    after = 0
    while True:
        query = select(*columns).where(model.id > after).order_by(model.id).limit(BATCH)
        if site_id is not None:
            query = query.where(model.site_id == site_id)
        batch = _read(session, query).all()
        if not batch:
            return
        after = batch[-1].id
        yield list(_batch(session, catalogue, key, request, batch, sites, roles, tally))


def _batch(session, catalogue, key, request, batch, sites, roles, tally) -> Iterator[Participant]:
    consent = _consent_in_force(session, request.cohort, [r.id for r in batch])
    sharing = [r for r in batch if consent.get(r.id, {}).get(SHARE_ANSWERS)]
    linked = _linkable(session, request.cohort, sharing, consent)
    sittings = _sittings(session, request, sharing, consent, roles, tally)
    for record in sharing:
        found = sittings.get(record.id)
        if not found:
            continue
        tally.consent_versions.add(consent[record.id]["version"])
        link = datasets.linkage_key(key, linked[record.id]) if record.id in linked else None
        yield Participant(datasets.pseudonym(key, request.cohort, record.study_id), link, sites[record.site_id],
                          tuple(found))


def _read(session: Session, query):
    """Run a query of columns in the session's transaction, without the ORM's row handling (a batch reads
    tens of thousands of rows: the ORM's work per row would be most of the time)."""
    return session.connection().execute(query)


def _consent_in_force(session: Session, store: str, ids: list[int]) -> dict[int, dict]:
    """record id -> the answers in force (with "version"), for those who have consent in force."""
    events = defaultdict(list)
    table = ConsentEventRow.__table__.c
    rows = _read(session, select(table.record_id, table.kind, table.at, table.document_version, table.answers,
                                 table.mode, table.ask_again_on)
                 .where(table.store == store, table.record_id.in_(ids)))
    for row in rows:
        events[row.record_id].append(event_from_row(row))
    found = {}
    for record_id, theirs in events.items():
        answers, version = current_answers(theirs)
        if answers is not None:
            found[record_id] = {**answers, "version": version}
    return found


def _linkable(session: Session, cohort: str, sharing: list, consent: dict[int, dict]) -> dict[int, str]:
    """record id -> the service user's study id, for people in this batch whose pair both agree to
    linking (and to sharing their answers) now."""
    agreeing = {r.id: r for r in sharing if consent[r.id].get(LINK_PARTNER)}
    if not agreeing:
        return {}
    if cohort == SERVICE_USER:
        study_ids = {r.study_id: r.id for r in agreeing.values()}
        others = _read(session, select(VictimSurvivor.id, VictimSurvivor.linked_service_user)
                       .where(VictimSurvivor.linked_service_user.in_(study_ids)))
        pairs = [(study_ids[o.linked_service_user], o, o.linked_service_user) for o in others]
    else:
        by_study_id = {r.linked_service_user: r.id for r in agreeing.values() if r.linked_service_user}
        others = _read(session, select(ServiceUser.id, ServiceUser.study_id)
                       .where(ServiceUser.study_id.in_(by_study_id)))
        pairs = [(by_study_id[o.study_id], o, o.study_id) for o in others]
    other_store = VICTIM_SURVIVOR if cohort == SERVICE_USER else SERVICE_USER
    other_consent = _consent_in_force(session, other_store, [o.id for _, o, _ in pairs])
    return {mine: study_id for mine, other, study_id in pairs
            if other_consent.get(other.id, {}).get(LINK_PARTNER) and other_consent[other.id].get(SHARE_ANSWERS)}


def _sittings(session, request, sharing, consent, roles, tally) -> dict[int, list[Sitting]]:
    """record id -> the questionnaires they sent in the period, oldest first."""
    if not sharing:
        return {}
    owner = Administration.service_user_id if request.cohort == SERVICE_USER else Administration.victim_survivor_id
    records = {r.id: r for r in sharing}
    sent = _read(session, select(Administration.id, owner, Administration.timepoint, Administration.instruments,
                                 Administration.language, Administration.interpreter, Administration.early,
                                 Administration.spoken_language, Administration.submitted_at)
                 .where(owner.in_(records), Administration.submitted_at.is_not(None))
                 .order_by(Administration.submitted_at, Administration.id)).all()
    sent = [a for a in sent if _in_period(day_in_england(a.submitted_at), request)]
    answers, scores = _answers_and_scores(session, [a.id for a in sent], roles)
    found = defaultdict(list)
    for administration in sent:
        record = records[getattr(administration, owner.key)]
        monitoring = consent[record.id].get(SHARE_MONITORING)
        found[record.id].append(_sitting(administration, record, monitoring, answers, scores, tally))
    return found


# An administration's instruments column takes a handful of values across a whole export.
_instrument_keys = lru_cache(maxsize=256)(instrument_keys)


def _in_period(day: date, request: ExportRequest) -> bool:
    return (request.start is None or day >= request.start) and (request.end is None or day <= request.end)


def _answers_and_scores(session: Session, ids: list[int], roles: dict[int, str]) -> tuple[dict, dict]:
    """(administration id, instrument id) -> its answers in item order, as (translation, translation status,
    [(item number, coded value, mode, practitioner role), ...]), and its stored scores as [(score id, value,
    status), ...]. Only the columns a dataset uses are read, as plain tuples: a batch holds tens of
    thousands of answers."""
    answers, scores = {}, defaultdict(list)
    if not ids:
        return answers, scores
    codes, nobody = datasets.MISSING_CODES, datasets.NO_PRACTITIONER
    rows = _read(session, select(Answer.administration_id, Answer.instrument_id, Answer.item_number, Answer.value,
                                 Answer.missing_reason, Answer.mode, Answer.recorded_by, Answer.translation,
                                 Answer.translation_status)
                 .where(Answer.administration_id.in_(ids))
                 .order_by(Answer.administration_id, Answer.instrument_id, Answer.item_number))
    last_id = last_instrument = items = None
    for administration_id, instrument, number, value, reason, mode, recorded_by, translation, status in rows:
        if administration_id != last_id or instrument != last_instrument:
            last_id, last_instrument, items = administration_id, instrument, []
            answers[administration_id, instrument] = (translation, status, items)  # the first answer's
        items.append((number, value if value is not None else codes[reason], mode, roles.get(recorded_by, nobody)))
    score = AdministrationScore
    for administration_id, instrument, score_id, numerator, denominator, status in _read(
            session, select(score.administration_id, score.instrument_id, score.score_id, score.numerator,
                            score.denominator, score.status).where(score.administration_id.in_(ids))):
        # Dividing two integers gives the nearest float to the exact fraction.
        scores[administration_id, instrument].append(
            (score_id, None if numerator is None else numerator / denominator, status))
    return answers, scores


def _sitting(administration, record, monitoring, answers, scores, tally) -> Sitting:
    completed = day_in_england(administration.submitted_at)
    days = None
    if administration.timepoint == "T2" and monitoring and record.closure_date is not None:
        days = working_days_between(record.closure_date, completed)
    measures = []
    for instrument, version in _instrument_keys(administration.instruments):
        tally.instruments.add(f"{instrument}/{version}")
        key = (administration.id, instrument)
        measures.append(_measure(instrument, version, answers.get(key), scores.get(key, ()), tally))
    return Sitting(administration.timepoint, completed, administration.language, bool(administration.interpreter),
                   days, tuple(measures), bool(administration.early), administration.spoken_language or "")


def _measure(instrument, version, answered, scores, tally) -> MeasureTaken:
    translation, status, items = answered if answered else ("", "original", ())
    if translation:
        tally.translations.add((translation, status))
    return MeasureTaken(instrument, version, translation, status, items, scores)
