"""`survey i18n status|check`, on the shipped catalogues (so CI runs the check) and on small ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from click.testing import CliRunner

from survey_app.cli import main

PARTICIPANT = [("survey_app/templates/participant/stop.html", 3)]
STAFF = [("survey_app/templates/admin/index.html", 4)]
DRAFT = "# Translation-Status: draft (machine- or staff-drafted; needs review by a qualified translator)"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write_catalogue(path: Path, strings: dict, header: str = DRAFT, locale: str | None = None, fuzzy=()) -> None:
    catalogue = Catalog(locale=locale, header_comment=header)
    for (msgid, locations), msgstr in strings.items():
        catalogue.add(msgid, msgstr, locations=locations, flags={"fuzzy"} if msgid in fuzzy else set())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalogue)


@pytest.fixture
def translations(tmp_path):
    """A template with one participant-facing and one staff string."""
    write_catalogue(tmp_path / "messages.pot", {
        ("Stop taking part", tuple(PARTICIPANT)): "",
        ("Hello. Here is the link: {link}", (("survey_app/domain/sms.py", 19),)): "",
        ("Signed in as %(name)s", tuple(STAFF)): "",
    }, header="")
    return tmp_path


def po(translations: Path, locale: str) -> Path:
    return translations / locale / "LC_MESSAGES" / "messages.po"


def welsh(**changes) -> dict:
    strings = {("Stop taking part", tuple(PARTICIPANT)): "Rhoi'r gorau i gymryd rhan",
               ("Hello. Here is the link: {link}", (("survey_app/domain/sms.py", 19),)): "Helo. Dyma'r ddolen: {link}",
               ("Signed in as %(name)s", tuple(STAFF)): ""}
    for msgid, msgstr in changes.items():
        key = next(k for k in strings if k[0] == msgid)
        strings[key] = msgstr
    return strings


def test_every_shipped_catalogue_passes_the_check():
    result = run("i18n", "check")
    assert result.exit_code == 0, result.output
    assert "FAILS" not in result.output


def test_a_catalogue_with_every_participant_string_passes_though_staff_strings_are_english(translations):
    write_catalogue(po(translations, "cy"), welsh(), locale="cy")
    result = run("i18n", "check", "--dir", str(translations))
    assert result.exit_code == 0, result.output
    assert "cy       Welsh / Cymraeg: all strings 2/3 (67%), participant-facing 2/2 (100%); draft; ok" in result.output


@pytest.mark.parametrize("translated, fuzzy", [("", ()), ("Rhoi'r gorau iddi", ("Stop taking part",))])
def test_a_missing_or_fuzzy_participant_string_fails(translations, translated, fuzzy):
    write_catalogue(po(translations, "cy"), welsh(**{"Stop taking part": translated}), locale="cy", fuzzy=fuzzy)
    result = run("i18n", "check", "--dir", str(translations))
    assert result.exit_code == 1
    assert "participant-facing 1/2 (50%)" in result.output
    assert "missing participant-facing: 'Stop taking part'" in result.output


def test_a_broken_placeholder_fails_even_on_a_staff_string(translations):
    strings = welsh(**{"Hello. Here is the link: {link}": "Helo. Dyma'r ddolen: {dolen}",
                       "Signed in as %(name)s": "Wedi mewngofnodi fel %(enw)s"})
    write_catalogue(po(translations, "cy"), strings, locale="cy")
    result = run("i18n", "check", "--dir", str(translations))
    assert result.exit_code == 1
    assert "placeholder {link} is missing" in result.output
    assert "placeholder {dolen} is not in the English" in result.output
    assert "placeholder %(enw)s is not in the English" in result.output


def test_a_catalogue_without_review_status_fails(translations):
    write_catalogue(po(translations, "cy"), welsh(), header="# Welsh translations", locale="cy")
    result = run("i18n", "check", "--dir", str(translations))
    assert result.exit_code == 1
    assert "Translation-Status" in result.output


def test_status_lists_each_language_as_draft_or_reviewed(translations):
    write_catalogue(po(translations, "cy"), welsh(), locale="cy")
    write_catalogue(po(translations, "pl"), {}, locale="pl",
                    header="# Translation-Status: reviewed by A. Nowak on 2026-12-01")
    result = run("i18n", "status", "--dir", str(translations))
    assert result.output.splitlines() == [
        "cy       Welsh / Cymraeg: draft (machine- or staff-drafted; needs review by a qualified translator)",
        "         revealing words: draft (machine- or staff-drafted; needs review by a qualified translator)",
        "pl       Polish / polski: reviewed by A. Nowak on 2026-12-01",
        "         revealing words: draft (machine- or staff-drafted; needs review by a qualified translator)",
    ]


