"""Backups of the whole database, and restoring one into an empty database.

SQLite: the online backup API of Python's sqlite3 module copies a consistent snapshot while the
app keeps serving (writers wait for a moment, readers never). PostgreSQL: `pg_dump -Fc` (a
consistent snapshot too) and `pg_restore`, found on PATH. A backup holds what the database holds:
contact details and closure reasons stay encrypted, and the master keys are not in it (keep them
apart from the backups: a person deleted after a backup stays unreadable in it once their key is gone).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine, make_url

from survey_app.services import audit
from survey_app.services.unit_of_work import transaction

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore that cannot be made; the message says why, in plain words."""


def backup(engine: Engine, sessions, out: Path, actor: audit.Actor) -> None:
    """Write the whole database to `out` (audited first, so the backup records that it was made)."""
    if out.exists():
        raise BackupError(f"{out} already exists; choose a new file (a backup never overwrites one).")
    if engine.dialect.name == "postgresql":
        _tool("pg_dump")  # say so before anything is written
    with sessions() as session, transaction(session):
        audit.record(session, actor, "database.backup", "database", {"engine": engine.dialect.name})
    if engine.dialect.name == "sqlite":
        _sqlite_copy(sqlite3.connect(engine.url.database), out)
        os.chmod(out, 0o600)
        return
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={out}", "--dbname",
          _libpq_url(engine)], engine)
    os.chmod(out, 0o600)


def _sqlite_copy(source: sqlite3.Connection, target_path) -> None:
    """SQLite's online backup API: a consistent copy even while the app is writing."""
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def restore(engine: Engine, sessions, backup_file: Path, actor: audit.Actor) -> None:
    """Load a backup into this database, which must be empty (no tables at all): a restore never
    mixes two databases, and never replaces one by accident."""
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} is not a file.")
    tables = inspect(engine).get_table_names()
    engine.dispose()
    if tables:
        raise BackupError(f"This database is not empty (it has {len(tables)} tables). Restore into a new, empty "
                          "database, and point SURVEY_DATABASE_URL at it.")
    head = backup_file.read_bytes()[:16]
    if engine.dialect.name == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{backup_file} is not a SQLite backup (made by `survey backup` on SQLite).")
        _sqlite_copy(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True), engine.url.database)
    else:
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{backup_file} is not a PostgreSQL backup (made by `survey backup` on PostgreSQL).")
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", _libpq_url(engine),
              str(backup_file)], engine)
    with sessions() as session, transaction(session):
        audit.record(session, actor, "database.restore", "database", {"file": backup_file.name})


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not on PATH. Install the PostgreSQL client tools of the server's version "
                          "(Debian: apt-get install postgresql-client) and try again.")
    return found


def _libpq_url(engine: Engine) -> str:
    """The database address for libpq tools, without the password (that goes in PGPASSWORD)."""
    return make_url(engine.url).set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(command: list[str], engine: Engine) -> None:
    environment = dict(os.environ)
    if engine.url.password:
        environment["PGPASSWORD"] = str(engine.url.password)
    command[0] = _tool(command[0])
    finished = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {finished.stderr.strip() or finished.returncode}")
