"""Alembic migrations, numbered 0001, 0002, … and run from code or `survey db upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

HERE = Path(__file__).resolve().parent


def alembic_config(engine: Engine, keys: dict[str, list[str]] | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["engine"] = engine
    # The stores' master keys, for a migration that encrypts existing values (0017: closure reasons).
    config.attributes["keys"] = keys
    return config


def upgrade(engine: Engine, revision: str = "head", keys: dict[str, list[str]] | None = None) -> None:
    command.upgrade(alembic_config(engine, keys), revision)


def current_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(HERE)).get_current_head()
