"""The audit log in the database: `survey audit verify` finds changed, deleted and inserted entries."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from survey_app.cli import main
from survey_app.domain.audit_chain import Entry, entry_hash
from survey_app.services import audit
from survey_app.services.audit import COMMAND_LINE, Actor


@pytest.fixture
def logged(app):
    """Five entries written through the service, as the platform writes them."""
    with app.extensions["survey_sessions"]() as session:
        for n in range(1, 6):
            audit.record(session, Actor("staff:7", "case_manager"), "record.view_contact", f"service_user:ID{n}")
        session.commit()
    return app


def verify(app):
    return app.test_cli_runner().invoke(main, ["audit", "verify"])


def tamper(app, sql: str) -> None:
    with app.extensions["survey_engine"].begin() as connection:
        connection.execute(text(sql))


def test_an_untouched_log_verifies(logged):
    result = verify(logged)
    assert result.exit_code == 0, result.output
    assert "5 entries; the chain is intact." in result.output


def test_a_changed_entry_is_named(logged):
    tamper(logged, "UPDATE audit_entry SET actor = 'staff:8' WHERE sequence = 3")
    result = verify(logged)
    assert result.exit_code == 1
    assert "entry 3: its content was changed after it was written" in result.output


def test_a_deleted_entry_is_named(logged):
    tamper(logged, "DELETE FROM audit_entry WHERE sequence = 2")
    result = verify(logged)
    assert result.exit_code == 1
    assert "entry 2: is missing (deleted)" in result.output


def test_deleting_the_newest_entry_is_caught(logged):
    tamper(logged, "DELETE FROM audit_entry WHERE sequence = 5")
    assert "entry 5: is missing (deleted)" in verify(logged).output


def test_an_inserted_entry_is_named(logged):
    """A forged entry slipped in after entry 2, with the later entries renumbered to make room."""
    with logged.extensions["survey_engine"].begin() as connection:
        for sequence in (5, 4, 3):
            connection.execute(text("UPDATE audit_entry SET sequence = :new WHERE sequence = :old"),
                               {"new": sequence + 1, "old": sequence})
        second = connection.execute(text("SELECT hash FROM audit_entry WHERE sequence = 2")).scalar()
        # The forger even computes a correct hash for their entry.
        forged = Entry(3, "2026-11-23T00:00:00.000000Z", "staff:1", "admin", "forged", "x", {}, second)
        connection.execute(text("INSERT INTO audit_entry (sequence, at, actor, role, action, subject, detail, "
                                "previous_hash, hash) VALUES (3, :at, :actor, :role, :action, :subject, '{}', "
                                ":previous, :hash)"),
                           {"at": forged.at, "actor": forged.actor, "role": forged.role, "action": forged.action,
                            "subject": forged.subject, "previous": second, "hash": entry_hash(forged)})
    result = verify(logged)
    assert result.exit_code == 1
    assert "entry 4: does not follow the entry before it" in result.output


def test_entries_are_written_in_the_callers_transaction(app):
    with app.extensions["survey_sessions"]() as session:
        audit.record(session, COMMAND_LINE, "test.rolled_back")
        session.rollback()
    with app.extensions["survey_sessions"]() as session:
        assert audit.verify_log(session) is None
        assert session.execute(text("SELECT COUNT(*) FROM audit_entry")).scalar() == 0
