"""`survey purge`: delete the people whose case closed longer ago than the retention period."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from survey_app.services import retention
from survey_app.services.audit import COMMAND_LINE


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list who would be deleted; change nothing.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Delete everyone whose case closed more than SURVEY_RETENTION_DAYS_AFTER_CLOSURE days ago, exactly
    as a withdrawal with deletion does (answers, scores, contact details, closure reason), each audited.
    Without the setting nothing is deleted."""
    days = current_app.config.get("SURVEY_RETENTION_DAYS_AFTER_CLOSURE")
    if days is None:
        click.echo("No retention period is set (SURVEY_RETENTION_DAYS_AFTER_CLOSURE): nothing is deleted.")
        return
    with current_app.extensions["survey_sessions"]() as session:
        found = retention.purge(session, days, COMMAND_LINE, dry_run=dry_run)
    for due in found:
        click.echo(f"{due.subject}\tclosed {due.closure_date.isoformat()}")
    verb = "would be deleted (dry run: nothing changed)" if dry_run else "deleted"
    click.echo(f"{len(found)} {'person' if len(found) == 1 else 'people'} closed more than {days} days ago {verb}.")
