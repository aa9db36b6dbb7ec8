"""The `survey` command: every operation an admin or a tool runs from a shell.

Commands that need no database (`survey score`, `survey plan`, `survey instruments validate`) run without
an application context, so tools outside the code base can call them cheaply.
"""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import FlaskGroup

from survey_app import create_app
from survey_app.commands.backups import backup_command, restore_command
from survey_app.commands.consent import consent
from survey_app.commands.export import export_command
from survey_app.commands.i18n import i18n
from survey_app.commands.instruments import instruments
from survey_app.commands.people import audit_group, keys, sites, staff
from survey_app.commands.plan import plan_command
from survey_app.commands.progress import progress_command
from survey_app.commands.retention import purge_command
from survey_app.commands.score import score_command
from survey_app.commands.scores import scores
from survey_app.commands.worker import worker_command
from survey_app.config import ConfigError


def _create_app():
    """The app, or a plain message and exit 1 when the configuration is unsafe (no traceback)."""
    try:
        return create_app()
    except ConfigError as refusal:
        raise click.ClickException(str(refusal)) from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             help="Outcome-measure survey and consent platform.")
def main() -> None:
    pass


main.add_command(instruments)
main.add_command(consent)
main.add_command(i18n)
main.add_command(score_command)
main.add_command(plan_command)
main.add_command(progress_command)
main.add_command(export_command)
main.add_command(worker_command)
main.add_command(purge_command)
main.add_command(backup_command)
main.add_command(restore_command)
for group in (sites, staff, keys, audit_group, scores):
    main.add_command(group)


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration the database has not had yet."""
    from survey_app.store.migrations import upgrade

    upgrade(current_app.extensions["survey_engine"], keys=current_app.config["SURVEY_KEYS"])
    click.echo("Database is up to date.")


@main.command()
def demo() -> None:
    """Create (or recreate) the demo database. The last line on stdout is JSON."""
    from survey_app.services.demo import create_demo

    if current_app.config["SURVEY_MODE"] == "production":
        raise click.ClickException("Demo data cannot be created in production mode.")
    summary = create_demo(current_app.extensions["survey_engine"], current_app.config)
    click.echo(f"Demo database ready: {current_app.config['SURVEY_DATABASE_URL']}")
    click.echo("Staff sign in at /sign-in with these demo accounts (an authenticator app, or")
    click.echo("`python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"`, gives the code):")
    for role, account in summary["staff"].items():
        click.echo(f"  {role:<24} {account['email']:<36} password {account['password']}  "
                   f"code secret {account['totp_secret']}")
    click.echo("Participant links (the access code is read out by the practitioner):")
    for link in summary["links"]:
        click.echo(f"  {link['cohort']:<16} {link['timepoint']}  {link['url']}  code {link['access_code'] or '-'}")
    click.echo(json.dumps(summary))
