"""The sample-size planner: how many people a future trial of the intervention needs (the study's Table F1).

The design is a two-arm trial, 1:1, with people randomised one by one and the outcome analysed by
ANCOVA with the pre-test as the single covariate (so R² = ρ², ρ being the pre/post correlation). The
formula is PowerUp!'s for individual random assignment (Dong & Maynard, 2013), t-based:

    MDES = M(df) · √[(1 − ρ²) / (P(1 − P) · N)],  P = 0.5,
    M(df) = t(1 − α/2, df) + t(power, df)  (t(1 − α, df) for a one-sided test),  df = N − g − 2, g = 1,

solved for the total analytic sample N, which is continuous. Then three rounding rules, the ones that
reproduce Table F1 to the unit (shared reference study-context.md §6):

- analytic sample = N to the nearest whole number, halves up;
- recruited = 2 × ⌈A / (1 − attrition) / 2⌉: the analytic sample A grossed up for attrition, rounded up
  to a whole number in each arm (so the total is even);
- referrals = A / ((1 − attrition) × conversion) to the nearest whole number, halves up: from the
  analytic sample, not from the rounded recruited figure.

Python's round() rounds halves to the even neighbour (round(2.5) == 2), which is not "nearest, halves
up", so rounding goes through Decimal with ROUND_HALF_UP. The grossing-up is done in Decimal on the
decimals as given, not in binary floats: 465 / (1 − 0.07) is exactly 500 people (floats make it a hair
more, and 502), and 612 / (0.96 × 0.68) is exactly 937.5, so 938 referrals (floats make it 937).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from scipy import stats
from scipy.optimize import brentq

from survey_app.domain.text import Message, N_

COVARIATES = 1  # g: the pre-test
TREATED_SHARE = 0.5  # P: 1:1 allocation
MOST_PEOPLE = 1e15  # past this, an effect is too small to plan a trial for


@dataclass(frozen=True)
class PlanInputs:
    """What the planner needs. Attrition and conversion are fractions (0.2 for 20%).

    Making one with a value out of range raises InvalidPlan naming every field at fault."""

    mdes: float
    rho: float
    alpha: float = 0.05
    power: float = 0.8
    sides: int = 2
    attrition: float = 0.2
    conversion: float = 0.55

    def __post_init__(self):
        problems = refusals(self)
        if problems:
            raise InvalidPlan(problems)


class InvalidPlan(ValueError):
    """Inputs the planner refuses: `problems` maps each field at fault to why, in words for a person."""

    def __init__(self, problems: dict[str, Message]):
        super().__init__("\n".join(str(message) for message in problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class Plan:
    inputs: PlanInputs
    continuous_n: float  # the exact solution, before rounding
    analytic_sample: int
    recruited: int
    referrals: int


# Each field's rule: a test a valid value passes, and what to say when it fails.
_RULES = {
    "mdes": (lambda v: v > 0, N_("The minimum detectable effect size must be more than 0, like 0.2.")),
    "rho": (lambda v: -1 < v < 1,
            N_("The correlation must be more than -1 and less than 1. At 1 (or -1) the pre-test would predict "
               "every post-test score exactly, leaving nothing for an effect to show against, so no sample size "
               "follows from the formula.")),
    "alpha": (lambda v: 0 < v < 1, N_("Alpha must be more than 0 and less than 1, like 0.05.")),
    "power": (lambda v: 0 < v < 1, N_("The power must be more than 0 and less than 1, like 0.8.")),
    "sides": (lambda v: v in (1, 2), N_("The test must be one-sided (1) or two-sided (2).")),
    "attrition": (lambda v: 0 <= v < 1, N_("Attrition must be at least 0% and less than 100%.")),
    "conversion": (lambda v: 0 < v <= 1, N_("Conversion must be more than 0% and no more than 100%.")),
}
# What to say for something that is not a number at all (the web form says the same for text it cannot read).
NOT_A_NUMBER = {
    "mdes": N_("The minimum detectable effect size must be a number."),
    "rho": N_("The correlation must be a number."),
    "alpha": N_("Alpha must be a number."),
    "power": N_("The power must be a number."),
    "sides": N_("The test must be one-sided (1) or two-sided (2)."),
    "attrition": N_("Attrition must be a number."),
    "conversion": N_("Conversion must be a number."),
}


def refusals(inputs: PlanInputs) -> dict[str, Message]:
    """Every field out of range, with why; empty when the planner can work with the inputs."""
    problems = {}
    for name, (valid, out_of_range) in _RULES.items():
        value = getattr(inputs, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            problems[name] = Message(NOT_A_NUMBER[name])
        elif not valid(value):
            problems[name] = Message(out_of_range)
    if not {"alpha", "power", "sides"} & problems.keys() and inputs.power <= _one_tail(inputs):
        # Then t(1 − α) + t(power) ≤ 0 whatever the sample: no trial is big enough.
        problems["power"] = Message(N_("The power must be more than %(tail)s (alpha, halved for a two-sided test): "
                                       "with less, no sample is large enough."), {"tail": f"{_one_tail(inputs):g}"})
    return problems


def _one_tail(inputs: PlanInputs) -> float:
    return inputs.alpha / inputs.sides


def analytic_n(inputs: PlanInputs) -> float:
    """The total analytic sample N (both arms) that solves PowerUp!'s equation, before rounding."""
    def shortfall(n: float) -> float:  # falls as n grows; zero at the answer
        df = n - COVARIATES - 2
        multiplier = stats.t.ppf(1 - _one_tail(inputs), df) + stats.t.ppf(inputs.power, df)
        return multiplier * math.sqrt((1 - inputs.rho ** 2) / (TREATED_SHARE * (1 - TREATED_SHARE) * n)) - inputs.mdes

    # The t-test needs at least one degree of freedom; below that its quantiles are not usable numbers.
    smallest = COVARIATES + 3.0
    if shortfall(smallest) <= 0:
        raise InvalidPlan({"mdes": Message(N_("This effect size is so large that fewer than %(people)s people "
                                              "would do: the formula needs at least that many."),
                                           {"people": int(smallest)})})
    largest = 1000.0
    while shortfall(largest) > 0:
        largest *= 2
        if largest > MOST_PEOPLE:
            raise InvalidPlan({"mdes": Message(N_("This effect size is too small to plan a trial for."))})
    return brentq(shortfall, smallest, largest, xtol=1e-9)


def plan(inputs: PlanInputs) -> Plan:
    """The analytic sample, the people to recruit and the referrals needed, rounded as Table F1 was."""
    continuous = analytic_n(inputs)
    analytic = half_up(continuous)
    return Plan(inputs, continuous, analytic, recruited_for(analytic, inputs.attrition),
                referrals_for(analytic, inputs.attrition, inputs.conversion))


def recruited_for(analytic: int, attrition: float) -> int:
    """People to recruit so `analytic` complete: rounded up in each arm, so the total is even."""
    return 2 * math.ceil(analytic / (1 - _exact(attrition)) / 2)


def referrals_for(analytic: int, attrition: float, conversion: float) -> int:
    """Eligible referrals for `analytic` completers: from the analytic sample (not the rounded recruits), halves up."""
    return half_up(analytic / ((1 - _exact(attrition)) * _exact(conversion)))


def half_up(number: float | Decimal) -> int:
    """The nearest whole number, halves up (2.5 → 3), unlike round(), which takes halves to even (2.5 → 2)."""
    return int(Decimal(number).quantize(Decimal(1), rounding=ROUND_HALF_UP))  # Decimal(a float) is its exact value


def _exact(value: float) -> Decimal:
    """The decimal a person typed, exactly: Decimal("0.2"), not the float 0.2, which is a little more."""
    return Decimal(str(value))


# The study's own inputs (Appendix F): MDES 0.2, two-sided alpha 0.05, power 0.8, 20% attrition, 55% conversion.
STUDY_CORRELATIONS = (0.4, 0.5, 0.6)
STUDY_DEFAULTS = PlanInputs(mdes=0.2, rho=0.5)


def study_scenarios() -> list[Plan]:
    """Table F1's three scenarios, one per pre/post correlation."""
    return [plan(PlanInputs(mdes=STUDY_DEFAULTS.mdes, rho=rho)) for rho in STUDY_CORRELATIONS]


def years_of_referrals(referrals: int, per_year: int) -> float | None:
    """How many years of referrals at a yearly rate; None when the rate is unknown (no referrals)."""
    return referrals / per_year if per_year > 0 else None
