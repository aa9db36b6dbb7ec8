"""Configuration from SURVEY_* environment variables, with safe development defaults.

The mode decides how strict we are:
- development: a secret key made once and kept in the instance folder, SQLite there too, demo data allowed.
- demo: like development, for showing the platform; nothing ever leaves it.
- production: every secret must come from the environment; demo data is refused.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet

RUN_MODES = ("development", "demo", "production")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCALE = "en"  # the language the pages are written in
LOCALE_FORMAT = re.compile(r"[a-z]{2,3}(_[A-Z][a-z]{3})?(_[A-Z]{2})?")  # en, cy, pa_Arab, pt_BR


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the message says what to set."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"SURVEY_{name}", default)


def load_config(instance_path: str) -> dict:
    mode = _env("MODE", "development")
    if mode not in RUN_MODES:
        raise ConfigError(f"SURVEY_MODE must be one of {', '.join(RUN_MODES)}, not {mode!r}.")
    secret_key = _env("SECRET_KEY")
    if not secret_key:
        if mode == "production":
            raise ConfigError("SURVEY_SECRET_KEY must be set in production mode.")
        secret_key = _local_secret_key(Path(instance_path))
    elif mode == "production":
        check_secret_key(secret_key)
    database_url = _env("DATABASE_URL") or sqlite_url(Path(instance_path) / "survey.sqlite3")
    return {
        "SURVEY_MODE": mode,
        "SECRET_KEY": secret_key,
        "SURVEY_DATABASE_URL": database_url,
        "SURVEY_INSTRUMENTS_DIR": str(instruments_dir()),
        "SURVEY_CONSENT_DIR": str(consent_dir()),
        "SURVEY_SERVICE_NAME": _env("SERVICE_NAME", ""),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": mode == "production",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "BABEL_DEFAULT_LOCALE": DEFAULT_LOCALE,
        # Times are stored in UTC and shown in London time (datetimeformat), summer time included.
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        # The languages pages can be shown in (by default every shipped catalogue); each needs a
        # compiled catalogue (the default needs none).
        "SURVEY_LOCALES": load_locales(_env("LOCALES") or ",".join(shipped_locales(PROJECT_ROOT / "translations")),
                                       DEFAULT_LOCALE, PROJECT_ROOT / "translations"),
        "WTF_CSRF_TIME_LIMIT": None,
        # Every form here is small (the longest is a text's wording); 256 KiB leaves room for long
        # answers in any script (non-Latin letters take up to 12 bytes each once form-encoded) and
        # refuses, with a 413 page, anything far larger before it is read into memory.
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "SURVEY_KEYS": load_keys(Path(instance_path), mode),
        # Signs audit anchors (`survey audit anchor`); kept outside the database like the master keys.
        "SURVEY_AUDIT_ANCHOR_KEY": load_anchor_key(Path(instance_path), mode),
        # Where the quick exit goes: a neutral, everyday page (GOV.UK's own default).
        "SURVEY_QUICK_EXIT_URL": _env("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather"),
        "SURVEY_LINK_DAYS": int(_env("LINK_DAYS", "14")),
        "SURVEY_T1_WORKING_DAYS": int(_env("T1_WORKING_DAYS", "10")),
        # The address participants' links start with, as they will type or tap it.
        "SURVEY_BASE_URL": _env("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "SURVEY_SESSION_MINUTES": int(_env("SESSION_MINUTES", "30")),
        # A participant's access code is asked again after this long without a page opened.
        "SURVEY_CODE_TIMEOUT_MINUTES": int(_env("CODE_TIMEOUT_MINUTES", "15")),
        "SURVEY_SIGNIN_LOCK_AFTER": int(_env("SIGNIN_LOCK_AFTER", "10")),
        "SURVEY_SIGNIN_LOCK_MINUTES": int(_env("SIGNIN_LOCK_MINUTES", "30")),
        # Texts go through Twilio only when all three are set and the mode is not demo; otherwise
        # the worker marks each message "demo" and nothing leaves the platform.
        "SURVEY_TWILIO_ACCOUNT_SID": _env("TWILIO_ACCOUNT_SID", ""),
        "SURVEY_TWILIO_AUTH_TOKEN": _env("TWILIO_AUTH_TOKEN", ""),
        "SURVEY_TWILIO_FROM": _env("TWILIO_FROM", ""),
        # Participants never see their scores unless a study turns this on.
        "SURVEY_SHOW_SCORES_TO_PARTICIPANTS": _env("SHOW_SCORES_TO_PARTICIPANTS", "no") == "yes",
        # Reminders by text: at most this many per link, this many days apart, inside the window.
        "SURVEY_SMS_REMINDERS": int(_env("SMS_REMINDERS", "2")),
        "SURVEY_SMS_REMINDER_DAYS": int(_env("SMS_REMINDER_DAYS", "3")),
        # Days after a case closes that the person's data is kept; `survey purge` deletes it after
        # that. Unset (the default): kept until the study decides, and `survey purge` deletes nothing.
        # Behind a reverse proxy: how many proxies set each X-Forwarded-* header (werkzeug's ProxyFix).
        # 0, the default, trusts none: the address is the connection's own. Set SURVEY_PROXY_FIX_X_FOR=1
        # behind one proxy that passes the client's address, or every client shares the proxy's.
        **{f"SURVEY_PROXY_FIX_{part}": proxy_count(part) for part in PROXY_FIX_PARTS},
        "SURVEY_RETENTION_DAYS_AFTER_CLOSURE": retention_days(_env("RETENTION_DAYS_AFTER_CLOSURE", "")),
    }


PROXY_FIX_PARTS = ("X_FOR", "X_PROTO", "X_HOST", "X_PORT", "X_PREFIX")


def proxy_count(part: str) -> int:
    setting = (_env(f"PROXY_FIX_{part}", "0") or "0").strip()
    if not setting.isdigit():
        raise ConfigError(f"SURVEY_PROXY_FIX_{part} must be a number of proxies (0 to trust none), not {setting!r}.")
    return int(setting)


def retention_days(setting: str) -> int | None:
    if not setting.strip():
        return None
    if not setting.strip().isdigit():
        raise ConfigError("SURVEY_RETENTION_DAYS_AFTER_CLOSURE must be a whole number of days (or unset to keep "
                          f"data), not {setting!r}.")
    return int(setting)


def shipped_locales(catalogues: Path, default: str = DEFAULT_LOCALE) -> list[str]:
    """Every language with a catalogue in translations/ (<locale>/LC_MESSAGES/messages.po), the
    default first: what SURVEY_LOCALES offers when it is not set."""
    found = sorted(path.parent.parent.name for path in catalogues.glob("*/LC_MESSAGES/messages.po"))
    return [default] + [code for code in found if code != default]


def load_locales(setting: str, default: str, catalogues: Path) -> list[str]:
    """SURVEY_LOCALES: comma-separated locale codes. The default must be among them, and every
    other one needs a compiled catalogue, so no page falls back to English without anyone knowing."""
    locales = [code.strip() for code in setting.split(",") if code.strip()]
    if default not in locales:
        raise ConfigError(f"SURVEY_LOCALES must include the default language, {default!r}.")
    for code in locales:
        if not LOCALE_FORMAT.fullmatch(code):
            raise ConfigError(f"SURVEY_LOCALES: {code!r} is not a locale code such as en, cy or pa_Arab.")
        if code != default and not (catalogues / code / "LC_MESSAGES" / "messages.mo").exists():
            raise ConfigError(f"SURVEY_LOCALES: {code!r} has no compiled catalogue in {catalogues}; add and "
                              "compile its translations first (make translations).")
    return list(dict.fromkeys(locales))


# The export key is not a store's key: it keys the pseudonyms in evaluator datasets (HMAC-SHA-256),
# so it sits in the same key store and is configured the same way. Its newest key alone is used:
# rotating it starts a new pseudonym space.
KEY_STORES = ("service_user", "victim_survivor", "staff", "export")


def load_keys(instance_path: Path, mode: str) -> dict[str, list[str]]:
    """Master keys per store, newest first, from SURVEY_<STORE>_KEYS (comma-separated).

    Keys never live in the database. In production every store's keys must be set. In
    development and demo mode missing keys are made once and kept in the instance folder
    (keys.json, readable only by this user), so data survives a restart.
    """
    keys = {store: [k.strip() for k in (_env(f"{store.upper()}_KEYS") or "").split(",") if k.strip()]
            for store in KEY_STORES}
    missing = [store for store, values in keys.items() if not values]
    if mode == "production" and missing:
        names = ", ".join(f"SURVEY_{store.upper()}_KEYS" for store in missing)
        raise ConfigError(f"{names} must be set in production mode (make keys with `survey keys new`).")
    if mode == "production":
        check_master_keys(keys)
    if not missing:
        return keys
    local = _local_keys(instance_path)  # keys.json also holds the audit anchor key: not a store's
    return {store: keys[store] or local[store] for store in KEY_STORES}


# --- production start: a secret that cannot be guessed, and keys that are keys ---------------------

SECRET_KEY_BYTES = 32
SECRET_KEY_MIN_DISTINCT = 8  # a random 64-character hex string has 8 or fewer distinct characters ~never


def secret_key_bytes(secret: str) -> int:
    """How many random bytes a secret is worth, counted conservatively.

    A secret written as hex counts half a byte per character; as base64 (standard or url-safe,
    as `secrets.token_urlsafe` prints) three bytes per four characters; any other text a
    half byte per character, as if it were hex (so a passphrase needs 64 characters). A secret
    made of fewer than 8 different characters ("aaaa…", "abab…") counts as nothing at all,
    however long it is."""
    text = secret.strip()
    if len(set(text)) < SECRET_KEY_MIN_DISTINCT:
        return 0
    if re.fullmatch(r"[0-9a-fA-F]+", text):
        return len(text) // 2
    if re.fullmatch(r"[A-Za-z0-9_\-+/]+={0,2}", text):
        return len(text.rstrip("=")) * 3 // 4
    return len(text) // 2


def check_secret_key(secret: str) -> None:
    if secret_key_bytes(secret) < SECRET_KEY_BYTES:
        raise ConfigError(f"SURVEY_SECRET_KEY is too short or too regular to be a secret: it must hold at least "
                          f"{SECRET_KEY_BYTES} random bytes. Make one with "
                          "`python3 -c 'import secrets; print(secrets.token_hex(32))'`.")


def check_master_keys(keys: dict[str, list[str]]) -> None:
    """Every configured master key must be a key (32 random bytes in url-safe base64), so the app
    never starts and then fails at the first record it opens."""
    for store, values in keys.items():
        for position, key in enumerate(values, start=1):
            try:
                Fernet(key.encode("ascii"))
            except (ValueError, UnicodeEncodeError):
                raise ConfigError(f"SURVEY_{store.upper()}_KEYS: key {position} is not a key; keys are 32 random "
                                  "bytes in url-safe base64, as `survey keys new` prints.") from None


def load_anchor_key(instance_path: Path, mode: str) -> str | None:
    """SURVEY_AUDIT_ANCHOR_KEY, which signs audit anchors. In production it comes from the environment
    only (the anchor commands refuse to run without it); elsewhere one is made once and kept in the
    instance folder's keys.json, beside the master keys."""
    key = _env("AUDIT_ANCHOR_KEY")
    if key:
        if mode == "production" and secret_key_bytes(key) < SECRET_KEY_BYTES:
            raise ConfigError(f"SURVEY_AUDIT_ANCHOR_KEY must hold at least {SECRET_KEY_BYTES} random bytes. Make one "
                              "with `python3 -c 'import secrets; print(secrets.token_hex(32))'`.")
        return key
    if mode == "production":
        return None
    path = instance_path / "keys.json"
    if not _read_keys(path).get("audit_anchor"):
        with _instance_lock(instance_path):
            keys = _read_keys(path)
            if not keys.get("audit_anchor"):
                keys["audit_anchor"] = secrets.token_hex(32)
                _write_private(path, json.dumps(keys))
    return _read_keys(path)["audit_anchor"]


def _local_keys(instance_path: Path) -> dict[str, list[str]]:
    path = instance_path / "keys.json"
    keys = _read_keys(path)
    if all(keys.get(store) for store in KEY_STORES):
        return keys
    with _instance_lock(instance_path):
        keys = _read_keys(path)
        missing = [store for store in KEY_STORES if not keys.get(store)]
        if missing:  # a key added to KEY_STORES later (the export key) is made beside the others
            keys.update({store: [Fernet.generate_key().decode("ascii")] for store in missing})
            _write_private(path, json.dumps(keys))
    return keys


def _local_secret_key(instance_path: Path) -> str:
    """The key that signs and encrypts session cookies when SURVEY_SECRET_KEY is not set (development
    and demo only): made once and kept in the instance folder, so every worker process and every
    restart uses the same one (one key per process would refuse forms posted to another worker)."""
    path = instance_path / "secret_key"
    if not path.exists():
        with _instance_lock(instance_path):
            if not path.exists():
                _write_private(path, secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip()


@contextmanager
def _instance_lock(instance_path: Path) -> Iterator[None]:
    """Several workers may start at once: under one lock, the first makes what is missing and the
    others read it, so every process uses the same keys."""
    instance_path.mkdir(parents=True, exist_ok=True)
    with open(instance_path / "keys.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _read_keys(path: Path) -> dict[str, list[str]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _write_private(path: Path, text: str) -> None:
    """Readable by this user only, and whole or not at all."""
    partial = path.with_name(path.name + ".new")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(partial, path)


def instruments_dir() -> Path:
    """Where instrument definitions live; commands that need no app read it directly."""
    return Path(_env("INSTRUMENTS_DIR", str(PROJECT_ROOT / "instruments")))


def consent_dir() -> Path:
    """Where consent documents and the study's consent settings live."""
    return Path(_env("CONSENT_DIR", str(PROJECT_ROOT / "consent")))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
