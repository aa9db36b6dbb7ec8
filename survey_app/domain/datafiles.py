"""Reading the platform's data files (instruments, consent documents): YAML checked against a
JSON Schema, with problems that name the file and the place, and content hashes for locks."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from survey_app.domain.problems import NESTED_TOO_DEEPLY, Problem, YamlFile, read_yaml
from survey_app.domain.schema_messages import best_errors, explain


class PublishError(ValueError):
    """A file that cannot be published, with every problem found in it."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def content_hash(data: dict) -> str:
    """Hash of the meaning of a file, not its layout: comments and spacing may change freely."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def _validator(schema_path: Path) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))


def display_path(path: Path, root: Path) -> str:
    """Paths in messages start at the data folder (instruments/, consent/): how an admin finds the file."""
    try:
        return str(Path(root.name) / path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def read_checked(path: Path, root: Path, schema: str,
                 text: str | None = None) -> tuple[YamlFile | None, list[Problem]]:
    """Read a YAML file (or `text` meant for that place) and check it against root/schema/<schema>;
    problems say where and what."""
    yaml_file, problem = read_yaml(path, display_path(path, root), text)
    if problem:
        return None, [problem]
    if not isinstance(yaml_file.data, dict):
        return None, [yaml_file.problem("The file is empty or is not a set of named fields.")]
    try:
        errors = best_errors(list(_validator(root / "schema" / schema).iter_errors(yaml_file.data)))
    except RecursionError:
        return None, [yaml_file.problem(NESTED_TOO_DEEPLY)]
    return yaml_file, [yaml_file.problem(explain(e), list(e.absolute_path)) for e in errors]


def revision_problems(yaml_file: YamlFile, lock: dict[str, str], key: str, sha: str, kept: str) -> list[Problem]:
    """A translation's revision against the lock ('…/<language>/<revision>' -> hash): a published
    revision never changes, and an older revision never replaces a newer one. `kept` names what
    the rule protects, for the message."""
    stem, _, revision = key.rpartition("/")
    published = [int(k.rpartition("/")[2]) for k in lock if k.rpartition("/")[0] == stem]
    if lock.get(key, sha) != sha:
        return [yaml_file.problem(
            f"Revision {revision} of this translation has already been published and its text has changed "
            f"since. Raise 'revision' by one and publish again, so {kept} stay traceable.", ["revision"])]
    if published and int(revision) < max(published):
        return [yaml_file.problem(
            f"Revision {max(published)} of this translation is already published; this file is revision "
            f"{revision}. Start from the newest revision and raise 'revision' by one for a correction.",
            ["revision"])]
    return []
