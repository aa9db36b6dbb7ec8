"""The audit log's hash chain: each entry's hash covers its content and the previous hash.

Changing an entry breaks its own hash; deleting or inserting one breaks the link to its
neighbour or the numbering; deleting the newest entries is caught by the head, the last
sequence number and hash, which is kept beside the log and updated with each entry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Iterable

GENESIS = "0" * 64
NOT_JSON = object()  # an entry's stored detail that does not parse: it was changed after it was written


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
        if entry.detail is NOT_JSON:
            return Break(entry.sequence, "its detail is not JSON (it was changed after it was written)")
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


# --- anchors: the head, signed with a key that is not in the database ---------------------------
#
# The chain and its head live in the same database, so someone who can write to it can delete every
# entry and the head, or rewrite the whole chain, and the log still verifies. An anchor is the head's
# count and hash at a moment, signed (HMAC-SHA-256) with a key kept outside the database and stored
# outside it too (a file, syslog). A later log must still hold the anchored entry with the anchored hash.


@dataclass(frozen=True)
class Anchor:
    at: str
    count: int
    hash: str


class BadAnchor(ValueError):
    """An anchor line that is not an anchor, or not signed with this key."""


def _signature(at: str, count: int, head_hash: str, key: bytes) -> str:
    message = json.dumps({"at": at, "count": count, "hash": head_hash}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def anchor_line(anchor: Anchor, key: bytes) -> str:
    """One line of JSON: the anchor and its signature."""
    return json.dumps({"at": anchor.at, "count": anchor.count, "hash": anchor.hash,
                       "signature": _signature(anchor.at, anchor.count, anchor.hash, key)}, sort_keys=True)


def read_anchor(line: str, key: bytes) -> Anchor:
    try:
        found = json.loads(line)
        anchor = Anchor(str(found["at"]), int(found["count"]), str(found["hash"]))
        signature = str(found["signature"])
    except (ValueError, TypeError, KeyError, RecursionError):
        raise BadAnchor("is not an audit anchor") from None
    if not hmac.compare_digest(signature, _signature(anchor.at, anchor.count, anchor.hash, key)):
        raise BadAnchor("is not signed with this anchor key (changed, or made with another key)")
    return anchor


def extends(anchor: Anchor, hash_at_count: str | None) -> Break | None:
    """Whether a verified log still extends an anchored head: `hash_at_count` is the hash of the
    log's entry numbered `anchor.count` (None if there is none)."""
    if anchor.count == 0:
        return None
    if hash_at_count is None:
        return Break(anchor.count, f"is missing: the log was anchored at {anchor.count} entries on {anchor.at} "
                                   "(entries were deleted)")
    if not hmac.compare_digest(hash_at_count, anchor.hash):
        return Break(anchor.count, f"is not the entry anchored on {anchor.at} (the chain was rewritten)")
    return None
