"""Per-address limits on the forms that guess at something, shared by every worker process (they
are counted in the database), and the second factor's own limits on the sign-in pages."""

from __future__ import annotations

import pytest

from survey_app import create_app
from survey_app.services import records, staff as staff_service
from tests.factories import PASSWORD, create_linked_person, create_staff
from tests.helpers import current_code, soup


@pytest.fixture
def workers(database_url, app):
    """Make app instances on the test database, as gunicorn's worker processes would be."""
    made = []

    def make():
        worker = create_app({"TESTING": True, "SURVEY_MODE": "development", "SURVEY_DATABASE_URL": database_url,
                             "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test-secret-key"})
        made.append(worker)
        return worker.test_client()

    yield make
    for worker in made:
        worker.extensions["survey_engine"].dispose()


def test_access_code_tries_from_one_address_are_counted_across_workers(app, workers):
    _record_id, made = create_linked_person(app, with_code=True)
    path = f"/q/{made.token}"
    first = workers()
    assert {first.post(path, data={"code": "000000"}).status_code for _ in range(10)} == {200}
    second = workers()
    assert {second.post(path, data={"code": "000000"}).status_code for _ in range(10)} == {200}
    assert first.post(path, data={"code": "000000"}).status_code == 429


def test_sign_ins_from_one_address_pause_whatever_addresses_they_try(client):
    statuses = [client.post("/sign-in", data={"email": f"someone{n}@example.org", "password": "a guess at it"})
                .status_code for n in range(31)]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def error_of(response) -> str:
    message = soup(response).select_one(".govuk-error-message")
    return message.get_text(" ", strip=True) if message else ""


@pytest.fixture
def admin_secret(app, session):
    person = create_staff(session, "admin")
    secret = staff_service.new_totp_secret()
    staff_service.save_totp_secret(person, secret, records.keyrings(app.config)["staff"])
    session.commit()
    return person, secret


def test_wrong_codes_on_the_code_page_slow_down(client, admin_secret):
    person, secret = admin_secret
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    for _ in range(3):
        assert "The code is not right" in error_of(client.post("/sign-in/code", data={"code": "000000"}))
    refused = client.post("/sign-in/code", data={"code": current_code(secret)})
    assert refused.status_code == 200 and "Too many tries. Wait 1 seconds" in error_of(refused)


def test_a_code_already_used_does_not_sign_in_again(client, admin_secret):
    person, secret = admin_secret
    code = current_code(secret)
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert client.post("/sign-in/code", data={"code": code}).status_code == 302
    client.post("/sign-out")
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    again = client.post("/sign-in/code", data={"code": code})
    assert again.status_code == 200 and "The code is not right" in error_of(again)
