"""`survey i18n …`: how far each interface catalogue is translated, and whether it is safe to ship.

The rules (which strings participants see, what breaks a placeholder or markup, how a catalogue
records its review) live in survey_app/domain/interface_catalogues.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from survey_app.config import PROJECT_ROOT
from survey_app.domain.interface_catalogues import CatalogueReport, check_catalogues
from survey_app.domain.sms import load_word_lists

translations_option = click.option(
    "--dir", "translations", type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=PROJECT_ROOT / "translations", show_default=True, help="The folder holding messages.pot.")


@click.group("i18n")
def i18n() -> None:
    """Interface translations: review status and completeness of each catalogue."""


@i18n.command("status")
@translations_option
def status_command(translations: Path) -> None:
    """Each language's catalogue and its review status (draft, or reviewed by whom and when), and
    the status of its list of revealing words (survey_app/domain/revealing_words/)."""
    word_lists = load_word_lists()
    for report in check_catalogues(translations):
        status = "source language" if report.is_source else report.status
        click.echo(f"{report.locale:<8} {report.name}: {status}")
        found = word_lists.get(report.locale)
        click.echo(f"         revealing words: {found.status if found else 'none: add a list before shipping'}")


@i18n.command("check")
@translations_option
def check_command(translations: Path) -> None:
    """The share of strings translated per language, all and participant-facing. Exits 1 when a
    catalogue misses a participant-facing string (fuzzy counts as missing), breaks a placeholder
    or markup, or has no review status."""
    reports = check_catalogues(translations)
    for report in reports:
        for line in _describe(report):
            click.echo(line)
    failing = [r.locale for r in reports if not r.passes]
    click.echo(f"{len(reports) - len(failing)} of {len(reports)} catalogue(s) pass"
               + (f"; failing: {', '.join(failing)}." if failing else "."))
    sys.exit(1 if failing else 0)


def _short(status: str) -> str:
    return "draft" if status.startswith("draft") else status


def _describe(report: CatalogueReport) -> list[str]:
    if report.is_source:
        return [f"{report.locale:<8} {report.name}: source language, nothing to translate"]
    verdict = "ok" if report.passes else "FAILS"
    lines = [f"{report.locale:<8} {report.name}: all strings {report.every}, "
             f"participant-facing {report.participant}; {_short(report.status)}; {verdict}"]
    lines += [f"    missing participant-facing: {msgid}" for msgid in report.missing_participant]
    lines += [f"    broken: {problem}" for problem in report.broken]
    lines += [f"    header: {problem}" for problem in report.header_problems]
    return lines
