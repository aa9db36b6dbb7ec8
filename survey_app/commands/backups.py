"""`survey backup --out FILE` and `survey restore FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from survey_app.services import backups
from survey_app.services.audit import COMMAND_LINE


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The new file to write (never overwritten).")
@with_appcontext
def backup_command(out: Path) -> None:
    """Back up the whole database while the app runs: SQLite's online backup, or pg_dump -Fc on
    PostgreSQL. The file is readable by this user only; contact details in it stay encrypted."""
    try:
        backups.backup(current_app.extensions["survey_engine"], current_app.extensions["survey_sessions"], out,
                       COMMAND_LINE)
    except backups.BackupError as refusal:
        raise click.ClickException(str(refusal)) from None
    click.echo(f"Backed up to {out} ({out.stat().st_size} bytes).")


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(backup_file: Path) -> None:
    """Restore a backup made by `survey backup` into an empty database (a non-empty one is refused).
    Then run `survey db upgrade` and `survey audit verify`."""
    try:
        backups.restore(current_app.extensions["survey_engine"], current_app.extensions["survey_sessions"],
                        backup_file, COMMAND_LINE)
    except backups.BackupError as refusal:
        raise click.ClickException(str(refusal)) from None
    click.echo(f"Restored {backup_file}. Next: `survey db upgrade`, then `survey audit verify`.")
