"""What `validate` and `publish` print for instruments and consent documents alike."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from survey_app.domain.datafiles import PublishError
from survey_app.domain.problems import Problem


def report_problems(problems: list[Problem], checked: str) -> None:
    """Each problem on stderr and exit 1, or say that `checked` is sound."""
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) found. Nothing was changed.", err=True)
        sys.exit(1)
    click.echo(f"No problems found in {checked}.")


def publish_or_exit(publish: Callable[[Path, Path], str], path: Path, root: Path) -> None:
    """Publish one file under `root`, or print why not and exit 1."""
    try:
        key = publish(path, root)
    except PublishError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Not published: fix the problems above first.", err=True)
        sys.exit(1)
    lock = root / "published.lock.json"
    click.echo(f"Published {key}. Commit {lock} with the file.")
