import pytest

from survey_app import create_app
from survey_app.config import ConfigError, load_locales, shipped_locales


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
