"""Test databases: a migrated SQLite file or a throwaway PostgreSQL database.

SURVEY_TEST_DB chooses the engine (sqlite, the default, or postgresql);
SURVEY_TEST_PG_URL points at a PostgreSQL server we may create databases on.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ADMIN_URL = os.environ.get("SURVEY_TEST_PG_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def backend() -> str:
    name = os.environ.get("SURVEY_TEST_DB", "sqlite")
    if name not in ("sqlite", "postgresql"):
        raise ValueError(f"SURVEY_TEST_DB must be sqlite or postgresql, not {name!r}")
    return name


def postgres_answers(url: str = PG_ADMIN_URL) -> bool:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


@contextmanager
def temporary_database(kind: str, tmp_dir: Path):
    """Yield the URL of an empty database of `kind`, removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    name = f"survey_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
