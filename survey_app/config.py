"""Configuration from SURVEY_* environment variables, with safe development defaults.

The mode decides how strict we are:
- development: throwaway secret key, SQLite in the instance folder, demo data allowed.
- demo: like development, for showing the platform; nothing ever leaves it.
- production: every secret must come from the environment; demo data is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

MODES = ("development", "demo", "production")
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the message says what to set."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"SURVEY_{name}", default)


def load_config(instance_path: str) -> dict:
    mode = _env("MODE", "development")
    if mode not in MODES:
        raise ConfigError(f"SURVEY_MODE must be one of {', '.join(MODES)}, not {mode!r}.")
    secret_key = _env("SECRET_KEY")
    if not secret_key:
        if mode == "production":
            raise ConfigError("SURVEY_SECRET_KEY must be set in production mode.")
        # A fresh random key per process: sessions do not survive a restart, which is
        # the safe failure for a development server.
        secret_key = os.urandom(32).hex()
    database_url = _env("DATABASE_URL") or sqlite_url(Path(instance_path) / "survey.sqlite3")
    return {
        "SURVEY_MODE": mode,
        "SECRET_KEY": secret_key,
        "SURVEY_DATABASE_URL": database_url,
        "SURVEY_INSTRUMENTS_DIR": str(instruments_dir()),
        "SURVEY_SERVICE_NAME": _env("SERVICE_NAME", ""),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": mode == "production",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "BABEL_DEFAULT_LOCALE": "en",
        "SURVEY_LOCALES": ["en"],
        "WTF_CSRF_TIME_LIMIT": None,
    }


def instruments_dir() -> Path:
    """Where instrument definitions live; commands that need no app read it directly."""
    return Path(_env("INSTRUMENTS_DIR", str(PROJECT_ROOT / "instruments")))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
