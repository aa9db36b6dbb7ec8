"""Loading the instrument catalogue: what an admin sees when a file is right, wrong or changed."""

from __future__ import annotations

import json
from io import BytesIO

import pytest

from survey_app.config import PROJECT_ROOT
from survey_app.domain.catalogue import (PublishError, extract_participant_titles, load_catalogue, publish,
                                         validate_paths)
from tests.helpers import ABUSE_WORDS
from tests.unit.domain.fixtures import make_root, tiny, tiny_ur, write


@pytest.fixture
def root(tmp_path):
    return make_root(tmp_path)


def messages(catalogue_or_problems) -> list[str]:
    problems = getattr(catalogue_or_problems, "problems", catalogue_or_problems)
    return [str(p) for p in problems]


def test_a_valid_unpublished_file_loads_as_a_draft_only(root):
    write(root, "tiny/1.0.yaml", tiny())
    catalogue = load_catalogue(root)
    assert messages(catalogue) == []
    assert "tiny/1.0" in catalogue.drafts
    assert catalogue.get("tiny") is None


def test_publishing_records_the_hash_and_makes_the_version_available(root):
    path = write(root, "tiny/1.0.yaml", tiny())
    assert publish(path, root) == "tiny/1.0"
    lock = json.loads((root / "published.lock.json").read_text())
    definition = load_catalogue(root).get("tiny")
    assert definition.version == "1.0"
    assert lock["definitions"] == {"tiny/1.0": definition.content_sha256}


def test_a_changed_published_file_is_refused_and_the_rest_still_loads(root):
    path = write(root, "tiny/1.0.yaml", tiny())
    publish(path, root)
    other = write(root, "other/1.0.yaml", tiny(id="other"))
    publish(other, root)
    changed = tiny()
    changed["items"][0]["text"] = "I felt very calm."
    write(root, "tiny/1.0.yaml", changed)

    catalogue = load_catalogue(root)

    assert catalogue.get("tiny") is None
    assert catalogue.get("other") is not None
    [problem] = messages(catalogue)
    assert problem.startswith("instruments/tiny/1.0.yaml")
    assert "Version 1.0 has already been published" in problem
    assert "save it as a new version" in problem


def test_comments_and_layout_may_change_in_a_published_file(root):
    path = write(root, "tiny/1.0.yaml", tiny())
    publish(path, root)
    path.write_text("# reviewed 2026-11-23\n" + path.read_text(encoding="utf-8").replace("\n", "\n\n"), encoding="utf-8")
    assert load_catalogue(root).get("tiny") is not None


def test_a_new_version_can_sit_beside_a_published_one(root):
    publish(write(root, "tiny/1.0.yaml", tiny()), root)
    publish(write(root, "tiny/1.1.yaml", tiny(version="1.1")), root)
    catalogue = load_catalogue(root)
    assert [d.version for d in catalogue.versions("tiny")] == ["1.0", "1.1"]
    assert catalogue.get("tiny").version == "1.1"
    assert catalogue.get("tiny", "1.0").version == "1.0"


def test_publishing_a_broken_file_changes_nothing(root):
    broken = tiny()
    broken["items"][1]["scale"] = "agre"
    path = write(root, "tiny/1.0.yaml", broken)
    with pytest.raises(PublishError):
        publish(path, root)
    assert not (root / "published.lock.json").exists()


def test_a_published_file_that_disappears_is_reported(root):
    path = write(root, "tiny/1.0.yaml", tiny())
    publish(path, root)
    path.unlink()
    assert messages(load_catalogue(root)) == [
        "instruments/published.lock.json: tiny/1.0 is published but its file tiny/1.0.yaml is missing. "
        "Published versions must stay in the repository; restore the file."]


# --- messages a non-programmer can act on -------------------------------------------------

def test_bad_yaml_names_the_line_and_says_what_to_check(root):
    write(root, "tiny/1.0.yaml", "id: tiny\nversion: \"1.0\"\ntitle: Tiny: a scale\n  short_title: x\n")
    [problem] = messages(load_catalogue(root))
    assert problem.startswith("instruments/tiny/1.0.yaml, line 3: The file cannot be read")
    assert "indentation" in problem and "colon is in quotes" in problem


def test_a_misspelt_scale_names_the_item_and_its_line(root):
    data = tiny()
    data["items"][1]["scale"] = "agre"
    path = write(root, "tiny/1.0.yaml", data)
    [problem] = messages(load_catalogue(root))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.endswith("scale: agre"))
    assert problem == (f"instruments/tiny/1.0.yaml, line {line} (items → item 2 → scale): 'agre' is not one of "
                       "the response scales defined under 'scales' (agree). Check the spelling, or add the scale.")


def test_a_missing_field_is_named(root):
    data = tiny()
    del data["items"][2]["text"]
    [problem] = messages(load_catalogue(root)) if write(root, "tiny/1.0.yaml", data) else []
    assert "(items → item 3): 'text' is missing here; it is required." in problem


def test_an_unknown_field_suggests_checking_the_spelling(root):
    data = tiny()
    data["items"][0]["reversed"] = True
    write(root, "tiny/1.0.yaml", data)
    [problem] = messages(load_catalogue(root))
    assert "'reversed' is not a field this format knows. Check its spelling" in problem
    assert "reverse" in problem


def test_a_decimal_written_without_quotes_is_explained(root):
    data = tiny()
    data["scoring"]["scores"][3]["table"]["1"] = 0.5
    write(root, "tiny/1.0.yaml", data)
    [problem] = messages(load_catalogue(root))
    assert "(scoring → scores → 'band' → table → 1)" in problem
    assert "This should be text, but it is the number 0.5." in problem


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["scoring"]["scores"][1].update(items=[4, 9]),
     "Score 'support' uses item 9, which does not exist."),
    (lambda d: d["scoring"]["scores"][1].update(items=[4, 5]),
     "Score 'support' uses item 5, which is listed as unscored."),
    (lambda d: d["scoring"].update(unscored_items=[]),
     "Item 5 is in no score and not listed under 'unscored_items'."),
    (lambda d: d["items"][2].update(number=7),
     "Item numbers must run from 1 to 5 without gaps; found 1, 2, 4, 5, 7."),
    (lambda d: d["items"][2].update(id="calm"),
     "The item id 'calm' appears more than once; each must be unique."),
    (lambda d: d["items"][0].update(text="{worker} was kind."),
     "The placeholder {worker} is not declared under 'placeholders'."),
    (lambda d: d["items"][3].update(text="My helper listened to me."),
     "The placeholder {helper} is declared but no item uses it."),
    (lambda d: d["items"][0].update(text="I felt {calm."),
     "This text has a '{' or '}' that is not part of a placeholder"),
    (lambda d: d["scoring"]["scores"][2]["missing"].update(prorate=False),
     "min_answered allows missing items, so say how to fill them"),
    (lambda d: d["scoring"]["scores"][3].update(table={"1": "0.5", "2": "1.5", "4": "3.5"}),
     "The conversion table has no entry for 3; 'support' can be any whole number from 1 to 4."),
    (lambda d: d["scoring"]["scores"][0].update(range=["0", "4"]),
     "The declared range 0 to 4 does not match what the items allow: 1 to 4."),
    (lambda d: d["scoring"]["scores"][4]["terms"].append({"score": "later", "weight": "1"}),
     "Score 'balance' uses 'later', which is not a score defined above it."),
    (lambda d: d["items"][0].update(checked_against=["X"]),
     "'X' is not one of the sources listed under 'sources' (L, P)."),
    (lambda d: d.update(language="english"),
     "'english' is not a language tag such as en, ur or pa-Arab."),
    (lambda d: d.update(id="tinier"),
     "The file is in the folder 'tiny' but says it is 'tinier'."),
    (lambda d: d.update(version="1.1"),
     "The file name '1.0.yaml' does not match what the file says it is; name it '1.1.yaml'."),
])
def test_cross_reference_problems_are_explained(root, change, expected):
    catalogue = load_changed(root, "tiny/1.0.yaml", tiny(), change)
    assert catalogue.drafts == {}
    assert any(expected in message for message in messages(catalogue)), messages(catalogue)


def load_changed(root, relative: str, data: dict, change):
    """Write `data` after applying `change` to it, and load the catalogue."""
    change(data)
    write(root, relative, data)
    return load_catalogue(root)


def test_one_broken_file_does_not_stop_the_others(root):
    write(root, "tiny/1.0.yaml", "id: [")
    write(root, "other/1.0.yaml", tiny(id="other"))
    catalogue = load_catalogue(root)
    assert list(catalogue.drafts) == ["other/1.0"]
    assert len(catalogue.problems) == 1


def test_validate_paths_reports_a_missing_file_and_an_odd_name(root, tmp_path):
    odd = write(root, "tiny/final.yaml", tiny())
    problems = messages(validate_paths([root / "tiny" / "2.0.yaml", odd], root))
    assert problems[0].endswith("There is no such file.")
    assert "This is not an instrument file" in problems[1]


# --- translations -------------------------------------------------------------------------

@pytest.fixture
def published_root(root):
    publish(write(root, "tiny/1.0.yaml", tiny()), root)
    return root


def test_a_complete_translation_loads_and_publishes(published_root):
    path = write(published_root, "tiny/1.0.ur.yaml", tiny_ur())
    catalogue = load_catalogue(published_root)
    assert messages(catalogue) == []
    assert "tiny/1.0/ur" in catalogue.draft_translations
    assert publish(path, published_root) == "tiny/1.0/ur/1"
    translation = load_catalogue(published_root).translations["tiny/1.0/ur"]
    assert translation.item_text(4) == "{helper} نے میری بات سنی۔"
    assert translation.scale_label("agree", 4) == "ہمیشہ"


@pytest.mark.parametrize("change, expected", [
    (lambda t: t["items"].pop("3"), "Item 3 has no text. Every item of TINY 1.0 needs a translation (1 to 5)."),
    (lambda t: t["items"].update({"6": "x"}), "TINY 1.0 has no item 6; remove it."),
    (lambda t: t["items"].update({"4": "میرا کارکن نے میری بات سنی۔"}),
     "Item 4 must keep the same placeholders as the original ({helper}), written exactly, not translated."),
    (lambda t: t["scales"]["agree"].pop("2"), "Scale 'agree' has no label for the value 2."),
    (lambda t: t["scales"]["agree"].update({"5": "x"}), "Scale 'agree' has no value 5 in the original; remove it."),
    (lambda t: t.update(instructions=None), "The instructions have no translation."),
    (lambda t: t.pop("placeholders"), "Give the words that replace {helper} in this language"),
    (lambda t: t.update(status="validated"), "'status_source' is missing here; it is required."),
    (lambda t: t.update(translates={"id": "tiny", "version": "2.0"}),
     "This translates tiny/2.0, which is not a version that loaded without problems."),
    (lambda t: t.update(scoring={}), "'scoring' is not a field this format knows."),
])
def test_incomplete_translations_are_refused(published_root, change, expected):
    catalogue = load_changed(published_root, "tiny/1.0.ur.yaml", tiny_ur(), change)
    assert catalogue.draft_translations == {}
    assert any(expected in message for message in messages(catalogue)), messages(catalogue)


def test_a_published_translation_may_change_status_but_not_text(published_root):
    path = write(published_root, "tiny/1.0.ur.yaml", tiny_ur())
    publish(path, published_root)
    write(published_root, "tiny/1.0.ur.yaml", tiny_ur(status="validated", status_source="Study X, 2027"))
    assert load_catalogue(published_root).translations["tiny/1.0/ur"].status == "validated"

    changed = tiny_ur()
    changed["items"]["1"] = "میں بہت پرسکون تھا۔"
    write(published_root, "tiny/1.0.ur.yaml", changed)
    catalogue = load_catalogue(published_root)
    assert "tiny/1.0/ur" not in catalogue.translations
    assert "Raise 'revision' by one" in messages(catalogue)[0]

    write(published_root, "tiny/1.0.ur.yaml", {**changed, "revision": 2})
    assert messages(load_catalogue(published_root)) == []


# --- the titles participants see ---------------------------------------------------------------

def test_every_expected_measure_has_a_neutral_participant_title_and_the_published_files_are_untouched():
    catalogue = load_catalogue(PROJECT_ROOT / "instruments")
    assert messages(catalogue) == []  # the published definitions still match their hashes
    titles = {expected.id: catalogue.participant_title(expected.id) for expected in catalogue.expected}
    assert titles["urica"] == "Thinking about change"
    assert all(titles.values()) and not any(ABUSE_WORDS.search(title) for title in titles.values()), titles


def test_a_measure_without_a_participant_title_is_reported(root):
    write(root, "expected.yaml", "instruments:\n  - id: tiny\n    title: Tiny\n    audience: service_user\n")
    [problem] = messages(load_catalogue(root))
    assert problem.startswith("instruments/expected.yaml (tiny): tiny has no participant_title")


def test_participant_titles_are_extracted_for_the_gettext_catalogues():
    text = "instruments:\n  - id: tiny\n    participant_title: How you slept\n  - id: other\n    title: Other\n"
    found = list(extract_participant_titles(BytesIO(text.encode()), [], [], {}))
    assert [(line, message) for line, _function, message, _comments in found] == [(3, "How you slept")]
