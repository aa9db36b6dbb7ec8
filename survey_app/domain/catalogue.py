"""The instrument catalogue: every definition and translation in instruments/, validated.

Layout:  instruments/<id>/<version>.yaml          a definition
         instruments/<id>/<version>.<lang>.yaml   a translation of that version
         instruments/published.lock.json          the content hash of every published file
         instruments/expected.yaml                the instruments the study asks for, each with
                                                  the neutral title participants see

A participant's title lives in expected.yaml, not in a definition, so that choosing or
rewording it never changes a published definition's content hash. It is interface text:
`pybabel extract` reads it through `extract_participant_titles` (see babel.cfg), so it is
translated in the gettext catalogues like any heading.

A file in the lock is published and must never change: a changed published file is
reported and not loaded. A file not in the lock is a draft: validated, but not offered to
participants. One broken file never stops the rest of the catalogue from loading.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from survey_app.domain.datafiles import PublishError, content_hash, display_path, read_checked, revision_problems
from survey_app.domain.instruments import Definition, build_definition, check_definition
from survey_app.domain.problems import Problem, YamlFile
from survey_app.domain.scoring import check_ranges
from survey_app.domain.translations import Translation, build_translation, check_translation

LOCK_FILE = "published.lock.json"
EXPECTED_FILE = "expected.yaml"
DEFINITION_NAME = re.compile(r"^(?P<version>[0-9]+\.[0-9]+)\.yaml$")
TRANSLATION_NAME = re.compile(r"^(?P<version>[0-9]+\.[0-9]+)\.(?P<language>[A-Za-z0-9-]+)\.yaml$")
# Fields that may change after publication without changing the text people read.
TRANSLATION_STATUS_FIELDS = ("status", "status_source")


@dataclass(frozen=True)
class Expected:
    id: str
    title: str
    audience: str
    timepoints: tuple[str, ...]
    missing: str = ""
    participant_title: str = ""  # short and neutral: it must not say what the questions are about


@dataclass
class Catalogue:
    root: Path
    published: dict[str, Definition] = field(default_factory=dict)  # "urica/1.0" -> definition
    drafts: dict[str, Definition] = field(default_factory=dict)
    translations: dict[str, Translation] = field(default_factory=dict)  # "urica/1.0/ur" -> latest
    draft_translations: dict[str, Translation] = field(default_factory=dict)
    expected: tuple[Expected, ...] = ()
    problems: list[Problem] = field(default_factory=list)

    def versions(self, instrument_id: str) -> list[Definition]:
        """Published versions of one instrument, oldest first."""
        found = [d for d in self.published.values() if d.id == instrument_id]
        return sorted(found, key=lambda d: version_order(d.version))

    def get(self, instrument_id: str, version: str | None = None) -> Definition | None:
        """A published version; the latest one when no version is given."""
        if version is not None:
            return self.published.get(f"{instrument_id}/{version}")
        versions = self.versions(instrument_id)
        return versions[-1] if versions else None

    def translations_of(self, definition: Definition) -> list[Translation]:
        prefix = definition.key + "/"
        return sorted((t for k, t in self.translations.items() if k.startswith(prefix)), key=lambda t: t.language)

    def participant_title(self, instrument_id: str) -> str:
        """The neutral title participants see for this measure, in English (translate it with gettext)."""
        return next((e.participant_title for e in self.expected if e.id == instrument_id), "")

    def problems_for(self, shown_path: str) -> list[Problem]:
        return [p for p in self.problems if p.path == shown_path]


def version_order(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def translation_hash(data: dict) -> str:
    return content_hash({k: v for k, v in data.items() if k not in TRANSLATION_STATUS_FIELDS})


# --- the lock file ------------------------------------------------------------------------

@dataclass
class Lock:
    definitions: dict[str, str] = field(default_factory=dict)
    translations: dict[str, str] = field(default_factory=dict)


def read_lock(root: Path) -> Lock:
    path = root / LOCK_FILE
    if not path.exists():
        return Lock()
    data = json.loads(path.read_text(encoding="utf-8"))
    return Lock(dict(data.get("definitions", {})), dict(data.get("translations", {})))


def write_lock(root: Path, lock: Lock) -> None:
    data = {"definitions": dict(sorted(lock.definitions.items())),
            "translations": dict(sorted(lock.translations.items()))}
    (root / LOCK_FILE).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


# --- loading ------------------------------------------------------------------------------

def load_catalogue(root: Path) -> Catalogue:
    root = Path(root)
    catalogue = Catalogue(root=root)
    lock = read_lock(root)
    definition_files, translation_files = _find_files(root, catalogue)
    for path in definition_files:
        _load_definition(path, root, lock, catalogue)
    for path in translation_files:
        _load_translation(path, root, lock, catalogue)
    _check_lock_files_exist(root, lock, catalogue)
    catalogue.expected = _read_expected(root, catalogue)
    return catalogue


def _find_files(root: Path, catalogue: Catalogue) -> tuple[list[Path], list[Path]]:
    definitions, translations = [], []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "schema"):
        for path in sorted(folder.iterdir()):
            if DEFINITION_NAME.match(path.name):
                definitions.append(path)
            elif TRANSLATION_NAME.match(path.name):
                translations.append(path)
            elif path.suffix in (".yaml", ".yml"):
                catalogue.problems.append(Problem(
                    display_path(path, root),
                    "This file name is not understood. Name a definition <version>.yaml (for example "
                    "1.0.yaml) and a translation <version>.<language>.yaml (for example 1.0.ur.yaml)."))
    return definitions, translations


def check_definition_file(path: Path, root: Path, lock: Lock) -> tuple[Definition | None, list[Problem]]:
    """Everything that makes a definition file usable, or the problems that stop it."""
    yaml_file, problems = read_checked(path, root, "instrument.schema.json")
    if yaml_file is None or problems:
        return None, problems
    data = yaml_file.data
    problems += _name_problems(yaml_file, path, data["id"], data["version"])
    problems += [yaml_file.problem(message, field_path) for field_path, message in check_definition(data)]
    if problems:
        return None, problems
    sha = content_hash(data)
    definition = build_definition(data, sha, yaml_file.display_path)
    problems += [yaml_file.problem(message, field_path) for field_path, message in check_ranges(definition)]
    problems += _lock_problems(yaml_file, lock.definitions.get(definition.key), sha, definition.version)
    return (None if problems else definition), problems


def _name_problems(yaml_file: YamlFile, path: Path, instrument_id: str, version: str,
                   language: str | None = None) -> list[Problem]:
    problems = []
    if path.parent.name != instrument_id:
        problems.append(yaml_file.problem(
            f"The file is in the folder {path.parent.name!r} but says it is {instrument_id!r}. "
            "Keep each instrument in a folder named after its id.", ["id"] if language is None else ["translates", "id"]))
    expected_name = f"{version}.yaml" if language is None else f"{version}.{language}.yaml"
    if path.name != expected_name:
        problems.append(yaml_file.problem(
            f"The file name {path.name!r} does not match what the file says it is; name it {expected_name!r}.",
            ["version"] if language is None else ["language"]))
    return problems


def _lock_problems(yaml_file: YamlFile, locked_sha: str | None, sha: str, version: str) -> list[Problem]:
    if locked_sha is None or locked_sha == sha:
        return []
    return [yaml_file.problem(
        f"Version {version} has already been published, and this file no longer matches what was "
        "published. Published versions can never change, because stored answers refer to them. "
        "Undo the change, or save it as a new version (a new file with a higher version number) "
        "and publish that.")]


def _load_definition(path: Path, root: Path, lock: Lock, catalogue: Catalogue) -> None:
    definition, problems = check_definition_file(path, root, lock)
    catalogue.problems += problems
    if definition is None:
        return
    target = catalogue.published if definition.key in lock.definitions else catalogue.drafts
    target[definition.key] = definition


def check_translation_file(path: Path, root: Path, lock: Lock, bases: dict[str, Definition],
                           text: str | None = None) -> tuple[Translation | None, list[Problem]]:
    """Everything that makes a translation usable, or the problems that stop it. With `text`, the
    words are checked as if they were the file at `path` (an upload not yet written)."""
    yaml_file, problems = read_checked(path, root, "translation.schema.json", text)
    if yaml_file is None or problems:
        return None, problems
    data = yaml_file.data
    base_key = f"{data['translates']['id']}/{data['translates']['version']}"
    problems += _name_problems(yaml_file, path, data["translates"]["id"], data["translates"]["version"],
                               data["language"])
    base = bases.get(base_key)
    if base is None:
        problems.append(yaml_file.problem(
            f"This translates {base_key}, which is not a version that loaded without problems. "
            "Fix or add that version first.", ["translates"]))
        return None, problems
    problems += [yaml_file.problem(message, field_path) for field_path, message in check_translation(data, base)]
    if problems:
        return None, problems
    translation = build_translation(data, translation_hash(data), yaml_file.display_path)
    problems += revision_problems(yaml_file, lock.translations, translation.key, translation.content_sha256,
                                  "answers given in the old text")
    return (None if problems else translation), problems


def _load_translation(path: Path, root: Path, lock: Lock, catalogue: Catalogue) -> None:
    bases = {**catalogue.drafts, **catalogue.published}
    translation, problems = check_translation_file(path, root, lock, bases)
    catalogue.problems += problems
    if translation is None:
        return
    key = f"{translation.instrument_id}/{translation.version}/{translation.language}"
    published = translation.key in lock.translations and f"{translation.instrument_id}/{translation.version}" in catalogue.published
    (catalogue.translations if published else catalogue.draft_translations)[key] = translation


def _check_lock_files_exist(root: Path, lock: Lock, catalogue: Catalogue) -> None:
    for key in sorted(lock.definitions):
        instrument_id, version = key.split("/")
        if not (root / instrument_id / f"{version}.yaml").exists():
            catalogue.problems.append(Problem(
                str(Path(root.name) / LOCK_FILE),
                f"{key} is published but its file {instrument_id}/{version}.yaml is missing. Published "
                "versions must stay in the repository; restore the file."))


def _read_expected(root: Path, catalogue: Catalogue) -> tuple[Expected, ...]:
    path = root / EXPECTED_FILE
    if not path.exists():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = tuple(Expected(e["id"], e["title"], e["audience"], tuple(e.get("timepoints", ())),
                           " ".join(e.get("missing", "").split()), e.get("participant_title", ""))
                  for e in data.get("instruments", ()))
    catalogue.problems.extend(
        Problem(display_path(path, root), f"{e.id} has no participant_title. Give it a short title that does not "
                "say what the questions are about, for example \"How you have been feeling\".", e.id)
        for e in found if not e.participant_title)
    return found


def extract_participant_titles(fileobj, keywords, comment_tags, options):
    """A Babel extractor for expected.yaml (babel.cfg): each participant title becomes a message."""
    root = yaml.compose(fileobj.read().decode("utf-8"), Loader=yaml.SafeLoader)
    top = {key.value: value for key, value in root.value} if root else {}
    for entry in top["instruments"].value if "instruments" in top else ():
        fields = {key.value: value for key, value in entry.value}
        if "participant_title" in fields:
            title = fields["participant_title"]
            yield title.start_mark.line + 1, None, title.value, [f"The title participants see for {fields['id'].value}"]


# --- publishing ---------------------------------------------------------------------------

def publish(path: Path, root: Path) -> str:
    """Record a valid file's hash in the lock; from then on it can never change. Returns its key."""
    path, root = Path(path), Path(root)
    lock = read_lock(root)
    if TRANSLATION_NAME.match(path.name) and not DEFINITION_NAME.match(path.name):
        catalogue = load_catalogue(root)
        translation, problems = check_translation_file(path, root, lock, catalogue.published)
        if problems:
            raise PublishError(problems)
        lock.translations[translation.key] = translation.content_sha256
        key = translation.key
    else:
        definition, problems = check_definition_file(path, root, lock)
        if problems:
            raise PublishError(problems)
        lock.definitions[definition.key] = definition.content_sha256
        key = definition.key
    write_lock(root, lock)
    return key


def validate_paths(paths: list[Path], root: Path) -> list[Problem]:
    """Check the named files (or folders) as loading would, including against the lock."""
    root = Path(root)
    lock = read_lock(root)
    catalogue = load_catalogue(root)
    bases = {**catalogue.drafts, **catalogue.published}
    problems: list[Problem] = []
    for path in _expand(paths):
        if not path.is_file():
            problems.append(Problem(str(path), "There is no such file."))
        elif TRANSLATION_NAME.match(path.name) and not DEFINITION_NAME.match(path.name):
            problems += check_translation_file(path, root, lock, bases)[1]
        elif DEFINITION_NAME.match(path.name):
            problems += check_definition_file(path, root, lock)[1]
        else:
            problems.append(Problem(str(path), "This is not an instrument file: name a definition <version>.yaml "
                                               "and a translation <version>.<language>.yaml."))
    return problems


def _expand(paths: list[Path]) -> list[Path]:
    expanded = []
    for path in map(Path, paths):
        if path.is_dir():
            expanded += sorted(p for p in path.rglob("*.yaml") if "schema" not in p.parts
                               and p.name != EXPECTED_FILE)
        else:
            expanded.append(path)
    return expanded
