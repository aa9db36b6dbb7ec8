"""The sample-size planner: Table F1 to the unit, the rounding rules, how N moves with its inputs, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey_app.domain.planning import InvalidPlan, PlanInputs, half_up, plan, recruited_for, referrals_for, \
    study_scenarios, years_of_referrals

# Appendix F, Table F1, as printed: correlation -> (analytic sample, recruited, eligible referrals).
TABLE_F1 = {0.4: (661, 828, 1502), 0.5: (591, 740, 1343), 0.6: (504, 630, 1145)}
# What the "cleaner" convention (ceiling at every step, referrals = recruited / 0.55) would give instead.
CLEANER = {0.4: (662, 828, 1506), 0.5: (591, 740, 1346), 0.6: (505, 632, 1150)}


@pytest.mark.parametrize("rho, printed", TABLE_F1.items())
def test_the_study_inputs_reproduce_table_f1_to_the_unit(rho, printed):
    found = plan(PlanInputs(mdes=0.2, rho=rho, alpha=0.05, power=0.8, sides=2, attrition=0.2, conversion=0.55))
    assert (found.analytic_sample, found.recruited, found.referrals) == printed


@pytest.mark.parametrize("rho, cleaner", CLEANER.items())
def test_the_cleaner_convention_is_not_what_we_produce(rho, cleaner):
    found = plan(PlanInputs(mdes=0.2, rho=rho))
    assert (found.analytic_sample, found.recruited, found.referrals) != cleaner


def test_the_continuous_solution_matches_the_independent_recomputation():
    assert [round(p.continuous_n, 2) for p in study_scenarios()] == [661.26, 590.62, 504.29]


def test_the_study_scenarios_are_table_f1():
    assert [(p.inputs.rho, p.analytic_sample, p.recruited, p.referrals) for p in study_scenarios()] == \
        [(rho, *printed) for rho, printed in TABLE_F1.items()]


def test_halves_go_up_not_to_the_even_neighbour():
    assert round(2.5) == 2  # what Python's round would do
    assert [half_up(2.5), half_up(3.5), half_up(Decimal("590.5")), half_up(661.26), half_up(590.62)] == \
        [3, 4, 591, 661, 591]


def test_recruited_is_rounded_up_in_each_arm_and_so_even():
    assert recruited_for(661, 0.2) == 828  # 661 / 0.8 = 826.25: a plain ceiling would give 827
    assert recruited_for(504, 0.2) == 630
    assert recruited_for(591, 0) == 592  # 296 in one arm, 295 in the other, rounded up to 296 each


def test_referrals_start_from_the_analytic_sample_not_the_rounded_recruits():
    assert referrals_for(661, 0.2, 0.55) == 1502  # 661 / 0.44 = 1,502.27; 828 / 0.55 would be 1,505.45


def test_grossing_up_is_exact_on_the_decimals_given():
    assert recruited_for(465, 0.07) == 500  # exactly 500 people; binary floats make it a hair more, and 502
    assert referrals_for(612, 0.04, 0.68) == 938  # exactly 937.5, halves up; binary floats make it 937


def test_one_sided_needs_fewer_people_than_two_sided():
    for rho in TABLE_F1:
        one_sided, two_sided = plan(PlanInputs(mdes=0.2, rho=rho, sides=1)), plan(PlanInputs(mdes=0.2, rho=rho))
        assert one_sided.continuous_n < two_sided.continuous_n
    assert plan(PlanInputs(mdes=0.2, rho=0.4, sides=1)).analytic_sample == 521


correlations = st.floats(min_value=-0.95, max_value=0.95)
effects = st.floats(min_value=0.05, max_value=1.5)


@settings(max_examples=40, deadline=None)
@given(rho=correlations, other=correlations, mdes=effects)
def test_n_falls_as_the_correlation_strengthens(rho, other, mdes):
    weaker, stronger = sorted((abs(rho), abs(other)))
    if stronger - weaker < 1e-3:
        return
    assert plan(PlanInputs(mdes=mdes, rho=stronger)).continuous_n < plan(PlanInputs(mdes=mdes, rho=weaker)).continuous_n


@settings(max_examples=40, deadline=None)
@given(mdes=effects, other=effects, rho=correlations)
def test_n_rises_as_the_effect_to_detect_gets_smaller(mdes, other, rho):
    smaller, larger = sorted((mdes, other))
    if larger - smaller < 1e-3:
        return
    assert plan(PlanInputs(mdes=smaller, rho=rho)).continuous_n > plan(PlanInputs(mdes=larger, rho=rho)).continuous_n


@settings(max_examples=40, deadline=None)
@given(mdes=effects, rho=correlations, attrition=st.floats(0, 0.9), conversion=st.floats(0.05, 1))
def test_each_step_needs_at_least_as_many_people_as_the_next(mdes, rho, attrition, conversion):
    found = plan(PlanInputs(mdes=mdes, rho=rho, attrition=attrition, conversion=conversion))
    assert found.recruited % 2 == 0
    assert found.analytic_sample <= found.recruited
    assert found.analytic_sample <= found.referrals


@pytest.mark.parametrize("field, value, message", [
    ("mdes", 0, "The minimum detectable effect size must be more than 0"),
    ("mdes", -0.2, "The minimum detectable effect size must be more than 0"),
    ("rho", 1, "The correlation must be more than -1 and less than 1. At 1 (or -1) the pre-test would predict"),
    ("rho", -1, "The correlation must be more than -1 and less than 1."),
    ("rho", -1.2, "The correlation must be more than -1 and less than 1."),
    ("rho", float("nan"), "The correlation must be a number."),
    ("alpha", 0, "Alpha must be more than 0 and less than 1"),
    ("alpha", 1, "Alpha must be more than 0 and less than 1"),
    ("power", 1.2, "The power must be more than 0 and less than 1"),
    ("power", 0, "The power must be more than 0 and less than 1"),
    ("power", 0.02, "The power must be more than 0.025 (alpha, halved for a two-sided test)"),
    ("sides", 3, "The test must be one-sided (1) or two-sided (2)."),
    ("attrition", 1, "Attrition must be at least 0% and less than 100%."),
    ("attrition", -0.1, "Attrition must be at least 0% and less than 100%."),
    ("conversion", 0, "Conversion must be more than 0% and no more than 100%."),
    ("conversion", 1.1, "Conversion must be more than 0% and no more than 100%."),
    ("mdes", float("inf"), "The minimum detectable effect size must be a number."),
])
def test_out_of_range_inputs_are_refused_with_a_message_for_the_field(field, value, message):
    with pytest.raises(InvalidPlan) as refused:
        PlanInputs(**{"mdes": 0.2, "rho": 0.5, field: value})
    assert list(refused.value.problems) == [field]
    assert message in str(refused.value.problems[field])


def test_every_field_at_fault_is_named_at_once():
    with pytest.raises(InvalidPlan) as refused:
        PlanInputs(mdes=0, rho=1, alpha=0, power=1.2, sides=3, attrition=1, conversion=0)
    assert set(refused.value.problems) == {"mdes", "rho", "alpha", "power", "sides", "attrition", "conversion"}


@pytest.mark.parametrize("mdes, message", [
    (50, "This effect size is so large that fewer than 4 people would do"),
    (1e-9, "This effect size is too small to plan a trial for."),
])
def test_effects_the_formula_cannot_size_are_refused(mdes, message):
    with pytest.raises(InvalidPlan) as refused:
        plan(PlanInputs(mdes=mdes, rho=0.5))
    assert message in str(refused.value.problems["mdes"])


def test_years_of_referrals():
    assert round(years_of_referrals(1502, 164), 2) == 9.16  # the report's "nine years"
    assert round(years_of_referrals(1145, 164), 2) == 6.98  # and its "seven"
    assert years_of_referrals(1502, 0) is None
