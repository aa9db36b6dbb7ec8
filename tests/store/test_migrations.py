"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from survey_app.store.db import make_engine
from survey_app.store.migrations import current_head, upgrade
from survey_app.store.models import all_metadata
from tests.databases import backend, temporary_database


@contextmanager
def migrated_engine(tmp_path):
    """A throwaway database of the chosen backend, migrated to head."""
    with temporary_database(backend(), tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            yield engine
        finally:
            engine.dispose()


def schema_differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "compare_server_default": True})
        return [diff for metadata in all_metadata() for diff in compare_metadata(context, metadata)]


def test_migrations_produce_the_models_schema(tmp_path):
    with migrated_engine(tmp_path) as engine:
        with engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == current_head()
        assert schema_differences(engine) == []


def test_every_model_table_is_created_by_the_migrations(tmp_path):
    with migrated_engine(tmp_path) as engine:
        created = set(inspect(engine).get_table_names())
    wanted = {table for metadata in all_metadata() for table in metadata.tables}
    assert wanted <= created
    assert "alembic_version" in created


def test_a_schema_missing_a_column_is_noticed(tmp_path):
    """The comparison itself must be able to fail: drop a column and it reports the difference."""
    with migrated_engine(tmp_path) as engine:
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE instrument_wording_confirmation DROP COLUMN note")
        differences = schema_differences(engine)
    assert any(d[0] == "add_column" and d[3].name == "note" for d in differences)


def test_closure_reasons_are_encrypted_with_each_persons_key_by_the_upgrade(tmp_path):
    """0017: a reason kept in plain text before is readable afterwards only with the person's key;
    a person whose key was already destroyed keeps no reason at all."""
    from sqlalchemy import text

    from survey_app.services.records import closure_reason
    from survey_app.store.crypto import Keyring, PersonCipher, new_key
    from survey_app.store.records import ServiceUser

    keys = {"service_user": [new_key()], "victim_survivor": [new_key()]}
    ring = Keyring(keys["service_user"])
    _cipher, data_key = PersonCipher.new()
    with temporary_database(backend(), tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade(engine, "0015")
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO site (id, name, active) VALUES (1, 'North', true)"))
                for number, wrapped in ((1, ring.wrap(data_key)), (2, None)):
                    connection.execute(text(
                        "INSERT INTO service_user (id, study_id, site_id, wrapped_key, created_at, referral_date, "
                        "referral_source, eligibility, closure_outcome, closure_reason) VALUES (:id, :study, 1, "
                        ":wrapped, '2026-01-05 10:00:00+00', '2026-01-05', 'early_help', 'eligible', 'other', "
                        "'Moved to Ambleside')"), {"id": number, "study": f"AAAA-BBB{number}", "wrapped": wrapped})
            upgrade(engine, keys=keys)
            with engine.connect() as connection:
                stored = dict(connection.execute(text("SELECT id, closure_reason FROM service_user")).all())
            assert stored[2] is None
            assert b"Ambleside" not in bytes(stored[1])
            person = ServiceUser(wrapped_key=ring.wrap(data_key), closure_reason=bytes(stored[1]))
            assert closure_reason(ring, person) == "Moved to Ambleside"
        finally:
            engine.dispose()
