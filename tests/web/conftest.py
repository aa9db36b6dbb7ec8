"""What web tests share: a clock fixed at one moment, so no page test depends on the day it runs,
and `client_request`, which signs in, asks for a page, checks its status and returns it parsed."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from survey_app import clock
from tests.factories import sign_in_as
from tests.helpers import original_data_folders, soup

# A Monday in term time, away from bank holidays: the day web tests take as today.
WEB_TESTS_START = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_clock():
    with clock.set_to(WEB_TESTS_START):
        yield WEB_TESTS_START


class ClientRequest:
    """A test client that talks in pages, like GOV.UK Notify's `client_request`: sign in as someone,
    ask for a page, check the status (and where a redirect goes), get the parsed page back."""

    def __init__(self, client):
        self.client = client

    def sign_in(self, staff) -> ClientRequest:
        sign_in_as(self.client, staff)
        return self

    def get(self, url: str, _expected_status: int = 200, _expected_redirect: str | None = None, **kwargs):
        return self._check(self.client.get(url, **kwargs), _expected_status, _expected_redirect)

    def post(self, url: str, data: dict | None = None, _expected_status: int = 302,
             _expected_redirect: str | None = None, **kwargs):
        return self._check(self.client.post(url, data=data or {}, **kwargs), _expected_status, _expected_redirect)

    @staticmethod
    def _check(response, status: int, redirect: str | None):
        assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
        if redirect is not None:
            assert response.location == redirect
        return soup(response)


@pytest.fixture
def client_request(client) -> ClientRequest:
    return ClientRequest(client)


@pytest.fixture
def data_folders(app, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """Copies of instruments/ and consent/ (original wording only) that the app uses, so a test may publish
    into them."""
    instruments, consent = original_data_folders(tmp_path)
    monkeypatch.setitem(app.config, "SURVEY_INSTRUMENTS_DIR", str(instruments))
    monkeypatch.setitem(app.config, "SURVEY_CONSENT_DIR", str(consent))
    return instruments, consent
