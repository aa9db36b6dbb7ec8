"""The gating rule, for every combination of the five statements and several study settings."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import product

import pytest

from survey_app.domain.consent import (DECLINED, GIVEN, LINK_PARTNER, NOT_NOW, QUESTIONNAIRES, SHARE_ANSWERS,
                                       STATEMENTS, WITHDRAWN, ConsentConfigError, ConsentEvent, StudyConsent,
                                       ask_again_on, evaluator_may_use, gate, not_agreed)

T0 = datetime(2026, 11, 1, 10, 0)
VERSIONS = ["1.0"]
STUDIES = [StudyConsent(frozenset({QUESTIONNAIRES})),
           StudyConsent(frozenset({QUESTIONNAIRES, SHARE_ANSWERS})),
           StudyConsent(frozenset({QUESTIONNAIRES, SHARE_ANSWERS, "share_monitoring"}))]


def given(answers: dict, at=T0, version="1.0") -> ConsentEvent:
    return ConsentEvent(GIVEN, at, version, tuple(answers.items()))


@pytest.mark.parametrize("study", STUDIES)
@pytest.mark.parametrize("choices", list(product([True, False], repeat=len(STATEMENTS))))
def test_every_combination_of_answers(study, choices):
    answers = dict(zip(STATEMENTS, choices))
    result = gate([given(answers)], study, set(), VERSIONS)
    expected = all(answers[s] for s in study.required)
    assert result.may_answer is expected
    if expected:
        assert result.scope == {s for s, agreed in answers.items() if agreed}
        assert evaluator_may_use(result.scope) is answers[SHARE_ANSWERS]
    else:
        assert result.scope == frozenset() and result.reason


def test_questionnaires_without_sharing_are_allowed_but_kept_from_the_evaluator():
    result = gate([given({QUESTIONNAIRES: True, SHARE_ANSWERS: False})], STUDIES[0], set(), VERSIONS)
    assert result.may_answer and not evaluator_may_use(result.scope)


def test_no_consent_declined_not_now_and_withdrawn_all_stop_the_questionnaires():
    yes = given({QUESTIONNAIRES: True})
    assert not gate([], STUDIES[0], set(), VERSIONS).may_answer
    assert not gate([ConsentEvent(DECLINED, T0)], STUDIES[0], set(), VERSIONS).may_answer
    assert not gate([ConsentEvent(NOT_NOW, T0)], STUDIES[0], set(), VERSIONS).may_answer
    assert not gate([yes, ConsentEvent(WITHDRAWN, T0 + timedelta(days=1))], STUDIES[0], set(), VERSIONS).may_answer
    assert gate([ConsentEvent(DECLINED, T0 - timedelta(days=1)), yes], STUDIES[0], set(), VERSIONS).may_answer
    assert gate([yes, ConsentEvent(NOT_NOW, T0 + timedelta(days=1))], STUDIES[0], set(), VERSIONS).may_answer


def test_linking_is_never_assumed():
    result = gate([given({QUESTIONNAIRES: True})], STUDIES[0], set(), VERSIONS)
    assert LINK_PARTNER not in result.scope


def test_a_material_new_version_asks_again_and_a_typo_fix_does_not():
    consent = [given({QUESTIONNAIRES: True}, version="1.0")]
    assert gate(consent, STUDIES[0], {"1.1"}, ["1.0", "1.1"]).may_answer is False
    assert gate(consent, STUDIES[0], set(), ["1.0", "1.1"]).may_answer is True
    again = consent + [given({QUESTIONNAIRES: True}, at=T0 + timedelta(days=2), version="1.1")]
    assert gate(again, STUDIES[0], {"1.1"}, ["1.0", "1.1"]).may_answer is True


@pytest.mark.parametrize("required, message", [
    ({QUESTIONNAIRES, LINK_PARTNER}, "can never be required"),
    ({SHARE_ANSWERS}, "questionnaires themselves must be required"),
    ({QUESTIONNAIRES, "photos"}, "Unknown consent statement"),
])
def test_impossible_study_settings_are_refused(required, message):
    with pytest.raises(ConsentConfigError, match=message):
        StudyConsent(frozenset(required))


def test_not_agreed_names_each_required_statement_without_a_yes():
    required = frozenset({QUESTIONNAIRES, SHARE_ANSWERS})
    assert not_agreed({QUESTIONNAIRES: True, SHARE_ANSWERS: True, LINK_PARTNER: False}, required) == []
    assert not_agreed({QUESTIONNAIRES: False, SHARE_ANSWERS: None}, required) == [QUESTIONNAIRES, SHARE_ANSWERS]


def test_ask_again_on_is_the_agreed_date_or_the_usual_wait_from_today():
    assert ask_again_on(date(2026, 11, 30), 90) == date(2027, 2, 28)
    assert ask_again_on(date(2026, 11, 30), 90, chosen=date(2026, 12, 7)) == date(2026, 12, 7)
