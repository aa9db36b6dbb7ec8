"""Change between two administrations: differences and the reliable change index.

Jacobson & Truax (1991): RCI = (after − before) / SE_diff, SE_diff = √2 × SEM; the change is
reliable when |RCI| reaches z (1.96 for 95%). SEM comes from the definition, with its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor, isqrt, sqrt

from survey_app.domain.instruments import ChangeRule, Definition
from survey_app.domain.scoring import Score, ScoreSet, round_half_away


@dataclass(frozen=True)
class Change:
    name: str
    before: Score
    after: Score
    difference: Fraction | None
    rci: float | None
    reliable: bool | None
    meaningful: bool | None

    @property
    def rounded_difference(self) -> int | Decimal | None:
        if self.difference is None:
            return None
        decimals = max(self.before.decimals, self.after.decimals)
        if decimals == 0 and self.difference.denominator == 1:
            return self.difference.numerator
        return round_half_away(self.difference.numerator, self.difference.denominator, decimals)


def compare(definition: Definition, before: ScoreSet, after: ScoreSet) -> dict[str, Change]:
    """The change for every score both administrations have; RCI where the definition allows it."""
    if before.instrument != after.instrument or before.instrument != definition.id:
        raise ValueError(f"Cannot compare {before.instrument} with {after.instrument}: change needs the same instrument.")
    changes = {}
    for name, first in before.scores.items():
        second = after.scores.get(name)
        if second is None:
            continue
        changes[name] = _change(definition, name, first, second)
    return changes


def _change(definition: Definition, name: str, before: Score, after: Score) -> Change:
    if before.value is None or after.value is None:
        return Change(name, before, after, None, None, None, None)
    difference = after.value - before.value
    rule = definition.change_rule(name)
    rci = reliable = meaningful = None
    if rule is not None:
        sem = rule.standard_error()
        if sem is not None:
            rci = float(difference) / (sqrt(2) * sem)
            reliable = is_reliable(rule, difference)
        if rule.meaningful_points is not None:
            meaningful = abs(difference) >= rule.meaningful_points
    return Change(name, before, after, difference, rci, reliable, meaningful)


def is_reliable(rule: ChangeRule, difference: Fraction) -> bool | None:
    """|RCI| ≥ z, decided exactly (difference² ≥ 2 z² SEM²), so a change on the threshold is never lost to
    floating point. None when the rule gives no SEM."""
    threshold = rule.reliable_square()
    return None if threshold is None else difference ** 2 >= threshold


def least_reliable_step(rule: ChangeRule, denominator: int) -> int | None:
    """The smallest whole k for which a difference of k / denominator is reliable (and so is every larger
    one), so a database can count reliable changes by comparing integers. None when the rule gives no SEM."""
    threshold = rule.reliable_square()
    if threshold is None:
        return None
    needed = threshold * denominator ** 2  # k² must reach this
    step = isqrt(floor(needed))
    while step ** 2 < needed:
        step += 1
    return max(step, 1)
