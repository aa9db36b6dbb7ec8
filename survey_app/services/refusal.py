"""How a use case says no."""

from __future__ import annotations

from survey_app.domain.text import Message


class Refused(ValueError):
    """A use case refused its input and changed nothing.

    `message` says why, in words for a person (the web layer translates it; `str()` gives plain
    English for the command line); `field` names the input at fault, when there is one."""

    def __init__(self, message: Message, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field
