"""The evaluator's datasets page: a form with cohort, layout, format, period and site; the download is a
zip of the data, its codebook and its data package, and is audited."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import records
from survey_app.store.audit import AuditEntry
from tests.factories import create_consent, create_record, create_sent_administration, create_site, create_staff, \
    sign_in_as

# As a browser sends the form: GOV.UK's date input sends its day, month and year under one name.
CHOICES = {"cohort": "service_user", "layout": "wide", "format": "sav", "start": ["", "", ""], "end": ["", "", ""],
           "site": ""}


@pytest.fixture
def evaluator(app, client, session):
    site = create_site(session, "Camden")
    record = create_record(session, records.keyrings(app.config)["service_user"], "service_user", site)
    session.commit()
    create_consent(session, record)
    create_sent_administration(session, record, load_catalogue(instruments_dir()), "T1")
    staff = create_staff(session, "evaluator")
    session.commit()
    sign_in_as(client, staff)
    return staff


def test_the_page_offers_every_choice(client_request, evaluator):
    page = client_request.get("/evaluator/datasets")
    names = {field["name"] for field in page.select("main input, main select") if field.get("name")}
    assert {"cohort", "layout", "format", "start", "end", "site"} <= names
    assert [o.text for o in page.select("select#site option")] == ["All sites", "Camden"]
    assert "Never names, contact details, study ids" in page.select_one("main").text


def test_the_download_is_a_zip_of_data_codebook_and_package_and_is_audited(client, session, evaluator):
    response = client.post("/evaluator/datasets", data=CHOICES)

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "service_user_wide_sav_2026-11-30.zip" in response.headers["Content-Disposition"]
    bundle = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert sorted(bundle.namelist()) == ["codebook.html", "datapackage.json", "service_user_wide.sav"]
    package = json.loads(bundle.read("datapackage.json"))
    assert package["survey_export"]["participants"] == 1
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "dataset.export")).one()
    assert entry.actor == f"staff:{evaluator.id}" and json.loads(entry.detail)["format"] == "sav"


def test_missing_choices_and_a_backwards_period_are_shown_as_errors(client_request, evaluator, session):
    page = client_request.post("/evaluator/datasets", {**CHOICES, "cohort": "", "start": ["2", "5", "2026"],
                                                       "end": ["1", "5", "2026"]}, _expected_status=200)
    summary = page.select_one(".govuk-error-summary").text
    assert "Choose whose answers to download." in summary
    assert "The end date must be on or after the start date." in summary
    assert page.title.text.startswith("Error:")
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == "dataset.export")).first() is None


def test_a_date_that_is_not_real_is_an_error_not_a_failure(client_request, evaluator):
    page = client_request.post("/evaluator/datasets", {**CHOICES, "start": ["31", "2", "2026"]}, _expected_status=200)
    assert "Enter a real date" in page.select_one(".govuk-error-summary").text
