"""`survey export`: the documented files and JSON, and plain refusals of bad input that write nothing."""

from __future__ import annotations

import json

import pytest

from survey_app.commands.export import export_command
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import records
from tests.factories import create_consent, create_record, create_sent_administration, create_site


def run(runner, *args):
    return runner.invoke(export_command, list(args))


@pytest.fixture
def sharing(app, session):
    catalogue = load_catalogue(instruments_dir())
    site = create_site(session, "Camden")
    for store in ("service_user", "service_user", "victim_survivor"):
        record = create_record(session, records.keyrings(app.config)[store], store, site)
        session.commit()
        create_consent(session, record)
        create_sent_administration(session, record, catalogue, "T1")
        session.commit()


@pytest.mark.parametrize("fmt", ["csv", "sav", "dta"])
def test_it_writes_the_data_codebook_and_package_and_prints_what_it_wrote(runner, sharing, tmp_path, fmt):
    out = tmp_path / "out"
    result = run(runner, "--cohort", "service_user", "--layout", "wide", "--format", fmt, "--out", str(out))

    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed == {"files": [f"service_user_wide.{fmt}", "codebook.html", "datapackage.json"], "rows": 2,
                       "participants": 2}
    assert sorted(p.name for p in out.iterdir()) == sorted(printed["files"])


def test_long_layout_counts_rows_and_participants(runner, sharing, tmp_path):
    result = run(runner, "--cohort", "victim_survivor", "--layout", "long", "--format", "csv", "--site", "Camden",
                 "--from", "2026-01-01", "--to", "2030-12-31", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) | {"files": []} == {"files": [], "rows": 7, "participants": 1}


@pytest.mark.parametrize("args, message", [
    (["--cohort", "both"], "cohort must be service_user or victim_survivor"),
    (["--layout", "tall"], "layout must be wide or long"),
    (["--format", "xlsx"], "format must be csv, sav, dta"),
    (["--from", "30/04/2026"], "--from must be a date like 2025-04-30"),
    (["--from", "2026-05-01", "--to", "2026-04-01"], "start of the period must be on or before its end"),
    (["--site", "Nowhere"], "There is no site called 'Nowhere'"),
])
def test_bad_arguments_give_a_plain_message_exit_2_and_write_nothing(runner, sharing, tmp_path, args, message):
    defaults = {"--cohort": "service_user", "--layout": "wide", "--format": "csv"}
    for name, value in zip(args[::2], args[1::2]):
        defaults[name] = value
    out = tmp_path / "out"
    result = run(runner, *[part for pair in defaults.items() for part in pair], "--out", str(out))

    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not out.exists()


def test_an_out_path_that_is_a_file_is_refused(runner, sharing, tmp_path):
    target = tmp_path / "taken"
    target.write_text("mine")
    result = run(runner, "--cohort", "service_user", "--layout", "wide", "--format", "csv", "--out", str(target))
    assert result.exit_code == 2 and "is a file" in result.stderr
    assert target.read_text() == "mine"
