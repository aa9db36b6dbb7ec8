"""The audit log's hash chain: each entry's hash covers its content and the previous hash.

Changing an entry breaks its own hash; deleting or inserting one breaks the link to its
neighbour or the numbering; deleting the newest entries is caught by the head, the last
sequence number and hash, which is kept beside the log and updated with each entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Iterable

GENESIS = "0" * 64


@dataclass(frozen=True)
class Entry:
    sequence: int
    at: str  # ISO 8601, UTC
    actor: str  # who: a staff id, "system" or "cli:<name>"
    role: str
    action: str  # e.g. "case.view", "signin.success"
    subject: str  # what: e.g. "service_user:K7M4-QX2P"
    detail: dict
    previous_hash: str
    hash: str = ""


def entry_hash(entry: Entry) -> str:
    content = {"sequence": entry.sequence, "at": entry.at, "actor": entry.actor, "role": entry.role,
               "action": entry.action, "subject": entry.subject, "detail": entry.detail,
               "previous_hash": entry.previous_hash}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Break:
    sequence: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.sequence}: {self.reason}"


def verify(entries: Iterable[Entry], head: tuple[int, str] | None) -> Break | None:
    """The first place the chain is broken, or None. `entries` in sequence order."""
    expected_sequence, previous = 1, GENESIS
    for entry in entries:
        if entry.sequence > expected_sequence:
            return Break(expected_sequence, "is missing (deleted)")
        if entry.sequence < expected_sequence:
            return Break(entry.sequence, "appears twice (an entry was inserted)")
        if entry.previous_hash != previous:
            return Break(entry.sequence, "does not follow the entry before it (an entry was inserted or deleted)")
        if entry_hash(entry) != entry.hash:
            return Break(entry.sequence, "its content was changed after it was written")
        previous, expected_sequence = entry.hash, expected_sequence + 1
    last = expected_sequence - 1
    if head is None:
        return None if last == 0 else Break(last, "the log has entries but no recorded head")
    if head[0] > last:
        return Break(last + 1, f"is missing (deleted): the log should end at entry {head[0]}")
    if head != (last, previous):
        return Break(last, "does not match the recorded head (the newest entries were changed or added)")
    return None
