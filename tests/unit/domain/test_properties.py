"""Invariants of the engine on every published instrument plus the synthetic one (hypothesis)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain.instruments import build_definition
from survey_app.domain.scoring import INSUFFICIENT, score, score_bounds
from tests.unit.domain.fixtures import tiny

CATALOGUE = load_catalogue(instruments_dir())
DEFINITIONS = [CATALOGUE.get(i) for i in ("urica", "wai_sr", "swemwbs")] + [build_definition(tiny())]


def test_the_published_instruments_are_all_here():
    assert all(DEFINITIONS), "urica, wai_sr and swemwbs 1.0 must be published"


def complete_answers(definition):
    return st.fixed_dictionaries({item.number: st.sampled_from(sorted(definition.scale(item.scale).values))
                                  for item in definition.items})


definitions = st.sampled_from(DEFINITIONS)


@st.composite
def administrations(draw, allow_missing=False):
    definition = draw(definitions)
    answers = draw(complete_answers(definition))
    if allow_missing:
        for number in draw(st.sets(st.sampled_from(sorted(answers)))):
            answers[number] = None
    return definition, answers


@settings(max_examples=300, deadline=None)
@given(administrations(allow_missing=True))
def test_every_score_stays_within_its_bounds_and_declared_range(case):
    definition, answers = case
    bounds = score_bounds(definition)
    for name, result in score(definition, answers).scores.items():
        if result.value is None:
            continue
        low, high = bounds[name]
        assert low <= result.value <= high
        rule = definition.score_rule(name)
        if rule.declared_range:
            assert rule.declared_range[0] <= result.value <= rule.declared_range[1]


@settings(max_examples=300, deadline=None)
@given(administrations(allow_missing=True))
def test_rounding_is_within_half_a_unit_of_the_last_place(case):
    definition, answers = case
    for result in score(definition, answers).scores.values():
        if result.value is not None:
            assert abs(Fraction(str(result.rounded)) - result.value) <= Fraction(1, 2 * 10 ** result.decimals)


@settings(max_examples=300, deadline=None)
@given(administrations(), st.data())
def test_raising_one_answer_moves_its_scores_the_keyed_way(case, data):
    definition, answers = case
    item = data.draw(st.sampled_from(definition.items))
    values = sorted(definition.scale(item.scale).values)
    if answers[item.number] == values[-1]:
        return
    higher = {**answers, item.number: values[values.index(answers[item.number]) + 1]}
    before, after = score(definition, answers), score(definition, higher)
    for rule in definition.scores:
        if item.number in rule.items:
            direction = after[rule.name].value - before[rule.name].value
            assert direction < 0 if item.reverse else direction > 0


@settings(max_examples=200, deadline=None)
@given(administrations(), st.data())
def test_unscored_items_have_no_effect(case, data):
    definition, answers = case
    if not definition.unscored_items:
        return
    changed = dict(answers)
    for number in definition.unscored_items:
        values = sorted(definition.scale(definition.item(number).scale).values)
        changed[number] = data.draw(st.sampled_from(values + [None]))
    assert score(definition, answers).as_contract() == score(definition, changed).as_contract()


@settings(max_examples=200, deadline=None)
@given(administrations(), st.data())
def test_a_missing_item_never_prorates_where_the_source_gives_no_rule(case, data):
    definition, answers = case
    scored = sorted({n for rule in definition.scores for n in rule.items})
    number = data.draw(st.sampled_from(scored))
    result = score(definition, {**answers, number: None})
    for rule in definition.scores:
        if number in rule.items and not (rule.missing and rule.missing.prorate):
            assert result[rule.name].status == INSUFFICIENT and result[rule.name].value is None


@pytest.mark.parametrize("instrument", ["urica", "wai_sr", "swemwbs"])
def test_real_instruments_have_no_prorating_rule(instrument):
    """No published missing-item rule was found for these (reference §1.7, §2.8, §3.6)."""
    definition = CATALOGUE.get(instrument)
    assert all(not (rule.missing and rule.missing.prorate) for rule in definition.scores)
