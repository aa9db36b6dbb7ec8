"""Problems found in data files (instruments, consent documents), worded for an admin.

A problem names the file, the place in it (a line number where we can find one, and the
path of fields), and what is wrong in words a non-programmer can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    place: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}"
        if self.place:
            where += f" ({self.place})"
        return f"{where}: {self.message}"


# libyaml's safe loader when PyYAML was built with it (about ten times quicker), else the same in Python.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ALIASES = ("The file cannot be read: it uses YAML anchors and aliases (& and *), which are not accepted here. "
           "Write each value out in full.")
NESTED_TOO_DEEPLY = ("The file cannot be read: it is nested too deeply. Check the indentation; no list or set of "
                     "fields needs more than a few levels.")


class YamlFile:
    """A YAML file's data plus its node tree, so problems can point at a line."""

    def __init__(self, path: Path, display_path: str, text: str | None = None):
        self.path = path
        self.display_path = display_path
        text = path.read_text(encoding="utf-8") if text is None else text
        try:
            self.root = yaml.compose(text, Loader=LOADER)
        except yaml.YAMLError:
            # Read again in Python, whose messages and line numbers the problems quote.
            self.root = yaml.compose(text, Loader=yaml.SafeLoader)
        _refuse_aliases(self.root)
        self.data = yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader)

    def line_of(self, field_path: Iterable) -> int | None:
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for key in field_path:
            node = _child(node, key)
            if node is None:
                break
            line = node.start_mark.line + 1
        return line

    def problem(self, message: str, field_path: Iterable = (), place: str = "") -> Problem:
        field_path = list(field_path)
        return Problem(self.display_path, message, place or describe_place(self.data, field_path),
                       self.line_of(field_path))


class UsesAliases(ValueError):
    """A file with anchors and aliases: a few lines can stand for billions of values ("billion
    laughs"), and nothing the platform reads needs them."""


def _refuse_aliases(root) -> None:
    """Raise UsesAliases when a node appears twice in the tree (an alias), checked in linear time:
    each node is visited once, however often it is repeated."""
    seen: set[int] = set()
    waiting = [root] if root is not None else []
    while waiting:
        node = waiting.pop()
        if id(node) in seen:
            raise UsesAliases(ALIASES)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            waiting.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            waiting.extend(node.value)


def read_yaml(path: Path, display_path: str, text: str | None = None) -> tuple[YamlFile | None, Problem | None]:
    """The file at `path`, or `text` as if it were that file (an upload not yet written)."""
    try:
        return YamlFile(path, display_path, text), None
    except UnicodeDecodeError:
        return None, Problem(display_path, "The file is not saved as UTF-8 text. Save it as UTF-8 and try again.")
    except RecursionError:
        return None, Problem(display_path, NESTED_TOO_DEEPLY)
    except UsesAliases:
        return None, Problem(display_path, ALIASES)
    except ValueError as error:  # a whole number longer than Python will read (sys.get_int_max_str_digits)
        return None, Problem(display_path, f"The file cannot be read: {error}. Check the numbers in it.")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        what = getattr(error, "problem", None) or "the layout is not valid YAML"
        return None, Problem(display_path,
                             f"The file cannot be read: {what}. Check the indentation and that "
                             "text containing a colon is in quotes.",
                             line=mark.line + 1 if mark else None)


def _child(node, key):
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == str(key):
                return value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None


def describe_place(data, field_path: list) -> str:
    """'items → item 12 → scale' rather than 'items/11/scale'."""
    words = []
    node = data
    for key in field_path:
        if isinstance(key, int) and isinstance(node, list):
            entry = node[key] if key < len(node) else None
            words.append(_describe_entry(entry, key))
            node = entry
        else:
            words.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return " → ".join(words)


def _describe_entry(entry, index: int) -> str:
    if isinstance(entry, dict):
        if "number" in entry:
            return f"item {entry['number']}"
        for key in ("name", "id", "token", "score"):
            if key in entry:
                return f"'{entry[key]}'"
    return f"entry {index + 1}"
