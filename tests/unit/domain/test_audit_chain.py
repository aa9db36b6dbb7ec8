"""The audit chain notices an entry changed, deleted or inserted anywhere."""

from __future__ import annotations

from dataclasses import replace

from survey_app.domain.audit_chain import GENESIS, Entry, entry_hash, verify


def chain(count: int) -> list[Entry]:
    entries, previous = [], GENESIS
    for sequence in range(1, count + 1):
        entry = Entry(sequence, f"2026-11-23T10:{sequence:02d}:00Z", "staff:1", "case_manager", "case.view",
                      f"service_user:ID{sequence}", {"n": sequence}, previous)
        entry = replace(entry, hash=entry_hash(entry))
        entries.append(entry)
        previous = entry.hash
    return entries


def head(entries: list[Entry]) -> tuple[int, str]:
    return entries[-1].sequence, entries[-1].hash


def test_an_intact_chain_verifies():
    entries = chain(5)
    assert verify(entries, head(entries)) is None
    assert verify([], None) is None


def test_a_changed_entry_is_named():
    entries = chain(5)
    entries[2] = replace(entries[2], detail={"n": 99})
    assert str(verify(entries, head(chain(5)))) == "entry 3: its content was changed after it was written"


def test_a_changed_entry_with_a_recomputed_hash_breaks_the_next_link():
    entries = chain(5)
    forged = replace(entries[2], actor="staff:2")
    entries[2] = replace(forged, hash=entry_hash(forged))
    assert verify(entries, head(entries[:2] + entries[2:])).sequence == 4


def test_a_deleted_entry_is_named():
    entries = chain(5)
    original_head = head(entries)
    del entries[1]
    assert str(verify(entries, original_head)) == "entry 2: is missing (deleted)"


def test_deleting_the_newest_entries_is_caught_by_the_head():
    entries = chain(5)
    assert str(verify(entries[:3], head(entries))) == "entry 4: is missing (deleted): the log should end at entry 5"


def test_an_inserted_entry_is_named():
    entries = chain(5)
    intruder = replace(entries[1], detail={"forged": True})
    intruder = replace(intruder, hash=entry_hash(intruder))
    tampered = entries[:2] + [intruder] + entries[2:]
    assert verify(tampered, head(entries)).sequence == 2
