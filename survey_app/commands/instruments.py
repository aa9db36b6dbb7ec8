"""`survey instruments …`: list, validate, publish and confirm instrument definitions."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from survey_app.config import instruments_dir
from survey_app.commands.datafiles import publish_or_exit, report_problems
from survey_app.domain.catalogue import Catalogue, load_catalogue, publish, validate_paths
from survey_app.domain.instruments import Definition
from survey_app.domain.verification import confirmation_required, verification_summary
from survey_app.services.instruments import confirm, confirmation_state

AUDIENCES = {"service_user": "service users", "victim_survivor": "(ex-)partner victim-survivors"}

instruments = AppGroup("instruments", help="Instrument definitions: list, validate, publish, confirm wording.")


@instruments.command("list")
def list_command() -> None:
    """Every instrument the study needs, its versions, how its wording was checked, and what is missing."""
    catalogue = load_catalogue(Path(current_app.config["SURVEY_INSTRUMENTS_DIR"]))
    session = current_app.extensions["survey_sessions"]()
    try:
        for line in _listing(catalogue, session, confirmation_required(current_app.config["SURVEY_MODE"])):
            click.echo(line)
    finally:
        session.close()


def _listing(catalogue: Catalogue, session, required: bool) -> list[str]:
    lines = []
    ids = [e.id for e in catalogue.expected]
    ids += sorted({d.id for d in [*catalogue.published.values(), *catalogue.drafts.values()]} - set(ids))
    for instrument_id in ids:
        expected = next((e for e in catalogue.expected if e.id == instrument_id), None)
        versions = catalogue.versions(instrument_id)
        drafts = [d for d in catalogue.drafts.values() if d.id == instrument_id]
        if not versions:
            lines.append(f"{instrument_id.upper()}: MISSING, no published version. {expected.missing if expected else ''}".rstrip())
        for definition in versions:
            lines += _describe(definition, catalogue, session, required)
        for draft in drafts:
            lines.append(f"  draft {draft.version} ({draft.path}): not published; "
                         f"run `survey instruments publish {draft.path}` when it is final.")
    if catalogue.problems:
        lines.append(f"{len(catalogue.problems)} problem(s) in instruments/; run `survey instruments validate` to see them.")
    return lines


def _describe(definition: Definition, catalogue: Catalogue, session, required: bool) -> list[str]:
    state = confirmation_state(session, definition)
    command = f"`survey instruments confirm {definition.id} {definition.version} --by NAME`"
    if not state.known:
        wording = "wording confirmation unknown (the database is not set up: run `survey db upgrade`)"
    elif state.confirmation is None and required:
        wording = (f"wording NOT yet confirmed against the licensed form, so it is NOT offered to participants "
                   f"until an admin confirms it: {command}")
    elif state.confirmation is None:
        wording = (f"wording NOT yet confirmed against the licensed form; offered here because this is not "
                   f"production mode, but needed before use in production: {command}")
    else:
        wording = (f"wording confirmed against the licensed form by {state.confirmation.confirmed_by} "
                   f"on {state.confirmation.confirmed_at:%Y-%m-%d}")
    translations = ", ".join(f"{t.language} ({t.status.replace('_', ' ')})"
                             for t in catalogue.translations_of(definition)) or "none"
    return [
        verification_summary(definition),
        f"  for {AUDIENCES[definition.audience]} at {', '.join(definition.timepoints)}; translations: {translations}",
        f"  {wording}",
    ]


@instruments.command("validate", with_appcontext=False)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check instrument files (default: the whole catalogue). Exits 1 on any problem."""
    root = instruments_dir()
    problems = validate_paths(list(paths), root) if paths else load_catalogue(root).problems
    report_problems(problems, ", ".join(map(str, paths)) or str(root))


@instruments.command("publish", with_appcontext=False)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def publish_command(path: Path) -> None:
    """Publish a checked definition or translation: record its hash so it can never change."""
    publish_or_exit(publish, path, instruments_dir())


@instruments.command("confirm")
@click.argument("instrument_id")
@click.argument("version")
@click.option("--by", "confirmed_by", required=True, help="Name of the admin who checked the wording.")
@click.option("--note", default="", help="What was checked against, e.g. the licence reference.")
def confirm_command(instrument_id: str, version: str, confirmed_by: str, note: str) -> None:
    """Record that a version's exact wording was checked against the licensed form."""
    catalogue = load_catalogue(Path(current_app.config["SURVEY_INSTRUMENTS_DIR"]))
    definition = catalogue.get(instrument_id, version)
    if definition is None:
        raise click.ClickException(f"There is no published version {version} of {instrument_id!r}.")
    session = current_app.extensions["survey_sessions"]()
    try:
        row = confirm(session, definition, confirmed_by.strip(), note)
        click.echo(f"{definition.short_title} {version}: wording confirmed by {row.confirmed_by} "
                   f"(content {definition.content_sha256[:12]}).")
    finally:
        session.close()
