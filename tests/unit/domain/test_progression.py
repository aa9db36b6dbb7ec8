"""Table 10's rules: cut-offs on exact fractions, the barrier rule, and small-number suppression."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from survey_app.domain import windows
from survey_app.domain.progression import (AMBER, BY_NUMBER, CRITERIA, GREEN, RED, average_share, barrier_rating,
                                           percent, rating, suppress, suppress_total,
                                           t2_closed_if_closure_on_or_before)


def test_the_table_has_ten_criteria_with_its_cut_offs():
    assert [c.number for c in CRITERIA] == list(range(1, 11))
    usual = {n: (BY_NUMBER[n].green_from, BY_NUMBER[n].amber_from) for n in (1, 2, 3, 5, 7)}
    strict = {n: (BY_NUMBER[n].green_from, BY_NUMBER[n].amber_from) for n in (6, 8, 9)}
    assert set(usual.values()) == {(75, 50)} and set(strict.values()) == {(90, 70)}
    assert BY_NUMBER[4].cut_offs is None and BY_NUMBER[10].cut_offs is None


@pytest.mark.parametrize("numerator, denominator, expected", [
    (75, 100, GREEN),  # exactly 75%
    (7499, 10000, AMBER),  # 74.99%
    (149, 200, AMBER),  # 74.5%: shown as 75%, still Amber
    (1, 2, AMBER),  # exactly 50%
    (4999, 10000, RED),
    (0, 3, RED),
    (5, 4, GREEN),  # above target
])
def test_usual_cut_offs_are_decided_on_the_exact_fraction(numerator, denominator, expected):
    assert rating(BY_NUMBER[2], numerator, denominator) == expected


@pytest.mark.parametrize("numerator, denominator, expected", [
    (9, 10, GREEN), (8999, 10000, AMBER), (7, 10, AMBER), (6999, 10000, RED)])
def test_strict_cut_offs(numerator, denominator, expected):
    assert rating(BY_NUMBER[6], numerator, denominator) == expected


def test_no_denominator_means_no_rating_and_no_percentage():
    assert rating(BY_NUMBER[5], 0, 0) is None
    assert percent(0, 0) is None


def test_percentages_are_whole_numbers_with_halves_rounded_up():
    assert percent(149, 200) == 75
    assert percent(1, 40) == 3  # 2.5%
    assert percent(1, 3) == 33
    assert percent(2, 3) == 67
    assert percent(Fraction(52), Fraction(90)) == 58


@pytest.mark.parametrize("surmountable, expected", [
    ([], GREEN), ([True] * 3, GREEN), ([True] * 4, AMBER), ([True] * 5, AMBER), ([True, False], RED), ([False], RED)])
def test_barrier_rule(surmountable, expected):
    assert barrier_rating(surmountable) == expected


def test_average_share_weights_each_sitting_equally():
    total, sittings = average_share({(32, 32): 2, (16, 32): 1, (7, 7): 1})
    assert (total, sittings) == (Fraction(7, 2), 4)


def test_a_single_small_cell_takes_the_next_smallest_with_it():
    shown = suppress({"Camden": 12, "Croydon": 3, "Sutton": 7, "Havering": 9})
    assert shown == {"Camden": 12, "Croydon": None, "Sutton": None, "Havering": 9}


def test_two_small_cells_protect_each_other():
    assert suppress({"a": 2, "b": 4, "c": 10}) == {"a": None, "b": None, "c": 10}


def test_zeros_and_large_counts_are_shown():
    assert suppress({"a": 0, "b": 5, "c": 0}) == {"a": 0, "b": 5, "c": 0}


def test_a_hidden_cell_beside_a_zero_hides_the_zero():
    assert suppress({"a": 3, "b": 0, "c": 8}) == {"a": None, "b": None, "c": 8}


def test_totals_under_five_are_hidden():
    assert [suppress_total(n) for n in (0, 1, 4, 5)] == [0, None, None, 5]


@pytest.mark.parametrize("audience", ["service_user", "victim_survivor"])
def test_the_t2_cut_off_is_the_last_closure_whose_window_has_closed(audience):
    today = date(2026, 11, 30)
    latest = t2_closed_if_closure_on_or_before(audience, today)
    assert windows.t2_window(audience, latest).closes < today
    assert windows.t2_window(audience, latest + (date(2026, 1, 2) - date(2026, 1, 1))).closes >= today
