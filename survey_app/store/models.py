"""Every table's metadata in one place, for Alembic and the schema test.

Later issues add the service-user and victim-survivor stores, each with its own MetaData,
so the wall between them shows in the import graph.
"""

from __future__ import annotations

from sqlalchemy import MetaData

# (importing them registers their tables)
from survey_app.store import (answers, audit, barriers, consent, instruments, invitations,  # noqa: F401
                               records, scores, sms, staff, submissions, visits)
from survey_app.store.db import Base


def all_metadata() -> list[MetaData]:
    return [Base.metadata]
