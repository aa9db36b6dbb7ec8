"""Consent documents: the texts people read before they choose, loaded and checked like instruments.

Layout:  consent/<audience>/<version>/en.yaml         one document in three layers, in English
         consent/<audience>/<version>/<language>.yaml   a translation of it, with a revision and a status
         consent/<audience>/versions.yaml               every version, oldest first, material or not
         consent/study.yaml                              required statements, contacts, ask-again days
         consent/published.lock.json                     the content hash of every published document

A published document never changes: a consent record names the version and language it was
given for, so that text must stay exactly what the person read. A translation says which
revision it is: its lock entry is <audience>/<version>/<language>/<revision>, so a correction
is a new revision and every earlier one stays recorded. Its status (validated, unvalidated,
in review) may change after publication without changing its hash. A translation must have
the same paragraphs and placeholders as the English document of its version. A broken or
changed file is reported (file, line, what to do) and not offered; the rest still load.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import langcodes

from survey_app.domain.catalogue import TRANSLATION_STATUS_FIELDS
from survey_app.domain.consent import (DECLINE_REASONS, STATEMENTS, ConsentConfigError, StudyConsent)
from survey_app.domain.datafiles import PublishError, content_hash, display_path, read_checked, revision_problems
from survey_app.domain.problems import Problem, YamlFile
from survey_app.domain.text import N_
from survey_app.domain.translations import ORIGINAL

AUDIENCES = ("service_user", "victim_survivor")
SECTION_IDS = ("taking_part", "who_sees", "data_safety", "choices", "worries", "contacts")
PLACEHOLDERS = ("programme_contact", "evaluator_contact")
# The contacts consent/study.yaml ships with, marked for the catalogues: each is shown in the
# document's language. A deployment's own contact (a name and a phone number) has no translation
# and reads as written in every language.
SHIPPED_CONTACTS = (N_("the worker who supports you"), N_("the study team. Your worker can put you in touch"))
# A space between digits (a phone number's groups) becomes a no-break space: the number never
# wraps, and, the no-break space being a number separator to the Unicode bidirectional
# algorithm, "0161 496 0000" stays one number in a right-to-left sentence instead of reordering.
_SPACE_IN_NUMBER = re.compile(r"(?<=\d) (?=\d)")
LOCK_FILE = "published.lock.json"
DOCUMENT_NAME = re.compile(r"^(?P<language>[A-Za-z0-9-]+)\.yaml$")
VERSION_FOLDER = re.compile(r"^[0-9]+\.[0-9]+$")
BASE_LANGUAGE = "en"  # the language every consent document is written in; the others translate it


@dataclass(frozen=True)
class Block:
    id: str
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    id: str
    question: str
    hint: str


@dataclass(frozen=True)
class ConsentDocument:
    audience: str
    version: str
    language: str
    title: str
    summary: Block
    sections: tuple[Block, ...]
    information_sheet: Block
    statements: tuple[Statement, ...]  # in the order of domain.consent.STATEMENTS
    decline_reasons: tuple[tuple[str, str], ...]  # (reason id, label), in DECLINE_REASONS order
    content_sha256: str
    path: str
    revision: int = 0  # translations only: 1, 2, … ; 0 for the English document
    status: str = ORIGINAL  # translations: validated | unvalidated | in_review
    status_source: str = ""

    @property
    def key(self) -> str:
        return f"{self.audience}/{self.version}/{self.language}"

    @property
    def lock_key(self) -> str:
        """What the lock records: a translation's key names its revision too."""
        return f"{self.key}/{self.revision}" if self.revision else self.key

    @property
    def base_key(self) -> str:
        """The English document this one is, or translates."""
        return f"{self.audience}/{self.version}/{BASE_LANGUAGE}"

    def statement(self, statement_id: str) -> Statement:
        return next(s for s in self.statements if s.id == statement_id)

    def filled(self, contacts: dict[str, str]) -> "ConsentDocument":
        """The document with {programme_contact} and {evaluator_contact} filled in."""
        contacts = {name: _SPACE_IN_NUMBER.sub("\u00a0", value) for name, value in contacts.items()}

        def fill(text: str) -> str:
            return text.format_map(contacts)

        def fill_block(block: Block) -> Block:
            return replace(block, heading=fill(block.heading), paragraphs=tuple(map(fill, block.paragraphs)))

        return replace(self, summary=fill_block(self.summary), sections=tuple(map(fill_block, self.sections)),
                       information_sheet=fill_block(self.information_sheet),
                       statements=tuple(replace(s, question=fill(s.question), hint=fill(s.hint))
                                        for s in self.statements))


@dataclass(frozen=True)
class Version:
    version: str
    material: bool
    changes: str


@dataclass(frozen=True)
class StudySettings:
    consent: StudyConsent
    contacts: dict[str, str]
    ask_again_days: int


# Used only when study.yaml is missing or broken (that is reported): the safest reading.
DEFAULT_SETTINGS = StudySettings(StudyConsent(frozenset({"questionnaires"})),
                                 {name: SHIPPED_CONTACTS[0] for name in PLACEHOLDERS}, 14)


@dataclass
class ConsentLibrary:
    root: Path
    published: dict[str, ConsentDocument] = field(default_factory=dict)  # "service_user/1.0/en"
    drafts: dict[str, ConsentDocument] = field(default_factory=dict)
    versions: dict[str, tuple[Version, ...]] = field(default_factory=dict)  # audience -> oldest first
    study: StudySettings = DEFAULT_SETTINGS
    problems: list[Problem] = field(default_factory=list)

    def version_order(self, audience: str) -> list[str]:
        """Published versions of an audience's document, oldest first."""
        published = {d.version for d in self.published.values() if d.audience == audience}
        return [v.version for v in self.versions.get(audience, ()) if v.version in published]

    def material_versions(self, audience: str) -> set[str]:
        return {v.version for v in self.versions.get(audience, ()) if v.material}

    def languages(self, audience: str) -> list[str]:
        """Languages the current version can be read in."""
        order = self.version_order(audience)
        if not order:
            return []
        return sorted(d.language for d in self.published.values()
                      if d.audience == audience and d.version == order[-1])

    def current(self, audience: str, language: str,
                translate: Callable[[str], str] | None = None) -> ConsentDocument | None:
        """The newest published version in this language, contacts filled in (each through
        `translate`, into this language, where given); None if there is none."""
        order = self.version_order(audience)
        document = self.published.get(f"{audience}/{order[-1]}/{language}") if order else None
        if document is None:
            return None
        return document.filled({name: translate(value) if translate else value
                                for name, value in self.study.contacts.items()})


def load_library(root: Path) -> ConsentLibrary:
    root = Path(root)
    library = ConsentLibrary(root=root)
    lock = read_lock(root)
    library.study = _read_study(root, library.problems)
    for audience in AUDIENCES:
        library.versions[audience] = _read_versions(root, audience, library.problems)
    files = _document_files(root, library.problems)
    # The English documents first: every translation is checked against one.
    for path in sorted(files, key=lambda p: p.name != f"{BASE_LANGUAGE}.yaml"):
        bases = {**library.drafts, **library.published}
        document, problems = check_document_file(path, root, lock, library.versions, bases)
        library.problems += problems
        if document is not None:
            published = document.lock_key in lock and document.base_key in {*library.published, document.key}
            (library.published if published else library.drafts)[document.key] = document
    for key in sorted(lock):
        # A translation's lock key ends with its revision; its one file holds the newest revision.
        file_key = key if key.count("/") == 2 else key.rpartition("/")[0]
        if not (root / f"{file_key}.yaml").exists():
            library.problems.append(Problem(f"{root.name}/{LOCK_FILE}", (
                f"{key} is published but its file {file_key}.yaml is missing. Consent records refer to it; "
                "restore the file.")))
    return library


def read_lock(root: Path) -> dict[str, str]:
    path = root / LOCK_FILE
    return dict(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else {}


def write_lock(root: Path, lock: dict[str, str]) -> None:
    (root / LOCK_FILE).write_text(json.dumps(dict(sorted(lock.items())), indent=2) + "\n", encoding="utf-8")


def _document_files(root: Path, problems: list[Problem]) -> list[Path]:
    found = []
    for audience in AUDIENCES:
        folder = root / audience
        if not folder.is_dir():
            problems.append(Problem(f"{root.name}/{audience}", "There is no consent document for this audience."))
            continue
        for version_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
            for path in sorted(version_folder.iterdir()):
                if VERSION_FOLDER.match(version_folder.name) and DOCUMENT_NAME.match(path.name):
                    found.append(path)
                else:
                    problems.append(Problem(display_path(path, root), (
                        "This file or folder name is not understood. Keep each document at "
                        "<audience>/<version>/<language>.yaml, for example service_user/1.1/ur.yaml.")))
    return found


def check_document_file(path: Path, root: Path, lock: dict[str, str], versions: dict[str, tuple[Version, ...]],
                        bases: dict[str, ConsentDocument],
                        text: str | None = None) -> tuple[ConsentDocument | None, list[Problem]]:
    """Everything that makes a consent document usable, or the problems that stop it. A translation
    is checked against its English document in `bases`. With `text`, the words are checked as if
    they were the file at `path` (an upload not yet written)."""
    yaml_file, problems = read_checked(path, root, "document.schema.json", text)
    if yaml_file is None or problems:
        return None, problems
    data = yaml_file.data
    problems += _place_problems(yaml_file, path, data)
    problems += _section_problems(yaml_file, data)
    problems += _placeholder_problems(yaml_file, data)
    problems += _translation_problems(yaml_file, data, bases)
    if data["version"] not in {v.version for v in versions.get(data["audience"], ())}:
        problems.append(yaml_file.problem(
            f"Version {data['version']} is not listed in {data['audience']}/versions.yaml. Add it there, "
            "saying whether it is material (people must consent again) or not.", ["version"]))
    if problems:
        return None, problems
    document = build_document(data, document_hash(data), yaml_file.display_path)
    if document.revision:
        problems = revision_problems(yaml_file, lock, document.lock_key, document.content_sha256,
                                     "consent given to the old text")
        return (None if problems else document), problems
    locked = lock.get(document.key)
    if locked is not None and locked != document.content_sha256:
        return None, [yaml_file.problem(
            f"{document.key} has already been published and this file no longer matches it. People consented "
            "to the published words, so they can never change. Undo the change, or save it as a new version "
            "(a new folder, listed in versions.yaml) and publish that.")]
    return document, []


def document_hash(data: dict) -> str:
    """The hash of the words: a translation's status may change after publication, its text never."""
    return content_hash({k: v for k, v in data.items() if k not in TRANSLATION_STATUS_FIELDS})


def _place_problems(yaml_file: YamlFile, path: Path, data: dict) -> list[Problem]:
    problems = []
    expected = (data["audience"], data["version"], f"{data['language']}.yaml")
    actual = (path.parent.parent.name, path.parent.name, path.name)
    if expected != actual:
        problems.append(yaml_file.problem(
            f"The file is at {'/'.join(actual)} but says it is {'/'.join(expected)}. Move it, or correct "
            "audience, version or language.", ["language"]))
    if not langcodes.tag_is_valid(data["language"]):
        problems.append(yaml_file.problem(f"{data['language']!r} is not a language tag (for example en, ur, pa-Arab).",
                                          ["language"]))
    return problems


def _section_problems(yaml_file: YamlFile, data: dict) -> list[Problem]:
    ids = tuple(section["id"] for section in data["sections"])
    if ids == SECTION_IDS:
        return []
    return [yaml_file.problem("The sections must be, in this order and once each: " + ", ".join(SECTION_IDS) + ".",
                              ["sections"])]


def _translation_problems(yaml_file: YamlFile, data: dict, bases: dict[str, ConsentDocument]) -> list[Problem]:
    """English is the original and has no revision or status; any other language is a translation
    of the English document of the same version, paragraph for paragraph, placeholder for placeholder."""
    if data["language"] == BASE_LANGUAGE:
        extra = [name for name in ("revision", *TRANSLATION_STATUS_FIELDS) if name in data]
        return [yaml_file.problem(f"The English document is the original: remove {', '.join(extra)}, which only "
                                  "translations have.", [extra[0]])] if extra else []
    problems = [yaml_file.problem(f"A translation needs '{name}' ({wanted}).")
                for name, wanted in (("revision", "1 for the first, raised by one for each correction"),
                                     ("status", "validated, unvalidated or in_review")) if name not in data]
    base_key = f"{data['audience']}/{data['version']}/{BASE_LANGUAGE}"
    base = bases.get(base_key)
    if base is None:
        return problems + [yaml_file.problem(
            f"This translates {base_key}, which is not a document that loaded without problems. Fix or add "
            "that document first.", ["version"])]
    return problems + _paragraph_problems(yaml_file, data, base) + _same_placeholder_problems(yaml_file, data, base)


def _paragraph_problems(yaml_file: YamlFile, data: dict, base: ConsentDocument) -> list[Problem]:
    problems = []
    blocks = [("summary", base.summary, ["summary"]),
              ("information sheet", base.information_sheet, ["information_sheet"])]
    blocks += [(f"section '{block.id}'", block, ["sections", i]) for i, block in enumerate(base.sections)]
    for name, block, field_path in blocks:
        given = len(_field(data, field_path)["paragraphs"])
        if given != len(block.paragraphs):
            problems.append(yaml_file.problem(
                f"The {name} has {len(block.paragraphs)} paragraph(s) in the original and {given} "
                "here. Translate each paragraph as one paragraph: none missing, none added.",
                [*field_path, "paragraphs"]))
    return problems


def _same_placeholder_problems(yaml_file: YamlFile, data: dict, base: ConsentDocument) -> list[Problem]:
    original = {tuple(field_path): _names(text) for field_path, text in _texts(document_data(base))}
    problems = []
    for field_path, text in _texts(data):
        wanted = original.get(tuple(field_path))
        if wanted is not None and _names(text) != wanted:
            shown = ", ".join("{" + name + "}" for name in sorted(wanted)) or "no placeholder"
            problems.append(yaml_file.problem(
                f"This text must keep the same placeholders as the original ({shown}), written exactly, "
                "not translated.", field_path))
    return problems


def _field(data: dict, field_path: list):
    for key in field_path:
        data = data[key]
    return data


def _names(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"{"}


def document_data(document: ConsentDocument) -> dict:
    """The texts of a loaded document in the file's shape (to compare a translation with it)."""
    def block(b: Block) -> dict:
        return {"heading": b.heading, "paragraphs": list(b.paragraphs)}

    return {"title": document.title, "summary": block(document.summary),
            "information_sheet": block(document.information_sheet),
            "sections": [{"id": b.id, **block(b)} for b in document.sections],
            "statements": {s.id: {"question": s.question, "hint": s.hint} for s in document.statements},
            "decline_reasons": dict(document.decline_reasons)}


def _texts(data: dict):
    """Every text in a document with the path of fields to it."""
    yield ["title"], data["title"]
    for name in ("summary", "information_sheet"):
        yield [name, "heading"], data[name]["heading"]
        for i, text in enumerate(data[name]["paragraphs"]):
            yield [name, "paragraphs", i], text
    for s, section in enumerate(data["sections"]):
        yield ["sections", s, "heading"], section["heading"]
        for i, text in enumerate(section["paragraphs"]):
            yield ["sections", s, "paragraphs", i], text
    for statement_id, statement in data["statements"].items():
        for part in ("question", "hint"):
            yield ["statements", statement_id, part], statement[part]
    for reason, text in data["decline_reasons"].items():
        yield ["decline_reasons", reason], text


def _placeholder_problems(yaml_file: YamlFile, data: dict) -> list[Problem]:
    problems = []
    for field_path, text in _texts(data):
        unknown = _names(text) - set(PLACEHOLDERS)
        if unknown:
            problems.append(yaml_file.problem(
                "Curly brackets are only for {programme_contact} and {evaluator_contact}; this text has "
                f"{', '.join(sorted(unknown))}.", field_path))
    return problems


def build_document(data: dict, sha: str, path: str) -> ConsentDocument:
    def block(block_id: str, raw: dict) -> Block:
        return Block(block_id, raw["heading"].strip(), tuple(p.strip() for p in raw["paragraphs"]))

    return ConsentDocument(
        audience=data["audience"], version=data["version"], language=data["language"], title=data["title"].strip(),
        summary=block("summary", data["summary"]),
        sections=tuple(block(s["id"], s) for s in data["sections"]),
        information_sheet=block("information_sheet", data["information_sheet"]),
        statements=tuple(Statement(s, data["statements"][s]["question"].strip(), data["statements"][s]["hint"].strip())
                         for s in STATEMENTS),
        decline_reasons=tuple((r, data["decline_reasons"][r].strip()) for r in DECLINE_REASONS),
        content_sha256=sha, path=path, revision=data.get("revision", 0), status=data.get("status", ORIGINAL),
        status_source=data.get("status_source", ""))


def _read_versions(root: Path, audience: str, problems: list[Problem]) -> tuple[Version, ...]:
    path = root / audience / "versions.yaml"
    if not path.exists():
        problems.append(Problem(display_path(path, root), "Each audience needs a versions.yaml listing its versions."))
        return ()
    yaml_file, found = read_checked(path, root, "versions.schema.json")
    problems += found
    if yaml_file is None or found:
        return ()
    listed = [v["version"] for v in yaml_file.data["versions"]]
    if len(set(listed)) != len(listed):
        problems.append(yaml_file.problem("A version is listed twice.", ["versions"]))
        return ()
    return tuple(Version(v["version"], v["material"], v["changes"]) for v in yaml_file.data["versions"])


def _read_study(root: Path, problems: list[Problem]) -> StudySettings:
    path = root / "study.yaml"
    if not path.exists():
        problems.append(Problem(display_path(path, root), "The study's consent settings are missing; defaults apply."))
        return DEFAULT_SETTINGS
    yaml_file, found = read_checked(path, root, "study.schema.json")
    problems += found
    if yaml_file is None or found:
        return DEFAULT_SETTINGS
    try:
        consent = StudyConsent(frozenset(yaml_file.data["required_statements"]))
    except ConsentConfigError as error:
        problems.append(yaml_file.problem(str(error), ["required_statements"]))
        return DEFAULT_SETTINGS
    return StudySettings(consent, dict(yaml_file.data["contacts"]), yaml_file.data["ask_again_days"])


def publish(path: Path, root: Path) -> str:
    """Record a valid document's hash in the lock; from then on it can never change."""
    path, root = Path(path), Path(root)
    library = load_library(root)
    lock = read_lock(root)
    document, problems = check_document_file(path, root, lock, library.versions, library.published)
    if problems:
        raise PublishError(problems)
    lock[document.lock_key] = document.content_sha256
    write_lock(root, lock)
    return document.lock_key
