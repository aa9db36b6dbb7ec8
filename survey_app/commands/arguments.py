"""What the command-line contracts share: a plain message on stderr and exit code 2 for bad input."""

from __future__ import annotations

import sys
from datetime import date

import click

BAD_INPUT = 2


def fail(message: str):
    click.echo(f"Error: {message}", err=True)
    sys.exit(BAD_INPUT)


def day(option: str, text: str | None) -> date | None:
    """A YYYY-MM-DD option, or None when it was not given."""
    if text is None:
        return None
    try:
        if len(text) == len("2025-04-30"):  # fromisoformat also takes 20250430; the contracts do not
            return date.fromisoformat(text)
    except ValueError:
        pass
    fail(f"{option} must be a date like 2025-04-30, not {text!r}.")
