"""The progression criteria (the study's Table 10): cut-offs, the rating rules and small-number suppression.

Every numeric criterion is a share (a numerator of a denominator) rated Green, Amber or Red by
its cut-offs, decided on the exact fraction: 149 of 200 (74.5%) is Amber even though it is shown
rounded as "75%". A criterion with no denominator yet has no rating. Criteria 4 and 10 are rated
from the evaluator's register of barriers instead.

Counts of 1 to 4 people are never shown in a breakdown; see `suppress`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from math import floor

from survey_app.domain import windows
from survey_app.domain.text import N_

GREEN, AMBER, RED = "green", "amber", "red"
RATINGS = {GREEN: N_("Green"), AMBER: N_("Amber"), RED: N_("Red")}

PERCENT, BARRIERS = "percent", "barriers"

# The two pairs of cut-offs Table 10 uses: (Green from, Amber from), as exact fractions.
USUAL = (Fraction(75, 100), Fraction(50, 100))
STRICT = (Fraction(90, 100), Fraction(70, 100))


@dataclass(frozen=True)
class Criterion:
    number: int
    name: str  # N_-marked
    kind: str  # PERCENT or BARRIERS
    cut_offs: tuple[Fraction, Fraction] | None = None  # (green, amber) for PERCENT

    @property
    def green_from(self) -> int | None:
        return int(self.cut_offs[0] * 100) if self.cut_offs else None

    @property
    def amber_from(self) -> int | None:
        return int(self.cut_offs[1] * 100) if self.cut_offs else None


CRITERIA = (
    Criterion(1, N_("Referrals against the target"), PERCENT, USUAL),
    Criterion(2, N_("Recruitment to support"), PERCENT, USUAL),
    Criterion(3, N_("Retention to case closure"), PERCENT, USUAL),
    Criterion(4, N_("Barriers to implementation and support"), BARRIERS),
    Criterion(5, N_("Recruitment to the measures"), PERCENT, USUAL),
    Criterion(6, N_("Baseline measures completed"), PERCENT, STRICT),
    Criterion(7, N_("Endpoint measures completed"), PERCENT, USUAL),
    Criterion(8, N_("Items complete at baseline"), PERCENT, STRICT),
    Criterion(9, N_("Items complete at endpoint"), PERCENT, STRICT),
    Criterion(10, N_("Barriers to the impact evaluation"), BARRIERS),
)
BY_NUMBER = {criterion.number: criterion for criterion in CRITERIA}
BARRIER_CRITERIA = tuple(c.number for c in CRITERIA if c.kind == BARRIERS)

# Table 10's barrier rule: "3 or fewer barriers" (all surmountable) is Green, 4 or more Amber.
MOST_BARRIERS_FOR_GREEN = 3


def rating(criterion: Criterion, numerator: Fraction | int, denominator: Fraction | int) -> str | None:
    """Green, Amber or Red on the exact share; None when there is no denominator yet."""
    share = fraction(numerator, denominator)
    if share is None:
        return None
    green, amber = criterion.cut_offs
    if share >= green:
        return GREEN
    return AMBER if share >= amber else RED


def fraction(numerator: Fraction | int, denominator: Fraction | int) -> Fraction | None:
    return None if not denominator else Fraction(numerator) / Fraction(denominator)


def percent(numerator: Fraction | int, denominator: Fraction | int) -> int | None:
    """The share as a whole-number percentage, halves rounded up (2.5% shows as 3%); None without a denominator."""
    share = fraction(numerator, denominator)
    return None if share is None else floor(share * 100 + Fraction(1, 2))


def barrier_rating(surmountable: Iterable[bool]) -> str:
    """Any barrier unlikely to be surmountable: Red; else 3 or fewer: Green; 4 or more: Amber."""
    found = list(surmountable)
    if not all(found):
        return RED
    return GREEN if len(found) <= MOST_BARRIERS_FOR_GREEN else AMBER


def average_share(shares: Mapping[tuple[int, int], int]) -> tuple[Fraction, int]:
    """(sum of each sitting's share of items answered, number of sittings), from how many sittings
    answered `a` of `n` items: {(a, n): sittings}. Their ratio is the average share, exactly."""
    total = sum((Fraction(answered, items) * sittings for (answered, items), sittings in shares.items() if items),
                Fraction(0))
    return total, sum(sittings for (_, items), sittings in shares.items() if items)


# --- T2 windows, as dates a database can compare -------------------------------------------------

def t2_closed_if_closure_on_or_before(audience: str, today: date) -> date:
    """The latest case closure whose T2 window had closed before `today`: a person's endpoint is due
    (criterion 7) when the closure that opens their window is on or before this date."""
    closure = today
    while windows.t2_window(audience, closure).closes >= today:
        closure -= timedelta(days=1)
    return closure


# --- small numbers -------------------------------------------------------------------------------

FEWEST_SHOWN = 5


def suppress(cells: Mapping[Hashable, int]) -> dict[Hashable, int | None]:
    """The cells of one group (a row that has a total), with None for each cell that must not be shown.

    A count of 1 to 4 is hidden. If exactly one cell is hidden, the total and the other cells
    would give it away, so the next smallest cell is hidden too (zeros included: a hidden zero
    reads the same as a hidden small count)."""
    hidden = {key for key, count in cells.items() if 0 < count < FEWEST_SHOWN}
    if len(hidden) == 1:
        others = sorted((count, index) for index, (key, count) in enumerate(cells.items()) if key not in hidden)
        if others:
            keys = list(cells)
            hidden.add(keys[others[0][1]])
    return {key: None if key in hidden else count for key, count in cells.items()}


def suppress_total(total: int) -> int | None:
    return None if 0 < total < FEWEST_SHOWN else total
