"""One use case, one transaction.

A use case (the public functions of each services module that the web layer and the CLI call)
opens `transaction(session)` around everything it changes: on leaving the block the changes are
committed together, and if anything raises, none of them are. Helpers that a use case calls take
the same session and never commit, so two use cases can never half-finish each other's work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit when the block ends; roll back, and re-raise, when it raises."""
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    session.commit()
