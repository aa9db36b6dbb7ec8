"""Demo data: a fresh database anyone can explore. Never available in production mode."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from survey_app.store.migrations import upgrade
from survey_app.store.models import all_metadata


def create_demo(engine: Engine) -> dict:
    """Drop everything, migrate from scratch and return the contract JSON for the README.

    Staff and links are filled in by later issues; the shape is kept stable from now on.
    """
    for metadata in all_metadata():
        metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    upgrade(engine)
    return {"staff": {}, "links": []}
