"""Translations uploaded from the admin pages: the validation report, the preview beside the original,
publishing, and corrections as new revisions. A refused upload changes no file and no lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey_app.config import consent_dir, instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain.consent_documents import load_library
from survey_app.domain.datafiles import PublishError
from survey_app.domain.translation_uploads import CONSENT, INSTRUMENT, check_upload, publish_upload
from tests.helpers import TRANSLATED, as_yaml, consent_translation, instrument_translation, original_data_folders

SWEMWBS = instruments_dir() / "swemwbs" / "1.0.yaml"
WAI_SR = instruments_dir() / "wai_sr" / "1.0.yaml"
SERVICE_USER_EN = consent_dir() / "service_user" / "1.0" / "en.yaml"


@pytest.fixture
def roots(tmp_path) -> tuple[Path, Path]:
    return original_data_folders(tmp_path)


def snapshot(*roots: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for root in roots for p in sorted(root.rglob("*")) if p.is_file()}


def problems(upload) -> list[str]:
    return [str(p) for p in upload.problems]


def test_a_complete_instrument_translation_is_reported_sound_and_shown_beside_the_original(roots):
    before = snapshot(*roots)
    upload = check_upload(as_yaml(instrument_translation(SWEMWBS)), *roots)
    assert problems(upload) == []
    assert (upload.kind, upload.key, upload.base, upload.status, upload.path) == (
        INSTRUMENT, "swemwbs/1.0/ur/1", "swemwbs/1.0", "unvalidated", "instruments/swemwbs/1.0.ur.yaml")
    first = next(row for row in upload.rows if row.values == {"number": 1})
    assert first.original == "I've been feeling optimistic about the future"
    assert first.translated == f"{TRANSLATED} I've been feeling optimistic about the future"
    assert len([row for row in upload.rows if "number" in row.values]) == 7
    assert snapshot(*roots) == before, "checking writes nothing"


def test_publishing_an_upload_writes_the_file_and_the_lock_and_the_translation_is_used(roots):
    upload = publish_upload(as_yaml(instrument_translation(SWEMWBS)), *roots)
    assert upload.key == "swemwbs/1.0/ur/1"
    assert (roots[0] / "swemwbs" / "1.0.ur.yaml").exists()
    catalogue = load_catalogue(roots[0])
    assert catalogue.problems == []
    translation = catalogue.translations["swemwbs/1.0/ur"]
    assert (translation.key, translation.status) == ("swemwbs/1.0/ur/1", "unvalidated")


def _drop_item(t):
    t["items"].pop("3")


def _add_item(t):
    t["items"]["8"] = "extra"


def _alter_scale(t):
    t["scales"]["frequency"].pop("5")
    t["scales"]["frequency"]["6"] = "extra"


@pytest.mark.parametrize("change, expected", [
    (_drop_item, ["Item 3 has no text. Every item of SWEMWBS 1.0 needs a translation (1 to 7)."]),
    (_add_item, ["SWEMWBS 1.0 has no item 8; remove it."]),
    (_alter_scale, ["Scale 'frequency' has no label for the value 5.",
                    "Scale 'frequency' has no value 6 in the original; remove it."]),
])
def test_a_broken_instrument_translation_is_refused_naming_each_problem_and_changes_nothing(roots, change, expected):
    data = instrument_translation(SWEMWBS)
    change(data)
    before = snapshot(*roots)
    assert all(any(e in p for p in problems(check_upload(as_yaml(data), *roots))) for e in expected)
    with pytest.raises(PublishError) as refused:
        publish_upload(as_yaml(data), *roots)
    assert all(any(e in str(p) for p in refused.value.problems) for e in expected)
    assert snapshot(*roots) == before


def test_a_broken_placeholder_is_named_with_its_place(roots):
    data = instrument_translation(WAI_SR)
    data["items"]["3"] = data["items"]["3"].replace("{practitioner}", "{pratitioner}")
    upload = check_upload(as_yaml(data), *roots)
    [problem] = problems(upload)
    assert problem.startswith("instruments/wai_sr/1.0.ur.yaml, line ")
    assert "Item 3 must keep the same placeholders as the original ({practitioner})" in problem
    assert upload.rows == ()


def test_every_problem_of_one_upload_is_named(roots):
    data = instrument_translation(SWEMWBS)
    _drop_item(data)
    _add_item(data)
    assert len(problems(check_upload(as_yaml(data), *roots))) == 2


@pytest.mark.parametrize("content, expected", [
    (b"items: [unclosed\n", "The file cannot be read"),
    ("status: unvalidated\n".encode("utf-16"), "not saved as UTF-8"),
    (b"id: swemwbs\nversion: '2.0'\n", "This is not a translation"),
])
def test_what_is_not_a_translation_file_is_refused(roots, content, expected):
    assert expected in problems(check_upload(content, *roots))[0]


def test_a_translation_of_an_unpublished_version_is_refused(roots):
    data = instrument_translation(SWEMWBS, translates={"id": "swemwbs", "version": "2.0"})
    assert "which is not a version that loaded without problems" in problems(check_upload(as_yaml(data), *roots))[0]


def test_a_file_name_cannot_be_steered_outside_the_folder(roots):
    data = instrument_translation(SWEMWBS, language="../../x")
    assert "is not a language tag" in problems(check_upload(as_yaml(data), *roots))[0]


def test_a_correction_is_a_new_revision_and_every_published_revision_stays_in_the_lock(roots):
    publish_upload(as_yaml(instrument_translation(SWEMWBS)), *roots)
    corrected = instrument_translation(SWEMWBS)
    corrected["items"]["1"] = f"{TRANSLATED} corrected"
    with pytest.raises(PublishError, match="Raise 'revision' by one"):
        publish_upload(as_yaml(corrected), *roots)
    assert publish_upload(as_yaml({**corrected, "revision": 2}), *roots).key == "swemwbs/1.0/ur/2"
    with pytest.raises(PublishError, match="Revision 2 of this translation is already published"):
        publish_upload(as_yaml(instrument_translation(SWEMWBS)), *roots)
    catalogue = load_catalogue(roots[0])
    assert catalogue.translations["swemwbs/1.0/ur"].item_text(1) == f"{TRANSLATED} corrected"
    assert "swemwbs/1.0/ur/1" in (roots[0] / "published.lock.json").read_text()


# --- consent documents ---------------------------------------------------------------------------

def test_a_consent_translation_is_published_with_its_status_and_offered_in_its_language(roots):
    upload = publish_upload(as_yaml(consent_translation(SERVICE_USER_EN)), *roots)
    assert (upload.kind, upload.key, upload.base) == (CONSENT, "service_user/1.0/ur/1", "service_user/1.0/en")
    title = upload.rows[0]
    assert (title.original, title.translated) == ("About these questions", f"{TRANSLATED} About these questions")
    library = load_library(roots[1])
    assert library.problems == []
    document = library.current("service_user", "ur")
    assert (document.revision, document.status) == (1, "unvalidated")
    assert library.languages("service_user") == ["en", "ur"]


def _drop_paragraph(d):
    d["sections"][1]["paragraphs"].pop()


def _lose_placeholder(d):
    d["sections"][5]["paragraphs"][0] = "Ask your worker."


@pytest.mark.parametrize("change, expected", [
    (_drop_paragraph, "The section 'who_sees' has 5 paragraph(s) in the original and 4 here"),
    (_lose_placeholder, "must keep the same placeholders as the original ({programme_contact})"),
    (lambda d: d.pop("status"), "A translation needs 'status' (validated, unvalidated or in_review)."),
    (lambda d: d.update(status="validated"), "'status_source' is missing here"),
    (lambda d: d["statements"].pop("share_answers"), "share_answers"),
])
def test_a_broken_consent_translation_is_refused_and_changes_nothing(roots, change, expected):
    data = consent_translation(SERVICE_USER_EN)
    change(data)
    before = snapshot(*roots)
    with pytest.raises(PublishError) as refused:
        publish_upload(as_yaml(data), *roots)
    assert any(expected in str(p) for p in refused.value.problems), refused.value.problems
    assert snapshot(*roots) == before


def test_the_english_original_is_not_uploaded_as_a_translation(roots):
    english = SERVICE_USER_EN.read_bytes()
    assert "is the original, not a translation" in problems(check_upload(english, *roots))[0]


def test_a_published_consent_translation_may_change_status_but_a_text_change_needs_a_new_revision(roots):
    publish_upload(as_yaml(consent_translation(SERVICE_USER_EN)), *roots)
    path = roots[1] / "service_user" / "1.0" / "ur.yaml"
    path.write_bytes(as_yaml(consent_translation(SERVICE_USER_EN, status="validated", status_source="Study X")))
    assert load_library(roots[1]).current("service_user", "ur").status == "validated"
    changed = consent_translation(SERVICE_USER_EN, title="Changed")
    path.write_bytes(as_yaml(changed))
    library = load_library(roots[1])
    assert library.current("service_user", "ur") is None
    assert "Raise 'revision' by one" in str(library.problems[0])
    path.write_bytes(as_yaml({**changed, "revision": 2}))
    assert load_library(roots[1]).problems == []


def test_an_upload_with_anchors_and_aliases_is_refused_before_anything_reads_it(roots):
    """A few hundred bytes of aliases can stand for a billion values ("billion laughs")."""
    bomb = "translates: swemwbs/1.0\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]\n" for n in range(1, 10)) + "items: *a9\n"
    before = snapshot(*roots)
    upload = check_upload(bomb.encode("utf-8"), *roots)
    assert [p.split(": ", 1)[1] for p in problems(upload)] == [
        "The file cannot be read: it uses YAML anchors and aliases (& and *), which are not accepted here. "
        "Write each value out in full."]
    assert snapshot(*roots) == before
