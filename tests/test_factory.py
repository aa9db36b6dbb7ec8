import os
import runpy
from pathlib import Path

import pytest

from survey_app import create_app
from survey_app.config import ConfigError, load_locales, shipped_locales
from survey_app.store.db import make_engine


def test_development_defaults_use_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SURVEY_DATABASE_URL", raising=False)
    monkeypatch.delenv("SURVEY_MODE", raising=False)
    app = create_app()
    assert app.config["SURVEY_DATABASE_URL"] == f"sqlite:///{tmp_path / 'survey.sqlite3'}"
    assert app.config["SURVEY_MODE"] == "development"


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SURVEY_MODE", "production")
    monkeypatch.delenv("SURVEY_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SURVEY_SECRET_KEY"):
        create_app()


def test_an_unknown_mode_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SURVEY_MODE", "staging")
    with pytest.raises(ConfigError, match="SURVEY_MODE"):
        create_app()


def test_the_config_argument_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SURVEY_SERVICE_NAME", "From env")
    app = create_app({"SURVEY_SERVICE_NAME": "From argument"})
    assert app.config["SURVEY_SERVICE_NAME"] == "From argument"


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(app):
    engine = app.extensions["survey_engine"]
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000
        assert pragma("secure_delete") == 1


def test_the_languages_offered_come_from_the_environment(tmp_path, monkeypatch):
    catalogues = tmp_path / "translations"
    (catalogues / "cy" / "LC_MESSAGES").mkdir(parents=True)
    (catalogues / "cy" / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    assert load_locales("en, cy,en", "en", catalogues) == ["en", "cy"]
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SURVEY_LOCALES", raising=False)
    shipped = create_app().config["SURVEY_LOCALES"]
    assert shipped[0] == "en", "the default language is always offered, first"
    assert {"cy", "ur", "pa_Arab", "pa_Guru", "bn", "ta", "ar", "ps", "pl", "ro"} <= set(shipped), \
        "without SURVEY_LOCALES every shipped catalogue is offered"
    (catalogues / "cy" / "LC_MESSAGES" / "messages.po").write_text("", encoding="utf-8")
    assert shipped_locales(catalogues) == ["en", "cy"]


@pytest.mark.parametrize("setting, refusal", [
    ("en,Welsh", "'Welsh' is not a locale code"), ("cy", "must include the default language"),
    ("en,fr", "'fr' has no compiled catalogue")])
def test_a_language_list_that_cannot_work_is_refused(tmp_path, monkeypatch, setting, refusal):
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SURVEY_LOCALES", setting)
    with pytest.raises(ConfigError, match=refusal):
        create_app()


GOOD_SECRET = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def _production(monkeypatch, tmp_path, secret=GOOD_SECRET, key=None):
    from survey_app.config import KEY_STORES
    from survey_app.store.crypto import new_key

    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SURVEY_MODE", "production")
    monkeypatch.setenv("SURVEY_DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("SURVEY_SECRET_KEY", secret)
    for store in KEY_STORES:
        monkeypatch.setenv(f"SURVEY_{store.upper()}_KEYS", new_key())
    if key is not None:
        monkeypatch.setenv("SURVEY_STAFF_KEYS", key)


@pytest.mark.parametrize("secret", ["x", "changeme", "a" * 200, "ab" * 100, "0123456789abcdef" * 3,
                                    "correct horse battery staple"])
def test_production_refuses_a_secret_key_that_can_be_guessed(tmp_path, monkeypatch, secret):
    _production(monkeypatch, tmp_path, secret=secret)
    with pytest.raises(ConfigError, match="SURVEY_SECRET_KEY .* at least 32 random bytes"):
        create_app()


@pytest.mark.parametrize("key", ["not-a-key", "k", f"{'A' * 43}=,not-a-key"])
def test_production_refuses_a_master_key_that_is_not_a_key(tmp_path, monkeypatch, key):
    _production(monkeypatch, tmp_path, key=key)
    with pytest.raises(ConfigError, match="SURVEY_STAFF_KEYS: key [12] is not a key"):
        create_app()


@pytest.mark.parametrize("secret", [GOOD_SECRET, "Zk3q_T9xPcV2mLr8WbYa0sNdEu4Hj6Gi1oKfQ7tCzXw"])
def test_production_starts_with_a_random_secret_and_real_keys(tmp_path, monkeypatch, secret):
    _production(monkeypatch, tmp_path, secret=secret)
    assert create_app().config["SURVEY_MODE"] == "production"


def test_the_survey_command_refuses_an_unsafe_production_start_in_plain_words(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from survey_app.cli import main

    _production(monkeypatch, tmp_path, secret="x")
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert "Error: SURVEY_SECRET_KEY is too short" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, ConfigError)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_never_uses_a_connection_its_parent_opened(tmp_path):
    """gunicorn builds the app once and forks its workers (preload_app): a pooled connection the
    parent opened stays the parent's, and the child opens its own."""
    engine = make_engine(f"sqlite:///{tmp_path / 'fork.db'}")
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    parents = engine.pool.checkedin()
    assert parents == 1
    child = os.fork()
    if child == 0:  # the worker
        code = 0 if engine.pool.checkedin() == 0 else 3
        with engine.connect() as connection:
            code = code or (0 if connection.exec_driver_sql("SELECT 1").scalar() == 1 else 4)
        os._exit(code)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert engine.pool.checkedin() == parents  # the parent's connection is still its own, open
    engine.dispose()


def test_gunicorn_builds_the_app_once_before_forking_its_workers():
    settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    assert settings["preload_app"] is True
