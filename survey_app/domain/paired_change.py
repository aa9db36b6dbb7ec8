"""Change from T1 to T2 across a group of people: what the evaluator's dashboard shows for each score.

Over the n people with a T1 and a T2 value of the same score (paired), each person's difference
d = T2 − T1 is exact (stored scores are fractions), and so are the sums below; only the square
root and Student's t are floating point.

- Mean change: d̄ = Σd / n.
- 95% confidence interval: d̄ ± t(0.975; n − 1) × s / √n, where s is the standard deviation of the
  differences (n − 1 in the denominator) and t comes from `scipy.stats.t`.
- Paired effect size: Cohen's d_z = d̄ / s, the mean difference in standard deviations of the
  differences (Cohen, 1988, Statistical Power Analysis for the Behavioral Sciences, 2nd ed., §2.3.5;
  Lakens, 2013, Frontiers in Psychology 4:863, equation 5). It is not the between-groups d: with
  correlated T1 and T2 scores it is larger than d̄ over the SD of the T1 scores.
- Reliable change (Jacobson & Truax, 1991; domain/change.py): a difference is reliable when
  |d| ≥ z × √2 × SEM, with SEM and z from the definition's `change` rule. Definitions do not say
  which direction is better, so the counts are of reliable increases and reliable decreases.

Small numbers, as in the rest of the dashboard (domain/progression.py): fewer than 5 pairs show no
mean, interval or effect size, only "fewer than 5"; the three reliable-change counts are
suppressed as one group whose total (the pairs) is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from math import sqrt

from scipy import stats

from survey_app.domain.change import is_reliable
from survey_app.domain.instruments import ChangeRule
from survey_app.domain.progression import FEWEST_SHOWN, suppress
from survey_app.domain.text import N_

CONFIDENCE = Fraction(95, 100)
INCREASE, NO_CHANGE, DECREASE = "increase", "no_change", "decrease"
RELIABLE = {INCREASE: N_("Reliable increase"), NO_CHANGE: N_("No reliable change"),
            DECREASE: N_("Reliable decrease")}


@dataclass(frozen=True)
class Differences:
    """What a group's paired differences add up to, exactly: enough for every figure below."""

    pairs: int = 0
    total: Fraction = Fraction(0)  # Σd
    squares: Fraction = Fraction(0)  # Σd²
    increased: int = 0  # reliably
    decreased: int = 0

    def __add__(self, other: Differences) -> Differences:
        return Differences(self.pairs + other.pairs, self.total + other.total, self.squares + other.squares,
                           self.increased + other.increased, self.decreased + other.decreased)

    @classmethod
    def of(cls, differences: Iterable[Fraction], rule: ChangeRule | None = None) -> Differences:
        found = cls()
        for difference in differences:
            reliable = rule is not None and is_reliable(rule, difference)
            found += cls(1, Fraction(difference), Fraction(difference) ** 2,
                         int(bool(reliable) and difference > 0), int(bool(reliable) and difference < 0))
        return found

    @classmethod
    def over(cls, denominator: int, pairs: int, numerators: int, squares: int, increased: int = 0,
             decreased: int = 0) -> Differences:
        """From sums a database made of differences all written k / denominator: Σk and Σk²."""
        return cls(pairs, Fraction(numerators, denominator), Fraction(squares, denominator ** 2), increased,
                   decreased)


@dataclass(frozen=True)
class ChangeSummary:
    """One score's change as shown: None wherever a figure is hidden or cannot be worked out."""

    pairs: int | None  # None: 1 to 4 pairs, hidden
    mean: Fraction | None
    low: float | None  # the 95% confidence interval
    high: float | None
    sd: float | None
    effect_size: float | None  # Cohen's d_z; None too when every difference is the same (s = 0)
    reliable: dict[str, int | None] | None  # None when the definition gives no SEM

    @property
    def hidden(self) -> bool:
        return self.pairs is None


def summarise(found: Differences, has_rci: bool) -> ChangeSummary:
    n = found.pairs
    if n < FEWEST_SHOWN:
        counts = dict.fromkeys(RELIABLE, None if n else 0) if has_rci else None
        return ChangeSummary(None if n else 0, None, None, None, None, None, counts)
    mean = found.total / n
    variance = (found.squares - found.total ** 2 / n) / (n - 1)
    sd = sqrt(variance)
    margin = float(stats.t.ppf(float(1 - (1 - CONFIDENCE) / 2), n - 1)) * sd / sqrt(n)
    reliable = None
    if has_rci:
        reliable = suppress({INCREASE: found.increased, NO_CHANGE: n - found.increased - found.decreased,
                             DECREASE: found.decreased})
    return ChangeSummary(n, mean, float(mean) - margin, float(mean) + margin, sd,
                         float(mean) / sd if sd else None, reliable)
