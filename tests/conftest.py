"""Fixtures shared by every test: the app on the chosen database, a client, a CLI runner."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from survey_app import create_app
from survey_app.store.migrations import upgrade
from tests.databases import backend, postgres_answers, temporary_database
from tests.helpers import empty_tables

# Property tests check what is true, not how fast: on a loaded CI machine a slow example is not a failure.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")


def pytest_report_header(config):
    return f"database backend: {backend()}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    kind = backend()
    if kind == "postgresql" and not postgres_answers():
        message = "PostgreSQL does not answer at SURVEY_TEST_PG_URL"
        if os.environ.get("CI") == "true":
            pytest.exit(message + " (required under CI)", returncode=1)
        pytest.skip(message)
    with temporary_database(kind, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def migrated_app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SURVEY_MODE": "development",
        "SURVEY_DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret-key",
    })
    upgrade(app.extensions["survey_engine"])
    yield app
    app.extensions["survey_engine"].dispose()


@pytest.fixture
def app(migrated_app):
    yield migrated_app
    empty_tables(migrated_app.extensions["survey_engine"])


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A database session on the test app, closed afterwards."""
    with app.extensions["survey_sessions"]() as session:
        yield session
