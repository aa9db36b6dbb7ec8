"""The audit log in the database: `survey audit verify` finds changed, deleted and inserted entries."""

from __future__ import annotations

import json

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


# --- anchors: a log emptied, cut short or rewritten is caught against a head kept elsewhere ---------

def anchor(app, *args):
    return app.test_cli_runner().invoke(main, ["audit", "anchor", *args])


def verify_against(app, anchors):
    return app.test_cli_runner().invoke(main, ["audit", "verify", "--anchor", str(anchors)])


@pytest.fixture
def anchored(logged, tmp_path):
    anchors = tmp_path / "anchors.jsonl"
    result = anchor(logged, "--append", str(anchors))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["count"] == 5
    assert anchors.read_text().splitlines() == [result.output.strip()]
    return logged, anchors


def test_a_log_that_still_extends_its_anchors_verifies(anchored):
    app, anchors = anchored
    with app.extensions["survey_sessions"]() as session:
        audit.record(session, COMMAND_LINE, "later.entry")
        session.commit()
    assert anchor(app, "--append", str(anchors)).exit_code == 0
    result = verify_against(app, anchors)
    assert result.exit_code == 0, result.output
    assert "6 entries; the chain is intact, and it extends every anchor" in result.output


def test_emptying_the_log_and_its_head_is_caught_by_the_anchor(anchored):
    app, anchors = anchored
    tamper(app, "DELETE FROM audit_entry")
    tamper(app, "DELETE FROM audit_head")
    assert verify(app).exit_code == 0  # without an anchor the empty log looks whole
    result = verify_against(app, anchors)
    assert result.exit_code == 1
    assert "entry 5: is missing: the log was anchored at 5 entries" in result.output


def test_cutting_off_the_newest_entries_and_moving_the_head_is_caught(anchored):
    app, anchors = anchored
    tamper(app, "DELETE FROM audit_entry WHERE sequence > 3")
    tamper(app, "UPDATE audit_head SET sequence = 3, hash = (SELECT hash FROM audit_entry WHERE sequence = 3)")
    assert verify(app).exit_code == 0
    result = verify_against(app, anchors)
    assert result.exit_code == 1 and "entry 5: is missing" in result.output


def test_a_rewritten_chain_is_caught(anchored):
    app, anchors = anchored
    with app.extensions["survey_engine"].begin() as connection:
        rows = connection.execute(text("SELECT sequence, at, actor, role, action, subject, detail, previous_hash "
                                       "FROM audit_entry ORDER BY sequence")).all()
        previous = rows[0].previous_hash
        for row in rows:  # the forger changes entry 2 and recomputes every hash after it, and the head
            entry = Entry(row.sequence, row.at, "staff:99" if row.sequence == 2 else row.actor, row.role,
                          row.action, row.subject, json.loads(row.detail), previous)
            previous = entry_hash(entry)
            connection.execute(text("UPDATE audit_entry SET actor = :actor, previous_hash = :previous, hash = :hash "
                                    "WHERE sequence = :sequence"),
                               {"actor": entry.actor, "previous": entry.previous_hash, "hash": previous,
                                "sequence": row.sequence})
        connection.execute(text("UPDATE audit_head SET hash = :hash"), {"hash": previous})
    assert verify(app).exit_code == 0
    result = verify_against(app, anchors)
    assert result.exit_code == 1
    assert "entry 5: is not the entry anchored on" in result.output and "rewritten" in result.output


def test_an_anchor_changed_in_its_file_is_refused(anchored):
    app, anchors = anchored
    line = json.loads(anchors.read_text())
    anchors.write_text(json.dumps({**line, "count": 3}) + "\n")
    result = verify_against(app, anchors)
    assert result.exit_code == 1
    assert "line 1: is not signed with this anchor key" in result.output


def test_anchors_need_a_key_outside_the_database(logged):
    kept, logged.config["SURVEY_AUDIT_ANCHOR_KEY"] = logged.config["SURVEY_AUDIT_ANCHOR_KEY"], None
    try:
        result = anchor(logged)
    finally:
        logged.config["SURVEY_AUDIT_ANCHOR_KEY"] = kept
    assert result.exit_code == 1 and "SURVEY_AUDIT_ANCHOR_KEY is not set" in result.output


def test_a_tampered_log_is_not_anchored(logged):
    tamper(logged, "UPDATE audit_entry SET actor = 'staff:8' WHERE sequence = 3")
    result = anchor(logged)
    assert result.exit_code == 1 and "entry 3" in result.output and "Not anchored" in result.output


def test_an_entry_whose_detail_is_not_json_is_named_without_a_traceback(logged):
    tamper(logged, "UPDATE audit_entry SET detail = '{not json' WHERE sequence = 4")
    result = verify(logged)
    assert result.exit_code == 1
    assert "entry 4: its detail is not JSON" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
