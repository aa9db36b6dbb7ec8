"""The scoring engine on a synthetic definition: reverse keys, missing-item rules, prorating,
lookup tables, composites, rounding and refusal of bad answers."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from survey_app.domain.change import compare
from survey_app.domain.instruments import build_definition, check_definition
from survey_app.domain.scoring import (COMPLETE, INSUFFICIENT, PRORATED, InvalidResponses, contract_json,
                                       round_half_away, score)
from tests.unit.domain.fixtures import tiny


@pytest.fixture(scope="module")
def definition():
    data = tiny()
    assert check_definition(data) == []
    return build_definition(data)


def test_reverse_keyed_item_is_flipped_on_its_own_scale(definition):
    # Item 2 is reverse keyed on a 1–4 scale: 1 counts as 4, 4 counts as 1.
    result = score(definition, {1: 2, 2: 1, 3: 3, 4: 4})
    assert result["mood"].value == Fraction(2 + 4 + 3, 3)
    assert score(definition, {1: 2, 2: 4, 3: 3, 4: 4})["mood"].value == Fraction(2 + 1 + 3, 3)


def test_complete_answers_give_complete_scores(definition):
    result = score(definition, {1: 4, 2: 1, 3: 4, 4: 3, 5: 2})
    assert {name: s.status for name, s in result.scores.items()} == {
        "mood": COMPLETE, "support": COMPLETE, "total": COMPLETE, "band": COMPLETE, "balance": COMPLETE}
    assert result["total"].rounded == 15
    assert result["total"].answered == (1, 2, 3, 4) and result["total"].missing == ()


def test_prorated_mean_is_the_mean_of_the_answered_items(definition):
    result = score(definition, {1: 4, 2: None, 3: 3, 4: 1})
    assert result["mood"].status == PRORATED
    assert result["mood"].value == Fraction(7, 2)
    assert result["mood"].missing == (2,)


def test_prorated_sum_is_scaled_up_to_all_items(definition):
    # 3 of 4 items answered, sum 7: prorated total 7 × 4 / 3, shown as a whole number.
    result = score(definition, {1: 2, 2: 4, 3: 4})
    assert result["total"].status == PRORATED
    assert result["total"].value == Fraction(28, 3)
    assert result["total"].rounded == Decimal("9")


def test_too_few_answers_give_no_score_and_say_so(definition):
    result = score(definition, {1: 2})
    assert result["mood"].status == INSUFFICIENT
    assert result["mood"].value is None and result["mood"].rounded is None
    assert result["mood"].answered == (1,) and result["mood"].missing == (2, 3)
    assert result["total"].status == INSUFFICIENT


def test_a_score_without_a_missing_rule_needs_every_item(definition):
    assert score(definition, {1: 1, 2: 1, 3: 1})["support"].status == INSUFFICIENT


def test_lookup_and_composite_follow_their_inputs(definition):
    result = score(definition, {1: 4, 2: 1, 3: 4, 4: 2})
    assert result["band"].rounded == Decimal("1.5")
    assert result["balance"].rounded == Decimal("2.50")
    missing_input = score(definition, {1: 4, 2: 1, 3: 4})
    assert missing_input["band"].status == INSUFFICIENT
    assert missing_input["balance"].status == INSUFFICIENT


def test_a_composite_of_a_prorated_score_is_prorated(definition):
    result = score(definition, {1: 4, 3: 4, 4: 2})
    assert result["balance"].status == PRORATED


def test_unscored_items_are_checked_but_change_nothing(definition):
    base = {1: 3, 2: 2, 3: 1, 4: 4}
    assert score(definition, base).as_contract() == score(definition, {**base, 5: 4}).as_contract()
    with pytest.raises(InvalidResponses):
        score(definition, {**base, 5: 9})


@pytest.mark.parametrize("responses, fragment", [
    ({6: 1}, "TINY 1.0 has no item 6 (items are numbered 1 to 5)."),
    ({1: 5}, "Item 1: 5 is not an answer on its scale (1, 2, 3, 4)."),
    ({1: 0}, "Item 1: 0 is not an answer on its scale"),
    ({1: True}, "Item 1: True is not an answer on its scale"),
    ({1: 2.0}, "Item 1: 2.0 is not an answer on its scale"),
    ({1: "2"}, "Item 1: '2' is not an answer on its scale"),
])
def test_answers_off_the_scale_are_refused_not_scored(definition, responses, fragment):
    with pytest.raises(InvalidResponses) as error:
        score(definition, responses)
    assert fragment in str(error.value)


@pytest.mark.parametrize("numerator, denominator, places, expected", [
    (1, 8, 2, "0.13"), (-1, 8, 2, "-0.13"), (5, 2, 0, "3"), (-5, 2, 0, "-3"),
    (1, 3, 2, "0.33"), (2, 3, 2, "0.67"), (-2, 3, 2, "-0.67"), (0, 7, 2, "0.00"), (7, 1, 2, "7.00"),
])
def test_rounding_is_half_away_from_zero(numerator, denominator, places, expected):
    assert str(round_half_away(numerator, denominator, places)) == expected


def test_contract_json_keeps_places_and_writes_null(definition):
    result = score(definition, {1: 4, 2: 1, 3: 4, 4: 2})
    assert contract_json(result) == ('{"instrument": "tiny", "version": "1.0", "scores": {"mood": 4.00, '
                                     '"support": 2, "total": 14, "band": 1.5, "balance": 2.50}}')
    assert '"band": null' in contract_json(score(definition, {1: 4}))


def test_change_uses_sd_and_reliability_when_no_sem_is_given(definition):
    before = score(definition, {1: 1, 2: 4, 3: 1, 4: 1})  # total 4
    after = score(definition, {1: 4, 2: 1, 3: 4, 4: 4})  # total 16
    change = compare(definition, before, after)["total"]
    # SEM = 3 × √(1 − 0.75) = 1.5; RCI = 12 / (√2 × 1.5) = 5.66
    assert change.difference == 12
    assert round(change.rci, 2) == 5.66
    assert change.reliable is True and change.meaningful is True
    assert compare(definition, before, before)["total"].reliable is False
    assert compare(definition, before, before)["mood"].rci is None


def test_change_is_none_when_either_side_has_no_score(definition):
    change = compare(definition, score(definition, {1: 1}), score(definition, {1: 4, 2: 1, 3: 4, 4: 4}))
    assert change["total"].difference is None and change["total"].reliable is None


@pytest.mark.parametrize("bad", [True, 2.0, "2", 5, 0])
def test_a_bad_answer_in_an_otherwise_complete_administration_is_refused(definition, bad):
    """Complete administrations take a faster path; it must refuse exactly what the slow one does."""
    with pytest.raises(InvalidResponses) as error:
        score(definition, {1: 2, 2: 3, 3: bad, 4: 1, 5: 2})
    assert f"Item 3: {bad!r} is not an answer on its scale" in str(error.value)


def test_an_unknown_item_beside_a_complete_administration_is_refused(definition):
    with pytest.raises(InvalidResponses, match="TINY 1.0 has no item 6"):
        score(definition, {1: 2, 2: 3, 3: 4, 4: 1, 5: 2, 6: 1})


def test_results_kept_by_their_totals_are_the_results_worked_out_afresh(definition):
    """A scorer keeps each result by its item-score totals and missing items: every later
    administration with the same key gets the same scores as a scorer that has kept nothing."""
    import random

    from survey_app.domain.scoring import Scorer

    rng = random.Random(20261130)
    warm = Scorer(definition)
    for _ in range(400):
        answers = {1: rng.randint(1, 4), 2: rng.randint(1, 4), 3: rng.randint(1, 4), 4: rng.randint(1, 4),
                   5: rng.randint(1, 4)}
        for number in rng.sample(sorted(answers), rng.randint(0, 3)):
            answers[number] = None
        fresh = Scorer(definition).score(answers)
        kept = warm.score(answers)
        assert kept == fresh and {n: s.rounded for n, s in kept.scores.items()} == \
            {n: s.rounded for n, s in fresh.scores.items()}
    assert len(warm.known) < 400, "administrations with the same totals share one result"
