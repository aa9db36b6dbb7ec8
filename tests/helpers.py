"""Helpers any test may use: parsed pages, the raw bytes a database holds, revealing words.

Test modules import from here (or from tests/factories.py), never from each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bs4 import BeautifulSoup
from sqlalchemy import event, text

from survey_app.store.models import all_metadata

# Words that would tell an onlooker what the questions are about; no neutral page or text may hold one.
ABUSE_WORDS = re.compile(r"abus|violen|perpetrat|victim|survivor|harm|offend|partner", re.IGNORECASE)


def empty_tables(engine) -> None:
    """Delete every row of every table, keeping the schema: what each test leaves behind."""
    with engine.begin() as connection:
        for metadata in all_metadata():
            for table in reversed(metadata.sorted_tables):
                connection.execute(table.delete())


@contextmanager
def statements_run(app) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block, as a list filled as they run."""
    engine = app.extensions["survey_engine"]
    seen: list[str] = []

    def count(_connection, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def main_text(response) -> str:
    return soup(response).select_one("main").get_text(" ", strip=True)


def raw_bytes(app, session) -> bytes:
    """Everything the database holds for the two stores, as the engine stores it."""
    engine = app.extensions["survey_engine"]
    if engine.dialect.name == "sqlite":
        engine.dispose()  # close connections so the file and its WAL are complete on disk
        path = Path(engine.url.database)
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    rows = session.execute(text("SELECT s::text FROM service_user s UNION ALL SELECT v::text FROM victim_survivor v"))
    return "\n".join(r[0] for r in rows).encode("utf-8")
