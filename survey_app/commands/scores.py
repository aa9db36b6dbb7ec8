"""`survey scores …`: check that the stored scores are still what the engine makes of the answers."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from survey_app.domain.catalogue import load_catalogue
from survey_app.services import scores as score_service
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.records import STORES

scores = AppGroup("scores", help="Stored scores: check them against the answers, and repair them.")


@scores.command("rederive")
@click.option("--store", "store_name", type=click.Choice(STORES), default=None,
              help="Only this store's administrations (default: both).")
@click.option("--fix", is_flag=True,
              help="Rewrite each differing score from the answers, and add missing ones (audited).")
def rederive_command(store_name: str | None, fix: bool) -> None:
    """Score every sent administration again from its answers and compare with the stored scores.
    Exits 1 when any differ and were left as they are; 0 when none differ, or all were fixed."""
    catalogue = load_catalogue(Path(current_app.config["SURVEY_INSTRUMENTS_DIR"]))
    with current_app.extensions["survey_sessions"]() as session:
        report = score_service.rederive(session, catalogue, COMMAND_LINE, store_name, fix=fix)
    for difference in report.differences:
        click.echo(str(difference))
    click.echo(f"Checked {report.checked} sent administration(s): {len(report.differences)} difference(s).")
    if report.fixed:
        click.echo(f"Fixed: {report.fixed} score(s) rewritten from the answers.")
    elif report.differences:
        click.echo("Nothing was changed; run again with --fix to rewrite them from the answers.")
    sys.exit(1 if report.differences and not report.fixed else 0)
