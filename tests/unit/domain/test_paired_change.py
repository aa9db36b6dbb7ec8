"""Change from T1 to T2 across a group: mean, 95% interval, Cohen's d_z and reliable-change counts,
each checked against a computation made here with the standard library and numpy."""

from __future__ import annotations

import statistics
from fractions import Fraction
from math import sqrt

import numpy
import pytest
from hypothesis import given, strategies as st

from survey_app.domain.change import is_reliable, least_reliable_step
from survey_app.domain.instruments import ChangeRule
from survey_app.domain.paired_change import DECREASE, INCREASE, NO_CHANGE, Differences, summarise

# SWEMWBS's rule: SEM 1.03, z 1.96, so a change of 2.855 points or more is reliable.
SWEMWBS = ChangeRule("metric", sem=Fraction("1.03"), z=Fraction("1.96"))
DIFFERENCES = [Fraction(n, 100) for n in (-412, 286, 285, 0, 173, 1049, -37, 512, 300)]

# t(0.975; 8), from printed tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2), not from scipy.
T_975_8 = 2.306


def test_the_figures_match_a_computation_from_the_differences_themselves():
    summary = summarise(Differences.of(DIFFERENCES, SWEMWBS), has_rci=True)

    values = numpy.array([float(d) for d in DIFFERENCES])
    sd = values.std(ddof=1)
    assert summary.pairs == 9
    assert summary.mean == statistics.mean(DIFFERENCES)  # exact: a Fraction
    assert summary.sd == pytest.approx(sd, rel=1e-12)
    assert summary.low == pytest.approx(values.mean() - T_975_8 * sd / 3, abs=1e-3)
    assert summary.high == pytest.approx(values.mean() + T_975_8 * sd / 3, abs=1e-3)
    assert summary.effect_size == pytest.approx(values.mean() / sd, rel=1e-12)


def test_reliable_changes_are_counted_each_way_on_the_definitions_threshold():
    # 2.86, 5.12, 10.49 and 3.00 are up by 2.855 or more; -4.12 is down; 2.85 is not quite enough.
    found = Differences.of(DIFFERENCES, SWEMWBS)
    by_hand = [float(d) / (sqrt(2) * 1.03) for d in DIFFERENCES]  # the RCI of each

    assert found.increased == sum(rci >= 1.96 for rci in by_hand) == 4
    assert found.decreased == sum(rci <= -1.96 for rci in by_hand) == 1
    # 4 + 4 + 1 of 9: every count is under 5, so none is shown.
    assert summarise(found, has_rci=True).reliable == {INCREASE: None, NO_CHANGE: None, DECREASE: None}


def test_one_small_count_hides_the_next_smallest_too_so_the_total_cannot_give_it_away():
    # 6 reliable increases, none unchanged, 1 decrease, of 7 pairs (which are shown).
    found = Differences.of([Fraction(5)] * 6 + [Fraction(-5)], SWEMWBS)

    summary = summarise(found, has_rci=True)

    assert summary.pairs == 7
    assert summary.reliable == {INCREASE: 6, NO_CHANGE: None, DECREASE: None}


def test_counts_of_five_or_more_are_all_shown():
    found = Differences.of([Fraction(5)] * 5 + [Fraction(0)] * 5 + [Fraction(-3)] * 6, SWEMWBS)

    assert summarise(found, has_rci=True).reliable == {INCREASE: 5, NO_CHANGE: 5, DECREASE: 6}


@pytest.mark.parametrize("pairs", [1, 4])
def test_fewer_than_five_pairs_show_nothing_but_that(pairs):
    summary = summarise(Differences.of([Fraction(7)] * pairs, SWEMWBS), has_rci=True)

    assert summary.hidden and summary.pairs is None
    assert (summary.mean, summary.low, summary.high, summary.sd, summary.effect_size) == (None,) * 5
    assert summary.reliable == {INCREASE: None, NO_CHANGE: None, DECREASE: None}


def test_no_pairs_is_zero_not_hidden():
    summary = summarise(Differences(), has_rci=False)

    assert summary.pairs == 0 and not summary.hidden
    assert summary.mean is None and summary.reliable is None


def test_when_every_difference_is_the_same_the_interval_is_that_point_and_d_z_is_not_defined():
    summary = summarise(Differences.of([Fraction(3, 7)] * 6), has_rci=False)

    assert summary.mean == Fraction(3, 7) and summary.low == summary.high == pytest.approx(3 / 7)
    assert summary.effect_size is None
    assert summary.reliable is None


def test_a_change_exactly_on_the_reliable_threshold_is_reliable():
    # SEM² = sd² × (1 − r) = 4 × ½ = 2; 2 z² SEM² = 4 with z = 1: a change of exactly 2 is reliable.
    rule = ChangeRule("total", sd=Fraction(2), reliability=Fraction(1, 2), z=Fraction(1))

    assert is_reliable(rule, Fraction(2)) and is_reliable(rule, Fraction(-2))
    assert not is_reliable(rule, Fraction(199, 100))
    assert least_reliable_step(rule, 1) == 2
    assert least_reliable_step(rule, 100) == 200


def test_without_a_standard_error_nothing_is_reliable_or_not():
    rule = ChangeRule("total", meaningful_points=Fraction(3))

    assert is_reliable(rule, Fraction(10)) is None
    assert least_reliable_step(rule, 7) is None


@given(st.lists(st.integers(-3500, 3500), min_size=1, max_size=30), st.sampled_from([1, 7, 100, 700]))
def test_the_sums_a_database_makes_give_the_same_as_the_differences(numerators, denominator):
    differences = [Fraction(k, denominator) for k in numerators]
    step = least_reliable_step(SWEMWBS, denominator)

    from_sums = Differences.over(denominator, len(numerators), sum(numerators), sum(k * k for k in numerators),
                                 sum(k >= step for k in numerators), sum(k <= -step for k in numerators))

    assert from_sums == Differences.of(differences, SWEMWBS)


def test_the_reliable_threshold_is_the_one_the_definition_documents():
    # "SE_diff = √2 × 1.03 = 1.4566, so a change of 2.855 points or more is reliable at 95%."
    assert 1.96 * sqrt(2) * 1.03 == pytest.approx(2.855, abs=5e-4)
    assert least_reliable_step(SWEMWBS, 1000) == 2856  # 2.85501…
    assert least_reliable_step(SWEMWBS, 100) == 286
