"""The worked examples of the reference (instruments.md §1.10, §2.10, §3.8), scored by the
published definitions. Inputs and expected outputs are copied from the reference."""

from __future__ import annotations

from decimal import Decimal

import pytest

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain.change import compare
from survey_app.domain.scoring import score

CATALOGUE = load_catalogue(instruments_dir())


def answers(values: list) -> dict[int, int | None]:
    return dict(enumerate(values, start=1))


def contract(instrument: str, values: list) -> dict:
    return score(CATALOGUE.get(instrument), answers(values)).as_contract()["scores"]


D = Decimal

U3 = [2, 4, 3, 4, 1, 3, 4, 5, 3, 4, 2, 4, 1, 3, 5, 2, 4, 3, 4, 3, 4, 2, 2, 5, 3, 1, 2, 3, 2, 4, 2, 3]


@pytest.mark.parametrize("name, values, expected", [
    ("U1", [3] * 32, {"precontemplation": D("3.00"), "contemplation": D("3.00"), "action": D("3.00"),
                      "maintenance": D("3.00"), "readiness": D("6.00")}),
    ("U2", [5, 2, 1, 3, 5, 1, 1, 2, 3, 1, 5, 2, 5, 1, 2, 1, 1, 1, 2, 3, 2, 1, 5, 2, 1, 5, 1, 1, 5, 1, 3, 1],
     {"precontemplation": D("5.00"), "contemplation": D("2.00"), "action": D("1.00"),
      "maintenance": D("1.00"), "readiness": D("-1.00")}),
    ("U3", U3, {"precontemplation": D("1.57"), "contemplation": D("4.43"), "action": D("3.57"),
                "maintenance": D("2.57"), "readiness": D("9.00")}),
])
def test_urica_worked_examples(name, values, expected):
    assert contract("urica", values) == expected


def test_urica_u3_readiness_is_exactly_63_over_7_not_a_sum_of_rounded_means():
    result = score(CATALOGUE.get("urica"), answers(U3))
    assert (result["readiness"].numerator, result["readiness"].denominator) == (63, 7)
    # Rounded means would give 4.43 + 3.57 + 2.57 − 1.57 = 9.00 here too; the exact sums are what count.
    assert [result[n].value * 7 for n in ("precontemplation", "contemplation", "action", "maintenance")] == [11, 31, 25, 18]


def test_urica_u3_unscored_items_4_9_20_31_do_not_affect_any_score():
    changed = list(U3)
    for number in (4, 9, 20, 31):
        changed[number - 1] = 5 if U3[number - 1] != 5 else 1
    assert contract("urica", changed) == contract("urica", U3)


@pytest.mark.parametrize("name, values, expected", [
    ("W1", [5] * 12, {"goal": 20, "task": 20, "bond": 20, "total": 60}),
    ("W2", [4, 3, 5, 2, 5, 3, 4, 3, 5, 4, 2, 3], {"goal": 10, "task": 14, "bond": 19, "total": 43}),
    ("W3", [1] * 12, {"goal": 4, "task": 4, "bond": 4, "total": 12}),
])
def test_wai_sr_worked_examples(name, values, expected):
    assert contract("wai_sr", values) == expected


@pytest.mark.parametrize("name, values, expected", [
    ("S1", [1, 1, 1, 1, 1, 1, 1], {"raw": 7, "metric": D("7.00")}),
    ("S2", [4, 3, 3, 4, 4, 3, 2], {"raw": 23, "metric": D("20.73")}),
    ("S3", [5, 4, 4, 4, 5, 4, 4], {"raw": 30, "metric": D("27.03")}),
    ("S4", [5, 5, 5, 5, 5, 5, 5], {"raw": 35, "metric": D("35.00")}),
    ("S6", [4, 3, None, 4, 4, 3, 2], {"raw": None, "metric": None}),
])
def test_swemwbs_worked_examples(name, values, expected):
    assert contract("swemwbs", values) == expected


def test_swemwbs_s5_change_is_reliable_and_meaningful():
    definition = CATALOGUE.get("swemwbs")
    before = score(definition, answers([4, 3, 3, 4, 4, 3, 2]))
    after = score(definition, answers([5, 4, 4, 4, 5, 4, 4]))
    change = compare(definition, before, after)["metric"]
    assert change.rounded_difference == D("6.30")
    assert round(change.rci, 2) == 4.33
    assert change.reliable is True
    assert change.meaningful is True


def test_swemwbs_a_change_below_2_855_points_is_not_reliable():
    definition = CATALOGUE.get("swemwbs")
    # raw 23 → 20.73 and raw 25 → 22.35: Δ 1.62 < 2.855, so not reliable and under 3 points.
    change = compare(definition, score(definition, answers([4, 3, 3, 4, 4, 3, 2])),
                     score(definition, answers([4, 4, 4, 4, 4, 3, 2])))["metric"]
    assert change.rounded_difference == D("1.62")
    assert change.reliable is False and change.meaningful is False


def test_sdps_is_absent_and_says_why():
    assert CATALOGUE.get("sdps") is None
    [sdps] = [e for e in CATALOGUE.expected if e.id == "sdps"]
    assert "were not retrievable" in sdps.missing
