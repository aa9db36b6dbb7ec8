"""How a use case says no."""

from __future__ import annotations

from survey_app.domain.text import N_, Message


class Refused(ValueError):
    """A use case refused its input and changed nothing.

    `message` says why, in words for a person (the web layer translates it; `str()` gives plain
    English for the command line); `field` names the input at fault, when there is one."""

    def __init__(self, message: Message, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def refuse_if_too_long(value: str, maximum: int, field: str) -> None:
    """The same limit as the form's (survey_app/domain/limits.py), for callers that are not forms."""
    if len(value) > maximum:
        raise Refused(Message(N_("Enter %(count)s characters or fewer"), {"count": maximum}), field)
