"""Where the master keys and the export key come from outside production, and what production demands."""

from __future__ import annotations

import json
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest

from survey_app.config import KEY_STORES, ConfigError, load_config, load_keys


@pytest.fixture(autouse=True)
def no_keys_in_the_environment(monkeypatch):
    for store in KEY_STORES:
        monkeypatch.delenv(f"SURVEY_{store.upper()}_KEYS", raising=False)


def test_keys_are_made_once_kept_private_and_read_again(tmp_path):
    made = load_keys(tmp_path, "demo")
    assert set(made) == {"service_user", "victim_survivor", "staff", "export"}
    assert load_keys(tmp_path, "demo") == made
    assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600


def test_an_older_key_file_gains_the_export_key_and_keeps_every_other_key(tmp_path):
    older = {store: [f"kept-{store}"] for store in ("service_user", "victim_survivor", "staff")}
    (tmp_path / "keys.json").write_text(json.dumps(older))
    keys = load_keys(tmp_path, "development")
    assert {store: keys[store] for store in older} == older
    assert keys["export"] and json.loads((tmp_path / "keys.json").read_text())["export"] == keys["export"]


def test_workers_starting_together_all_get_the_same_keys(tmp_path):
    with ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda _: json.dumps(load_keys(tmp_path, "demo"), sort_keys=True), range(8)))
    assert len(set(found)) == 1


def test_production_demands_the_export_key_too(tmp_path, monkeypatch):
    for store in ("service_user", "victim_survivor", "staff"):
        monkeypatch.setenv(f"SURVEY_{store.upper()}_KEYS", "k")
    with pytest.raises(ConfigError, match="SURVEY_EXPORT_KEYS"):
        load_keys(tmp_path, "production")


def test_without_a_secret_key_every_worker_uses_one_kept_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SURVEY_SECRET_KEY", raising=False)
    monkeypatch.setenv("SURVEY_MODE", "demo")
    with ThreadPoolExecutor(8) as pool:
        found = set(pool.map(lambda _: load_config(str(tmp_path))["SECRET_KEY"], range(8)))
    assert len(found) == 1 and len(found.pop()) >= 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_the_audit_anchor_key_is_made_once_outside_production_and_must_be_strong_in_it(tmp_path, monkeypatch):
    from survey_app.config import load_anchor_key

    monkeypatch.delenv("SURVEY_AUDIT_ANCHOR_KEY", raising=False)
    made = load_anchor_key(tmp_path, "development")
    assert len(made) == 64 and load_anchor_key(tmp_path, "demo") == made
    assert set(load_keys(tmp_path, "development")) == set(KEY_STORES)  # it is no store's key
    assert load_anchor_key(tmp_path, "production") is None  # the anchor commands then refuse to run
    monkeypatch.setenv("SURVEY_AUDIT_ANCHOR_KEY", "short")
    with pytest.raises(ConfigError, match="SURVEY_AUDIT_ANCHOR_KEY must hold at least 32 random bytes"):
        load_anchor_key(tmp_path, "production")
