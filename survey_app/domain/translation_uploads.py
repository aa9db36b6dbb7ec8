"""Translations uploaded from the admin pages: checked, shown beside the original, published.

An upload is checked exactly as the file would be (`catalogue.check_translation_file`,
`consent_documents.check_document_file`) at the place its content says it belongs, without
writing anything. Publishing writes it there and then publishes it as `survey instruments
publish` and `survey consent publish` do, so one rule decides in both places. A refused upload
changes no file and no lock.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from survey_app.domain import catalogue, consent_documents
from survey_app.domain.consent_documents import BASE_LANGUAGE, ConsentDocument, document_data
from survey_app.domain.datafiles import PublishError, display_path, read_checked
from survey_app.domain.instruments import Definition, valid_language_tag
from survey_app.domain.problems import Problem, read_yaml
from survey_app.domain.text import N_
from survey_app.domain.translations import Translation

INSTRUMENT, CONSENT = "instrument", "consent"
SAFE_TAG = re.compile(r"^[A-Za-z0-9-]+$")  # a language tag that can be part of a file name
UPLOAD_NAME = "upload"  # how problems name an upload before its place is known


@dataclass(frozen=True)
class Row:
    """One text of the original beside its translation. `label` is marked with N_ and may hold
    %(name)s places, which `values` fill after translation."""

    label: str
    values: dict
    original: str
    translated: str


@dataclass(frozen=True)
class Upload:
    """What an uploaded file is, where it would go, and the problems that stop it (none: it can
    be published)."""

    kind: str  # INSTRUMENT, CONSENT, or "" when it is neither
    key: str  # as the lock will record it, e.g. swemwbs/1.0/ur/1
    base: str  # what it translates, e.g. swemwbs/1.0 or service_user/1.0/en
    language: str
    status: str
    status_source: str
    path: str  # where it will be written, from the data folder (instruments/…, consent/…)
    problems: tuple[Problem, ...]
    rows: tuple[Row, ...]  # the side-by-side preview; () when there are problems

    @property
    def ok(self) -> bool:
        return not self.problems


def check_upload(content: bytes, instruments_root: Path, consent_root: Path) -> Upload:
    """The validation report and preview of an uploaded translation. Writes nothing."""
    return _checked(content, Path(instruments_root), Path(consent_root))[0]


def publish_upload(content: bytes, instruments_root: Path, consent_root: Path) -> Upload:
    """Write a sound upload where it belongs and publish it (PublishError, changing nothing, if not)."""
    upload, text, target, publish = _checked(content, Path(instruments_root), Path(consent_root))
    if not upload.ok:
        raise PublishError(list(upload.problems))
    previous = target.read_bytes() if target.exists() else None
    _write(target, text.encode("utf-8"))
    try:
        publish(target)
    except PublishError:
        if previous is None:
            target.unlink()
        else:
            _write(target, previous)
        raise
    return upload


def _write(target: Path, content: bytes) -> None:
    """Replace the file in one step, so a reader never sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.replace(temporary, target)


def _refused(problems: list[Problem], kind: str = "") -> tuple[Upload, str, None, None]:
    return Upload(kind, "", "", "", "", "", "", tuple(problems), ()), "", None, None


def _checked(content: bytes, instruments_root: Path, consent_root: Path):
    """(upload, its text, where it goes, how to publish it there)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return _refused([Problem(UPLOAD_NAME, "The file is not saved as UTF-8 text. Save it as UTF-8 and try again.")])
    yaml_file, problem = read_yaml(Path(UPLOAD_NAME), UPLOAD_NAME, text)
    if problem:
        return _refused([problem])
    data = yaml_file.data
    if isinstance(data, dict) and "translates" in data:
        return _instrument(text, instruments_root)
    if isinstance(data, dict) and "audience" in data:
        return _consent(text, consent_root)
    return _refused([Problem(UPLOAD_NAME, "This is not a translation: an instrument translation starts with "
                                          "'translates' (the instrument and version it translates), a consent "
                                          "document with 'audience'.")])


def _language_problems(yaml_file, language: str) -> list[Problem]:
    if SAFE_TAG.match(language) and valid_language_tag(language):
        return []
    return [yaml_file.problem(f"{language!r} is not a language tag such as ur, pa-Arab or ta.", ["language"])]


# --- instrument translations -------------------------------------------------------------------

def _instrument(text: str, root: Path):
    yaml_file, problems = read_checked(root / UPLOAD_NAME, root, "translation.schema.json", text)
    if yaml_file is None or problems:
        return _refused(problems, INSTRUMENT)
    data = yaml_file.data
    problems = _language_problems(yaml_file, data["language"])
    if problems:
        return _refused(problems, INSTRUMENT)
    loaded = catalogue.load_catalogue(root)
    target = root / data["translates"]["id"] / f"{data['translates']['version']}.{data['language']}.yaml"
    translation, problems = catalogue.check_translation_file(target, root, catalogue.read_lock(root),
                                                             loaded.published, text)
    base_key = f"{data['translates']['id']}/{data['translates']['version']}"
    rows = _instrument_rows(loaded.published[base_key], translation) if translation else ()
    upload = Upload(INSTRUMENT, translation.key if translation else "", base_key, data["language"], data["status"],
                    data.get("status_source", ""), display_path(target, root), tuple(problems), rows)
    return upload, text, target, lambda path: catalogue.publish(path, root)


def _instrument_rows(base: Definition, translation: Translation) -> tuple[Row, ...]:
    rows = []
    if base.instructions.text:
        rows.append(Row(N_("Instructions"), {}, base.instructions.text, translation.instructions or ""))
    rows += [Row(N_("Question %(number)s"), {"number": item.number}, item.text, translation.item_text(item.number))
             for item in base.items]
    rows += [Row(N_("Answer %(value)s on the scale ‘%(scale)s’"), {"value": point.value, "scale": scale.id},
                 point.label, translation.scale_label(scale.id, point.value))
             for scale in base.scales for point in scale.points]
    rows += [Row(N_("What replaces {%(token)s}"), {"token": p.token}, p.substitution,
                 translation.placeholders[p.token][0]) for p in base.placeholders]
    return tuple(rows)


# --- consent documents -------------------------------------------------------------------------

def _consent(text: str, root: Path):
    yaml_file, problems = read_checked(root / UPLOAD_NAME, root, "document.schema.json", text)
    if yaml_file is None or problems:
        return _refused(problems, CONSENT)
    data = yaml_file.data
    problems = _language_problems(yaml_file, data["language"])
    if data["language"] == BASE_LANGUAGE:
        problems.append(yaml_file.problem(
            "This is an English consent document, which is the original, not a translation. Publish a new "
            "English version with `survey consent publish`.", ["language"]))
    if problems:
        return _refused(problems, CONSENT)
    library = consent_documents.load_library(root)
    target = root / data["audience"] / data["version"] / f"{data['language']}.yaml"
    document, problems = consent_documents.check_document_file(
        target, root, consent_documents.read_lock(root), library.versions, library.published, text)
    base_key = f"{data['audience']}/{data['version']}/{BASE_LANGUAGE}"
    rows = _consent_rows(library.published[base_key], document) if document else ()
    upload = Upload(CONSENT, document.lock_key if document else "", base_key, data["language"],
                    data.get("status", ""), data.get("status_source", ""), display_path(target, root),
                    tuple(problems), rows)
    return upload, text, target, lambda path: consent_documents.publish(path, root)


def _consent_rows(base: ConsentDocument, translation: ConsentDocument) -> tuple[Row, ...]:
    # The checks made sure both have the same blocks and paragraphs, so their texts pair up in order.
    return tuple(Row(label, values, original, translated) for (label, values, original), (_, _, translated)
                 in zip(_consent_texts(document_data(base)), _consent_texts(document_data(translation))))


def _consent_texts(data: dict):
    """(label, values, text) for every text of a consent document, in reading order."""
    yield N_("Title"), {}, data["title"]
    blocks = [(N_("Summary, heading"), N_("Summary, paragraph %(number)s"), {}, data["summary"])]
    blocks += [(N_("Section ‘%(section)s’, heading"), N_("Section ‘%(section)s’, paragraph %(number)s"),
                {"section": section["id"]}, section) for section in data["sections"]]
    blocks += [(N_("Information sheet, heading"), N_("Information sheet, paragraph %(number)s"), {},
                data["information_sheet"])]
    for heading, paragraph, values, block in blocks:
        yield heading, values, block["heading"]
        for number, text in enumerate(block["paragraphs"], start=1):
            yield paragraph, {**values, "number": number}, text
    for statement, texts in data["statements"].items():
        yield N_("Statement ‘%(statement)s’"), {"statement": statement}, texts["question"]
        yield N_("Statement ‘%(statement)s’, hint"), {"statement": statement}, texts["hint"]
    for reason, text in data["decline_reasons"].items():
        yield N_("Reason for saying no ‘%(reason)s’"), {"reason": reason}, text
