"""Headers on every response: nothing cached, no referrer, nothing from another host; and a
session cookie that nobody but the platform can read.

Stricter than GOV.UK Notify's because the platform loads nothing from elsewhere: every
style sheet, script, font and image is served by the platform itself.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import zlib

from cryptography.fernet import Fernet, InvalidToken
from flask import Flask, g
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

CSP_TEMPLATE = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'nonce-{nonce}'; "
    "img-src 'self'; "
    "font-src 'self'; "
    "connect-src 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'; "
    "base-uri 'none'; "
    "object-src 'none'"
)

STATIC_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


class EncryptedCookies(SecureCookieSessionInterface):
    """Flask's session cookie, encrypted as well as signed (Fernet: AES and HMAC, with a key made
    from SECRET_KEY). Flask's own cookie is only signed, so anyone holding it could read which link
    and which person it is for, how far they got, or a second factor being set up."""

    def get_signing_serializer(self, app: Flask):
        return _EncryptingSerializer(app.secret_key) if app.secret_key else None


class _EncryptingSerializer:
    """What SecureCookieSessionInterface asks of a serializer: dumps, and loads that raises
    BadSignature for anything it did not make."""

    _json = TaggedJSONSerializer()

    def __init__(self, secret_key: str | bytes):
        secret = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
        key = hashlib.sha256(b"survey_app session cookie\0" + secret).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def dumps(self, data: dict) -> str:
        return self._fernet.encrypt(zlib.compress(self._json.dumps(data).encode("utf-8"))).decode("ascii")

    def loads(self, text: str, max_age: int | None = None) -> dict:
        try:
            return self._json.loads(zlib.decompress(self._fernet.decrypt(text, ttl=max_age)).decode("utf-8"))
        except (InvalidToken, zlib.error, ValueError) as error:
            raise BadSignature("The session cookie is not one this platform made.") from error


def init_security(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.session_interface = EncryptedCookies()

    @app.after_request
    def add_security_headers(response):
        response.headers["Content-Security-Policy"] = CSP_TEMPLATE.format(nonce=csp_nonce())
        for name, value in STATIC_HEADERS.items():
            response.headers[name] = value
        if app.config["SURVEY_MODE"] == "production":
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
