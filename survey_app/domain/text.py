"""Marking text for translation in code that must not import Flask.

`N_("Engaged")` returns the text unchanged; it only tells `pybabel extract` (keyword N_) to put
the string in the catalogues, so the web layer can show it through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


def N_(text: str) -> str:  # noqa: N802 (the conventional name for this marker)
    return text


@dataclass(frozen=True)
class Message:
    """Words for a person, written where the rule lives and translated where they are shown.

    `text` is marked with N_ and may hold %(name)s places; `values` fill them after
    translation (dates are formatted for the reader's language by the web layer)."""

    text: str
    values: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        """Plain English, for the command line and logs."""
        return self.text % {name: f"{value:%d %B %Y}" if isinstance(value, date) else value
                            for name, value in self.values.items()} if self.values else self.text
