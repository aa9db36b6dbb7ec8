"""Study ids: every single-character typo and every swap of neighbours is caught."""

from __future__ import annotations

import pytest

from survey_app.domain.study_ids import ALPHABET, InvalidStudyId, is_valid, new_study_id, normalise

IDS = [new_study_id() for _ in range(200)]


def test_new_ids_are_valid_formatted_and_distinct():
    assert all(is_valid(study_id) for study_id in IDS)
    assert all(len(study_id) == 9 and study_id[4] == "-" for study_id in IDS)
    assert len(set(IDS)) == len(IDS)
    assert not set("".join(IDS)) - set(ALPHABET + "-")


def test_every_single_character_typo_is_caught():
    for study_id in IDS:
        compact = study_id.replace("-", "")
        for position, original in enumerate(compact):
            for replacement in ALPHABET:
                if replacement != original:
                    typo = compact[:position] + replacement + compact[position + 1:]
                    assert not is_valid(typo), (study_id, typo)


def test_every_swap_of_neighbouring_characters_is_caught():
    for study_id in IDS:
        compact = study_id.replace("-", "")
        for position in range(len(compact) - 1):
            a, b = compact[position], compact[position + 1]
            if a != b:
                swapped = compact[:position] + b + a + compact[position + 2:]
                assert not is_valid(swapped), (study_id, swapped)


def test_spaces_dashes_and_lower_case_are_forgiven():
    study_id = IDS[0]
    assert normalise(study_id.lower().replace("-", " ")) == study_id
    assert normalise(f"  {study_id.replace('-', '')} ") == study_id


@pytest.mark.parametrize("text, message", [
    ("K7M4-QX2", "A study id has 8 characters"),
    ("K7M4-QX2O", "A study id has 8 characters"),
    ("", "A study id has 8 characters"),
])
def test_malformed_ids_are_refused_with_a_plain_message(text, message):
    with pytest.raises(InvalidStudyId, match=message):
        normalise(text)


def test_a_wrong_check_character_says_there_is_a_typing_mistake():
    compact = IDS[0].replace("-", "")
    wrong = compact[:-1] + next(c for c in ALPHABET if c != compact[-1])
    with pytest.raises(InvalidStudyId, match="typing mistake"):
        normalise(wrong)
