"""Engine and session handling for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String, create_engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000


class Base(DeclarativeBase):
    """Tables that are neither service-user nor victim-survivor records (instruments, config)."""


class DoesNotFit(ValueError):
    """A value too long (or a number too big) for its column. PostgreSQL refuses these itself;
    SQLite would keep them, so every write is checked here for both."""


INTEGER_RANGES = ((BigInteger, -2 ** 63, 2 ** 63 - 1), (Integer, -2 ** 31, 2 ** 31 - 1))


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _values_fit_their_columns(mapper, _connection, target) -> None:
    loaded = inspect(target).dict  # only what the write sends; nothing is loaded for the check
    for prop in mapper.column_attrs:
        value = loaded.get(prop.key)
        for column in prop.columns:
            if isinstance(value, str) and isinstance(column.type, String) and column.type.length \
                    and len(value) > column.type.length:
                raise DoesNotFit(f"{column.table.name}.{column.name} holds at most {column.type.length} characters")
            if isinstance(value, int) and isinstance(column.type, Integer):
                lowest, highest = next((low, high) for kind, low, high in INTEGER_RANGES if isinstance(column.type, kind))
                if not lowest <= value <= highest:
                    raise DoesNotFit(f"{column.table.name}.{column.name} holds whole numbers from {lowest} to {highest}")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers carry on while an answer is written; foreign keys are off by
    # default in SQLite; secure_delete overwrites deleted content so it cannot be read back.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def insert_for(session: Session, model):
    """An INSERT that can say what to do on a duplicate key (`on_conflict_do_nothing`,
    `on_conflict_do_update`), which both engines support in their own dialect of SQL."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def push_deletions_to_disk(session: Session) -> None:
    """After a committed deletion, make the database file itself hold no deleted values.

    SQLite in WAL mode writes the zeroed pages (secure_delete) to the write-ahead log first;
    until a checkpoint copies them back, the main file still holds the old pages. A TRUNCATE
    checkpoint copies them and empties the log. PostgreSQL needs VACUUM, which cannot run in
    a transaction: see the README on deletion."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        session.commit()
