"""`survey export`: an evaluator dataset on the command line.

    survey export --cohort service_user|victim_survivor --layout wide|long --format csv|sav|dta
                  [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--site NAME] --out DIR

Writes the data file, codebook.html and datapackage.json into DIR (made if missing) and prints one
JSON object: {"files": [names], "rows": n, "participants": n}. Bad arguments: a plain message on
stderr, exit code 2, nothing written. The export is audited as the command line's.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from survey_app.commands.arguments import day, fail
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import exports
from survey_app.services.audit import COMMAND_LINE
from survey_app.services.exports import ExportRefused, ExportRequest
from survey_app.web.evaluator.datasets import codebook


@click.command("export")
@click.option("--cohort", required=True, metavar="service_user|victim_survivor", help="Whose dataset: one cohort.")
@click.option("--layout", required=True, metavar="wide|long", help="wide: a row per person; long: a row per answer.")
@click.option("--format", "fmt", required=True, metavar="csv|sav|dta", help="CSV, SPSS or Stata.")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="Questionnaires sent on or after this day.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Questionnaires sent on or before this day.")
@click.option("--site", metavar="NAME", help="One site, by name (default: every site).")
@click.option("--out", "out", required=True, metavar="DIR", help="The folder to write into.")
@with_appcontext
def export_command(cohort, layout, fmt, start, end, site, out) -> None:
    """Export a pseudonymised, scored dataset with its codebook and data package."""
    request = ExportRequest(cohort, layout, fmt, day("--from", start), day("--to", end), site)
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        fail(f"--out must be a folder; {out!r} is a file.")
    catalogue = load_catalogue(Path(current_app.config["SURVEY_INSTRUMENTS_DIR"]))
    with current_app.extensions["survey_sessions"]() as session:
        try:
            done = exports.export(session, catalogue, current_app.config["SURVEY_KEYS"]["export"], request, folder,
                                  COMMAND_LINE, codebook)
        except ExportRefused as refusal:
            fail(str(refusal))
    click.echo(json.dumps({"files": done.files, "rows": done.rows, "participants": done.participants}))
