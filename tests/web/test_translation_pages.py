"""Admins add translations from the pages: upload, the validation report, the preview beside the
original, publish. A broken upload is refused naming each problem and changes nothing."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from survey_app.config import consent_dir, instruments_dir
from survey_app.store.audit import AuditEntry
from tests.factories import create_staff
from tests.helpers import TRANSLATED, as_yaml, consent_translation, instrument_translation

SWEMWBS = instruments_dir() / "swemwbs" / "1.0.yaml"
WAI_SR = instruments_dir() / "wai_sr" / "1.0.yaml"
VICTIM_SURVIVOR_EN = consent_dir() / "victim_survivor" / "1.0" / "en.yaml"


@pytest.fixture
def admin_request(client_request, session):
    admin = create_staff(session, "admin")
    session.commit()
    return client_request.sign_in(admin)


def files(*roots: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for root in roots for p in sorted(root.rglob("*")) if p.is_file()}


def upload(admin_request, data: dict | bytes, name="1.0.ur.yaml"):
    content = data if isinstance(data, bytes) else as_yaml(data)
    return admin_request.post("/admin/translations/check", {"file": (io.BytesIO(content), name)},
                              content_type="multipart/form-data", _expected_status=200)


def test_an_admin_uploads_checks_previews_and_publishes_a_translation(admin_request, data_folders, session):
    page = upload(admin_request, instrument_translation(SWEMWBS, language="ps"))
    assert page.select_one(".govuk-error-summary") is None
    summary = page.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert "swemwbs/1.0" in summary and "Not validated" in summary and "instruments/swemwbs/1.0.ps.yaml" in summary
    first = page.select("tbody tr")[1]  # after the instructions
    assert [cell.get_text(strip=True) for cell in first.select("th, td")] == [
        "Question 1", "I've been feeling optimistic about the future",
        f"{TRANSLATED} I've been feeling optimistic about the future"]
    assert (first.select("td")[1]["lang"], first.select("td")[1]["dir"]) == ("ps", "rtl")
    assert not (data_folders[0] / "swemwbs" / "1.0.ps.yaml").exists(), "nothing is written before publishing"

    content = page.select_one("input[name=content]")["value"]
    done = admin_request.post("/admin/translations/publish", {"content": content}, _expected_status=200)

    assert "Translation published" in done.select_one(".govuk-panel").text
    row = next(r for r in done.select("tbody tr") if "swemwbs/1.0" in r.text)
    assert "Not validated" in row.text and "Yes" in row.text
    assert (data_folders[0] / "swemwbs" / "1.0.ps.yaml").exists()
    assert '"swemwbs/1.0/ps/1"' in (data_folders[0] / "published.lock.json").read_text()
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "translation.published")).all()
    assert entry.subject == "swemwbs/1.0/ps/1"


def _missing_item(t):
    t["items"].pop("7")


def _extra_item(t):
    t["items"]["8"] = "extra"


def _altered_scale(t):
    t["scales"]["frequency"]["6"] = t["scales"]["frequency"].pop("5")


def _broken_placeholder(t):
    t["items"]["3"] = t["items"]["3"].replace("{practitioner}", "{practicien}")


@pytest.mark.parametrize("source, change, expected", [
    (SWEMWBS, _missing_item, ["Item 7 has no text."]),
    (SWEMWBS, _extra_item, ["SWEMWBS 1.0 has no item 8; remove it."]),
    (SWEMWBS, _altered_scale, ["Scale 'frequency' has no label for the value 5.",
                               "Scale 'frequency' has no value 6 in the original; remove it."]),
    (WAI_SR, _broken_placeholder, ["Item 3 must keep the same placeholders as the original ({practitioner})"]),
])
def test_a_broken_translation_is_refused_naming_each_problem_and_changes_nothing(
        admin_request, data_folders, source, change, expected):
    data = instrument_translation(source)
    change(data)
    before = files(*data_folders)
    page = upload(admin_request, data)
    errors = [li.get_text(strip=True) for li in page.select(".govuk-error-summary li")]
    assert len(errors) == len(expected)
    assert all(any(e in error for error in errors) for e in expected), errors
    assert page.select_one("input[name=content]") is None, "no way to publish it"
    assert files(*data_folders) == before


def test_publishing_a_broken_file_directly_is_refused_too(admin_request, data_folders, session):
    data = instrument_translation(SWEMWBS)
    _missing_item(data)
    before = files(*data_folders)
    page = admin_request.post("/admin/translations/publish", {"content": base64.b64encode(as_yaml(data)).decode()},
                              _expected_status=200)
    assert "Item 7 has no text." in page.select_one(".govuk-error-summary").text
    assert files(*data_folders) == before
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == "translation.published")).all() == []


def test_a_consent_translation_is_published_and_a_broken_one_refused(admin_request, data_folders):
    broken = consent_translation(VICTIM_SURVIVOR_EN, language="pl")
    broken["sections"][5]["paragraphs"][0] = "No placeholder here."
    page = upload(admin_request, broken, "pl.yaml")
    assert "must keep the same placeholders as the original" in page.select_one(".govuk-error-summary").text

    page = upload(admin_request, consent_translation(VICTIM_SURVIVOR_EN, language="pl", status="validated",
                                                     status_source="Reviewed by a qualified translator, 2026"),
                  "pl.yaml")
    assert page.select_one("tbody th").text == "Title"
    content = page.select_one("input[name=content]")["value"]
    done = admin_request.post("/admin/translations/publish", {"content": content}, _expected_status=200)
    row = next(r for r in done.select("tbody tr") if "victim_survivor/1.0" in r.text and "(pl)" in r.text)
    assert "Validated" in row.text and "Reviewed by a qualified translator, 2026" in row.text
    assert (data_folders[1] / "victim_survivor" / "1.0" / "pl.yaml").exists()


def test_an_upload_without_a_file_asks_for_one(admin_request, data_folders):
    page = admin_request.post("/admin/translations/check", {}, _expected_status=200)
    assert "Choose a translation file" in page.select_one(".govuk-error-summary").text
