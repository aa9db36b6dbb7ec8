"""No request log holds a link's token: gunicorn's access log (the repository's configuration), the
development server's request log, and the address a client appears from behind a proxy."""

from __future__ import annotations

import logging
import runpy
import threading
import urllib.request
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import request
from gunicorn.config import Config
from werkzeug.serving import make_server

from survey_app import create_app
from survey_app.config import PROJECT_ROOT
from survey_app.domain.invitations import new_token
from survey_app.request_logs import redact, token_mark


def test_a_token_in_a_path_becomes_a_short_hash_and_fixed_pages_stay_readable():
    token = new_token()
    assert redact(f"/q/{token}/questions/swemwbs/2") == f"/q/{token_mark(token)}/questions/swemwbs/2"
    assert redact(f"GET /set-password/{token} HTTP/1.1") == f"GET /set-password/{token_mark(token)} HTTP/1.1"
    assert redact(f"https://survey.example/reset-sign-in-codes/{token}") == \
        f"https://survey.example/reset-sign-in-codes/{token_mark(token)}"
    assert redact("/q/leave") == "/q/leave" and redact("/q/thank-you") == "/q/thank-you"
    assert token_mark(token) != token_mark(new_token())  # one link's requests can still be followed


def test_the_gunicorn_access_log_of_the_repository_configuration_holds_no_token(tmp_path):
    settings = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    config = Config()
    for name in ("access_log_format", "logger_class", "workers", "bind", "timeout"):
        config.set(name, settings[name])
    config.set("accesslog", str(tmp_path / "access.log"))
    logger = config.logger_class(config)
    token = new_token()
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": f"/q/{token}/questions/swemwbs/2?saved=1",
               "PATH_INFO": f"/q/{token}/questions/swemwbs/2", "QUERY_STRING": "saved=1",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.9",
               "HTTP_REFERER": f"https://survey.example/q/{token}/questions/swemwbs/1"}
    response = SimpleNamespace(status="302 FOUND", sent=231, headers=[("Location", f"/q/{token}/questions/check")])
    incoming = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    logger.access(response, incoming, environ, timedelta(milliseconds=42))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = (tmp_path / "access.log").read_text()
    assert token not in line
    assert f'"POST /q/{token_mark(token)}/questions/swemwbs/2?saved=1 HTTP/1.1" 302 231 42ms' in line
    assert line.startswith("203.0.113.9 ")


def test_the_development_server_request_log_holds_no_token(app, caplog):
    token = new_token()
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/q/{token}/about", timeout=10)
        except urllib.error.HTTPError:
            pass  # an unknown link: the page does not matter, the log line does
        thread.join(10)
    server.server_close()
    logged = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any(f"/q/{token_mark(token)}/about" in line for line in logged), logged
    assert not any(token in line for line in logged)


def _address_app(tmp_path, monkeypatch, x_for: str | None):
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    if x_for is None:
        monkeypatch.delenv("SURVEY_PROXY_FIX_X_FOR", raising=False)
    else:
        monkeypatch.setenv("SURVEY_PROXY_FIX_X_FOR", x_for)
    made = create_app({"TESTING": True})
    seen = []
    made.before_request_funcs.setdefault(None, []).insert(0, lambda: seen.append(request.remote_addr))
    made.test_client().get("/sign-in", headers={"X-Forwarded-For": "198.51.100.7"},
                           environ_base={"REMOTE_ADDR": "10.0.0.2"})
    return seen[0]


def test_forwarded_addresses_are_ignored_unless_the_setting_trusts_a_proxy(tmp_path, monkeypatch):
    assert _address_app(tmp_path, monkeypatch, None) == "10.0.0.2"
    assert _address_app(tmp_path, monkeypatch, "0") == "10.0.0.2"
    assert _address_app(tmp_path, monkeypatch, "1") == "198.51.100.7"


def test_a_proxy_setting_that_is_not_a_number_is_refused(tmp_path, monkeypatch):
    from survey_app.config import ConfigError

    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SURVEY_PROXY_FIX_X_FOR", "yes")
    with pytest.raises(ConfigError, match="SURVEY_PROXY_FIX_X_FOR"):
        create_app()
