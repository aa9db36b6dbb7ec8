"""Request logs that never hold a link's token.

A participant's link (/q/<token>…) and a staff member's one-time links (/set-password/<token>,
/reset-sign-in-codes/<token>) carry their secret in the path, so a server that logs request lines,
referrers or paths would keep working keys in its log files. Everywhere this app logs a request
(gunicorn's access log through `GunicornLogger`, the development server and Flask's error log
through `TokenFilter`), the token is replaced by `~` and the first 10 hex digits of its SHA-256:
one link's requests can still be followed through a log, and the log opens nothing.
"""

from __future__ import annotations

import hashlib
import logging
import re

# A token is url-safe base64 of 32 random bytes (43 characters); 16 or more catches any of ours and
# leaves fixed pages (/q/leave, /q/thank-you) as they are.
TOKEN_PATH = re.compile(r"(/(?:q|set-password|reset-sign-in-codes)/)([A-Za-z0-9_\-]{16,})")
HASH_DIGITS = 10


def token_mark(token: str) -> str:
    return "~" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def redact(text: str) -> str:
    """`text` (a path, a request line, a referrer URL) with every link token replaced by its mark."""
    return TOKEN_PATH.sub(lambda found: found.group(1) + token_mark(found.group(2)), text)


class TokenFilter(logging.Filter):
    """For the development server's request log (logger "werkzeug") and Flask's error log, which
    names the path of a request that failed: the message and its arguments, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact(value) if isinstance(value, str) else value
                           for key, value in record.args.items()}
        return True


def install_token_filter(*loggers: logging.Logger) -> None:
    for logger in loggers:
        if not any(isinstance(existing, TokenFilter) for existing in logger.filters):
            logger.addFilter(TokenFilter())


try:  # gunicorn is only there on a server
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover
    _GunicornLogger = object


class GunicornLogger(_GunicornLogger):
    """gunicorn's logger with every access-log atom redacted: the request line (%(r)s), the path
    (%(U)s), the referrer (%(f)s), headers ({…}i) and environ values ({…}e) alike."""

    def atoms(self, resp, req, environ, request_time):
        return {key: redact(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}
