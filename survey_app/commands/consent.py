"""`survey consent …`: list, validate and publish consent documents."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from survey_app.config import consent_dir
from survey_app.commands.datafiles import publish_or_exit, report_problems
from survey_app.domain.consent_documents import AUDIENCES, load_library, publish

consent = AppGroup("consent", help="Consent documents: list, validate, publish.")


@consent.command("list", with_appcontext=False)
def list_command() -> None:
    """Each audience's versions, whether they are material, and their languages."""
    library = load_library(consent_dir())
    for audience in AUDIENCES:
        click.echo(f"{audience}: required before questionnaires: "
                   f"{', '.join(sorted(library.study.consent.required))}")
        for version in library.versions.get(audience, ()):
            languages = sorted(d.language for d in library.published.values()
                               if d.audience == audience and d.version == version.version)
            drafts = sorted(d.path for d in library.drafts.values()
                            if d.audience == audience and d.version == version.version)
            click.echo(f"  {version.version} ({'material' if version.material else 'not material'}): "
                       f"published in {', '.join(languages) or 'no language yet'}; {version.changes}")
            for path in drafts:
                click.echo(f"    draft {path}: run `survey consent publish {path}` when it is final.")
    if library.problems:
        click.echo(f"{len(library.problems)} problem(s) in consent/; run `survey consent validate` to see them.")


@consent.command("validate", with_appcontext=False)
def validate_command() -> None:
    """Check every consent file. Exits 1 on any problem."""
    report_problems(load_library(consent_dir()).problems, str(consent_dir()))


@consent.command("publish", with_appcontext=False)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def publish_command(path: Path) -> None:
    """Publish a checked document: record its hash so it can never change."""
    publish_or_exit(publish, path, consent_dir())
