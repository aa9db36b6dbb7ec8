"""Engine and session handling for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import os
import time
import weakref

from sqlalchemy import BigInteger, Integer, String, create_engine, event, exc, inspect
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
    else:
        engine = create_engine(url)
        _ping_when_idle(engine)
    _ENGINES.add(engine)
    return engine


# PostgreSQL: a pooled connection idle this long is checked (a round trip) before it is used, so one
# left over from before a server restart is replaced unseen. One used more recently is not: under load
# every request would pay the round trip for nothing, and a restart in that second is found by the
# request that meets it (the calm 503 page), which marks every older connection for replacement.
PING_WHEN_IDLE_SECONDS = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pool_pre_ping, skipped for a connection returned less than a second ago."""

    @event.listens_for(engine, "checkin")
    def returned(_dbapi_connection, record) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check(dbapi_connection, record, _proxy) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < PING_WHEN_IDLE_SECONDS:
            return  # a new connection, or one in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError() from error  # the pool retries with a new connection
            raise


# gunicorn builds the app once and then forks its workers (gunicorn.conf.py, preload_app): a connection
# the parent opened (a check at start) must never be used by two processes at once, so each child
# forgets the pooled connections it inherited, without closing them (they are still the parent's).
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def _forget_inherited_connections() -> None:
    for engine in list(_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited_connections)


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


def rows(session: Session, statement, **params):
    """The rows of a statement built once (at import, with `bindparam`s for what changes), executed
    on the session's connection: for the reads and writes every participant page makes, this skips
    building the statement, its cache key and the ORM's handling of it (about half the cost of a
    small query). Pending ORM changes are flushed first, as a query through the session would."""
    session.flush()
    return session.connection().execute(statement, params)


def by_dialect(build):
    """`build(dialect)` once per database dialect (sqlite or postgresql), for statements such as
    INSERT … ON CONFLICT that each engine writes in its own SQL; call the result with the session."""
    built = {}

    def statement(session: Session):
        dialect = _dialect(session)
        if dialect not in built:
            built[dialect] = build(dialect)
        return built[dialect]

    return statement


def _dialect(session: Session):
    """SQLAlchemy's dialect module for the session's engine (postgresql or sqlite)."""
    return postgresql if session.get_bind().dialect.name == "postgresql" else sqlite


def insert_for(session: Session, model):
    """An INSERT that can say what to do on a duplicate key (`on_conflict_do_nothing`,
    `on_conflict_do_update`), which both engines support in their own dialect of SQL."""
    return _dialect(session).insert(model)


def push_deletions_to_disk(session: Session) -> None:
    """After a committed deletion, make the database file itself hold no deleted values.

    SQLite in WAL mode writes the zeroed pages (secure_delete) to the write-ahead log first;
    until a checkpoint copies them back, the main file still holds the old pages. A TRUNCATE
    checkpoint copies them and empties the log. PostgreSQL needs VACUUM, which cannot run in
    a transaction: see the README on deletion."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        session.commit()
