"""`survey backup` and `survey restore`: a round trip keeps every record, answer and the audit chain,
on SQLite (online backup API) and on PostgreSQL (pg_dump / pg_restore)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from survey_app import create_app
from survey_app.cli import main
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import records
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.models import all_metadata
from tests.databases import backend, temporary_database
from tests.factories import create_record, create_sent_administration, create_site


@pytest.fixture
def filled(app, session):
    site = create_site(session)
    catalogue = load_catalogue(instruments_dir())
    for store, name in (("service_user", "Ambrose Quillby"), ("victim_survivor", "Perdita Lovelock")):
        record = create_record(session, records.keyrings(app.config)[store], store, site, name=name)
        create_sent_administration(session, record, catalogue, "T1")
    session.commit()
    return app


def every_row(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(
                    select(table).order_by(*(table.primary_key.columns or table.columns)))]
                for metadata in all_metadata() for table in metadata.sorted_tables}


@pytest.fixture
def empty_app(app, tmp_path):
    with temporary_database(backend(), tmp_path) as url:
        other = create_app({"TESTING": True, "SURVEY_MODE": "development", "SURVEY_DATABASE_URL": url,
                            "SECRET_KEY": "test-secret-key", "SURVEY_KEYS": app.config["SURVEY_KEYS"]})
        yield other
        other.extensions["survey_engine"].dispose()


def test_a_backup_restored_into_an_empty_database_holds_everything(filled, empty_app, tmp_path):
    if backend() == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump and pg_restore are not on PATH")
    out = tmp_path / "survey.backup"
    made = filled.test_cli_runner().invoke(main, ["backup", "--out", str(out)])
    assert made.exit_code == 0, made.output
    assert out.stat().st_mode & 0o077 == 0
    before = every_row(filled.extensions["survey_engine"])
    assert before["answer"] and before["service_user"] and before["audit_entry"][-1][4] == "database.backup"

    restored = empty_app.test_cli_runner().invoke(main, ["restore", str(out)])
    assert restored.exit_code == 0, restored.output
    after = every_row(empty_app.extensions["survey_engine"])
    entries = after.pop("audit_entry")
    assert entries[:len(before["audit_entry"])] == before.pop("audit_entry")
    assert entries[-1][4] == "database.restore"
    before.pop("audit_head"), after.pop("audit_head")
    assert after == before
    verified = empty_app.test_cli_runner().invoke(main, ["audit", "verify"])
    assert verified.exit_code == 0 and "the chain is intact" in verified.output
    with empty_app.extensions["survey_sessions"]() as session:
        person = session.scalars(select(records.MODELS["service_user"])).one()
        ring = records.keyrings(empty_app.config)["service_user"]
        assert records.contact_details(session, ring, person, COMMAND_LINE)["name"] == "Ambrose Quillby"


def test_a_restore_into_a_database_that_is_not_empty_is_refused(filled, tmp_path):
    out = tmp_path / "survey.backup"
    assert filled.test_cli_runner().invoke(main, ["backup", "--out", str(out)]).exit_code == 0
    before = every_row(filled.extensions["survey_engine"])
    result = filled.test_cli_runner().invoke(main, ["restore", str(out)])
    assert result.exit_code == 1
    assert "This database is not empty" in result.output
    assert every_row(filled.extensions["survey_engine"]) == before


def test_a_backup_never_overwrites_a_file(filled, tmp_path):
    out = tmp_path / "kept.txt"
    out.write_text("keep me")
    result = filled.test_cli_runner().invoke(main, ["backup", "--out", str(out)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert out.read_text() == "keep me"


def test_a_file_that_is_not_a_backup_is_refused_in_plain_words(empty_app, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    result = empty_app.test_cli_runner().invoke(main, ["restore", str(junk)])
    assert result.exit_code == 1 and "is not a" in result.output and "backup" in result.output


def test_without_pg_dump_on_path_the_message_says_what_to_install(filled, tmp_path, monkeypatch):
    if backend() != "postgresql":
        pytest.skip("PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path))
    result = filled.test_cli_runner().invoke(main, ["backup", "--out", str(tmp_path / "b")])
    assert result.exit_code == 1 and "pg_dump is not on PATH" in result.output
