"""Wording confirmation in production mode: a version no admin has confirmed is not given to
participants, staff see it is waiting, `survey instruments list` says so, and once an admin runs
`survey instruments confirm` it is given. Development mode gives every published version."""

from __future__ import annotations

import pytest

from survey_app import create_app
from survey_app.cli import main
from survey_app.services import consent
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.records import ServiceUser
from survey_app.store.staff import Site
from tests.factories import create_linked_person, create_staff, sign_in_as
from tests.helpers import soup

WAITING = ("URICA 1.0 is waiting for an admin to confirm its wording, so it is left out at T1, T2. "
           "The other questionnaires go ahead without it.")


@pytest.fixture
def production(app, monkeypatch, tmp_path):
    """The app as a production deployment starts it, on the test database and with its keys."""
    monkeypatch.setenv("SURVEY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SURVEY_MODE", "production")
    monkeypatch.setenv("SURVEY_SECRET_KEY", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    for store, keys in app.config["SURVEY_KEYS"].items():
        monkeypatch.setenv(f"SURVEY_{store.upper()}_KEYS", ",".join(keys))
    made = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False,
                       "SURVEY_DATABASE_URL": app.config["SURVEY_DATABASE_URL"]})
    assert made.config["SURVEY_MODE"] == "production"
    yield made
    made.extensions["survey_engine"].dispose()


def person_with_consent(app):
    """A service user with a T1 link and consent to the questionnaires, and their case manager signed in
    (over HTTPS, as in production). Returns the link path, the record path, the manager's client and the link id."""
    record_id, made = create_linked_person(app, "service_user", with_code=False)
    with app.extensions["survey_sessions"]() as session:
        person = session.get(ServiceUser, record_id)
        decision = consent.Decision("given", "1.0", "en", "online", {"questionnaires": True, "share_answers": False})
        consent.record_decision(session, person, decision, COMMAND_LINE)
        manager = create_staff(session, sites=[session.get(Site, person.site_id)])
        session.commit()
        record = f"/service-users/{person.study_id}"
    staff = app.test_client()
    staff.environ_base["wsgi.url_scheme"] = "https"
    sign_in_as(staff, manager)
    return f"/q/{made.token}", record, staff, made.invitation.id


def page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.location
    return soup(response)


def wording_line(app, version: str) -> str:
    """What `survey instruments list` says about this version's wording (the third of its lines)."""
    lines = app.test_cli_runner().invoke(main, ["instruments", "list"]).output.splitlines()
    return lines[[n for n, line in enumerate(lines) if line.startswith(f"{version}: ")][0] + 2]


def test_in_production_unconfirmed_wording_is_not_given_until_an_admin_confirms_it(production):
    path, record, staff, link_id = person_with_consent(production)
    client = production.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    ready = client.get(f"{path}/ready")
    assert ready.status_code == 404 and soup(ready).select_one("h1").text == "This link is not working"
    assert client.get(f"{path}/questions/urica/1").status_code == 404
    # With the person on a shared screen, the practitioner is sent back to the record, which says why.
    assert staff.post(f"{record}/links/{link_id}/screen", data={}).location == record
    assert page(staff, record).select_one("#unavailable-urica").get_text(" ", strip=True) == WAITING
    assert wording_line(production, "URICA 1.0") == (
        "  wording NOT yet confirmed against the licensed form, so it is NOT offered to participants until an admin "
        "confirms it: `survey instruments confirm urica 1.0 --by NAME`")

    confirmed = production.test_cli_runner().invoke(main, ["instruments", "confirm", "urica", "1.0", "--by", "A. Admin"])
    assert confirmed.exit_code == 0, confirmed.output
    assert wording_line(production, "URICA 1.0").startswith("  wording confirmed against the licensed form by A. Admin")
    assert page(staff, record).select_one("#unavailable-urica") is None
    # The same link now leads to the questions.
    assert client.get(f"{path}/ready").location == f"{path}/questions/urica"
    assert client.get(f"{path}/questions/urica/1").status_code == 200


def test_in_development_unconfirmed_wording_is_given_as_before(app):
    path, record, staff, _link_id = person_with_consent(app)
    assert app.test_client().get(f"{path}/ready").location == f"{path}/questions/urica"
    assert page(staff, record).select_one("#unavailable-urica") is None
    assert wording_line(app, "URICA 1.0") == (
        "  wording NOT yet confirmed against the licensed form; offered here because this is not production mode, "
        "but needed before use in production: `survey instruments confirm urica 1.0 --by NAME`")
