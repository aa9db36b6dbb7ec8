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
