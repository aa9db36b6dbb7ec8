"""PostgreSQL connections: one left over from before a server restart is replaced unseen once it has
been idle a moment, and a connection used a moment ago is not checked again (a round trip on every
request under load)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from survey_app.store import db
from tests.databases import PG_ADMIN_URL, backend

pytestmark = pytest.mark.skipif(backend() != "postgresql", reason="PostgreSQL's connection pool")


@pytest.fixture
def engine():
    made = db.make_engine(PG_ADMIN_URL)
    yield made
    made.dispose()


def backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar()


def end_backend(pid: int) -> None:
    """What a server restart does to a pooled connection."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()


def pings(engine, monkeypatch) -> list:
    seen = []
    original = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: seen.append(1) or original(connection))
    return seen


def test_a_connection_used_a_moment_ago_is_not_checked_again(engine, monkeypatch):
    monkeypatch.setattr(db, "PING_WHEN_IDLE_SECONDS", 60.0)  # however slow the machine, "a moment ago"
    seen = pings(engine, monkeypatch)
    first = backend_pid(engine)
    assert [backend_pid(engine) for _ in range(5)] == [first] * 5
    assert seen == []


def test_an_idle_connection_lost_in_a_restart_is_replaced_before_use(engine, monkeypatch):
    seen = pings(engine, monkeypatch)
    first = backend_pid(engine)
    end_backend(first)
    monkeypatch.setattr(db, "PING_WHEN_IDLE_SECONDS", 0.0)  # as if a second had passed
    assert backend_pid(engine) != first  # no error: the ping found it gone, and a new one was made
    assert seen == [1]


def test_a_connection_lost_in_the_last_second_fails_once_then_every_older_one_is_replaced(engine):
    first = backend_pid(engine)
    end_backend(first)
    with pytest.raises(OperationalError) as failed:
        backend_pid(engine)
    assert failed.value.connection_invalidated  # the page shows the calm 503 (services/outage.py)
    assert backend_pid(engine) != first
