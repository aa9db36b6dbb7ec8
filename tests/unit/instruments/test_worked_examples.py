"""The worked examples of the reference (instruments.md §1.10, §2.10, §3.8), scored from the YAML files.

Each definition is read with yaml.safe_load and built with build_definition, so these tests score
exactly what is in the file. Inputs and expected outputs are copied by hand from the reference's
published examples, never computed with the engine.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from survey_app.domain.change import compare
from survey_app.domain.instruments import build_definition
from survey_app.domain.scoring import COMPLETE, INSUFFICIENT, score

INSTRUMENTS = Path(__file__).resolve().parents[3] / "instruments"
D = Decimal


@lru_cache(maxsize=None)
def definition(instrument: str):
    data = yaml.safe_load((INSTRUMENTS / instrument / "1.0.yaml").read_text(encoding="utf-8"))
    return build_definition(data)


def answers(values: list) -> dict[int, int | None]:
    return dict(enumerate(values, start=1))


def scored(instrument: str, values: list):
    return score(definition(instrument), answers(values))


def contract(instrument: str, values: list) -> dict:
    result = scored(instrument, values).as_contract()
    assert (result["instrument"], result["version"]) == (instrument, "1.0")
    return result["scores"]


# --- URICA (§1.10): vectors are items 1→32 ------------------------------------------------

U1 = [3] * 32
U2 = [5, 2, 1, 3, 5, 1, 1, 2, 3, 1, 5, 2, 5, 1, 2, 1, 1, 1, 2, 3, 2, 1, 5, 2, 1, 5, 1, 1, 5, 1, 3, 1]
U3 = [2, 4, 3, 4, 1, 3, 4, 5, 3, 4, 2, 4, 1, 3, 5, 2, 4, 3, 4, 3, 4, 2, 2, 5, 3, 1, 2, 3, 2, 4, 2, 3]
SUBSCALES = ("precontemplation", "contemplation", "action", "maintenance")


@pytest.mark.parametrize("name, values, expected", [
    ("U1", U1, {"precontemplation": D("3.00"), "contemplation": D("3.00"), "action": D("3.00"),
                "maintenance": D("3.00"), "readiness": D("6.00")}),
    ("U2", U2, {"precontemplation": D("5.00"), "contemplation": D("2.00"), "action": D("1.00"),
                "maintenance": D("1.00"), "readiness": D("-1.00")}),
    ("U3", U3, {"precontemplation": D("1.57"), "contemplation": D("4.43"), "action": D("3.57"),
                "maintenance": D("2.57"), "readiness": D("9.00")}),
])
def test_urica_worked_examples(name, values, expected):
    result = contract("urica", values)
    assert result == expected
    assert list(result) == [*SUBSCALES, "readiness"]
    assert all(str(value) == format(expected[key], "f") for key, value in result.items())  # 2 places kept


@pytest.mark.parametrize("name, values, sums", [
    ("U1", U1, {"precontemplation": 21, "contemplation": 21, "action": 21, "maintenance": 21}),
    ("U2", U2, {"precontemplation": 35, "contemplation": 14, "action": 7, "maintenance": 7}),
    ("U3", U3, {"precontemplation": 11, "contemplation": 31, "action": 25, "maintenance": 18}),
])
def test_urica_subscales_are_exact_sums_over_7(name, values, sums):
    result = scored("urica", values)
    for subscale, total in sums.items():
        assert result[subscale].value == Fraction(total, 7)
        assert result[subscale].status == COMPLETE


def test_urica_u3_readiness_is_exactly_63_over_7():
    result = scored("urica", U3)
    # (31 + 25 + 18 − 11) / 7 = 63/7 = 9 exactly: computed from the sums, not from rounded means.
    assert result["readiness"].value == Fraction(63, 7) == 9
    assert result["readiness"].status == COMPLETE


def test_urica_u2_readiness_is_minus_one():
    assert scored("urica", U2)["readiness"].value == Fraction(2 + 1 + 1 - 5)


def test_urica_u3_items_4_9_20_31_do_not_affect_any_score():
    # U3 answers item 4 with 4, item 9 with 3, item 20 with 3 and item 31 with 2.
    assert [U3[n - 1] for n in (4, 9, 20, 31)] == [4, 3, 3, 2]
    expected = contract("urica", U3)
    for replacement in (1, 2, 3, 4, 5):
        changed = list(U3)
        for number in (4, 9, 20, 31):
            changed[number - 1] = replacement
        assert contract("urica", changed) == expected
    without_them = {n: v for n, v in answers(U3).items() if n not in (4, 9, 20, 31)}
    assert score(definition("urica"), without_them).as_contract()["scores"] == expected


def test_urica_a_missing_scored_item_leaves_its_subscale_and_readiness_uncomputed():
    # §1.7 platform rule: no published missing-item rule, so no prorating.
    values = list(U3)
    values[0] = None  # item 1 is a precontemplation item
    result = scored("urica", values)
    assert result["precontemplation"].status == INSUFFICIENT
    assert result["readiness"].status == INSUFFICIENT
    assert result.as_contract()["scores"] == {"precontemplation": None, "contemplation": D("4.43"),
                                              "action": D("3.57"), "maintenance": D("2.57"), "readiness": None}


# --- WAI-SR (§2.10): items 1→12 -----------------------------------------------------------

@pytest.mark.parametrize("name, values, expected", [
    ("W1", [5] * 12, {"goal": 20, "task": 20, "bond": 20, "total": 60}),
    ("W2", [4, 3, 5, 2, 5, 3, 4, 3, 5, 4, 2, 3], {"goal": 10, "task": 14, "bond": 19, "total": 43}),
    ("W3", [1] * 12, {"goal": 4, "task": 4, "bond": 4, "total": 12}),
])
def test_wai_sr_worked_examples(name, values, expected):
    result = contract("wai_sr", values)
    assert result == expected
    assert all(type(value) is int for value in result.values())  # integer scores


# --- SWEMWBS (§3.8): items 1→7 ------------------------------------------------------------

S1 = [1, 1, 1, 1, 1, 1, 1]
S2 = [4, 3, 3, 4, 4, 3, 2]
S3 = [5, 4, 4, 4, 5, 4, 4]
S4 = [5, 5, 5, 5, 5, 5, 5]
S6 = [4, 3, None, 4, 4, 3, 2]


@pytest.mark.parametrize("name, values, expected", [
    ("S1", S1, {"raw": 7, "metric": D("7.00")}),
    ("S2", S2, {"raw": 23, "metric": D("20.73")}),
    ("S3", S3, {"raw": 30, "metric": D("27.03")}),
    ("S4", S4, {"raw": 35, "metric": D("35.00")}),
])
def test_swemwbs_worked_examples(name, values, expected):
    result = contract("swemwbs", values)
    assert result == expected
    assert str(result["metric"]) == format(expected["metric"], "f")  # 7.00 and 35.00 keep two places
    assert scored("swemwbs", values)["metric"].status == COMPLETE


def test_swemwbs_s6_an_incomplete_administration_is_not_scored():
    result = scored("swemwbs", S6)
    assert result.as_contract()["scores"] == {"raw": None, "metric": None}
    assert result["raw"].status == INSUFFICIENT and result["metric"].status == INSUFFICIENT
    assert result["raw"].missing == (3,)


def test_swemwbs_s5_change_from_s2_to_s3_is_reliable_and_meaningful():
    swemwbs = definition("swemwbs")
    change = compare(swemwbs, scored("swemwbs", S2), scored("swemwbs", S3))["metric"]
    assert (change.before.rounded, change.after.rounded) == (D("20.73"), D("27.03"))
    assert change.difference == Fraction("6.30")
    assert change.rounded_difference == D("6.30")
    assert round(change.rci, 2) == 4.33  # 6.30 / 1.4566
    assert change.rci > 1.96 and change.reliable is True
    assert change.meaningful is True  # Δ ≥ 3


def test_swemwbs_s5_rci_uses_shah_sem_1_03():
    # SE_diff = √2 × 1.03 = 1.4566; |Δmetric| ≥ 1.96 × 1.4566 = 2.855 is reliable.
    rule = definition("swemwbs").change_rule("metric")
    assert (rule.sem, rule.z, rule.meaningful_points) == (Fraction("1.03"), Fraction("1.96"), 3)
    assert round(2 ** 0.5 * rule.standard_error(), 4) == 1.4566


def test_swemwbs_change_with_an_incomplete_administration_is_not_computed():
    swemwbs = definition("swemwbs")
    change = compare(swemwbs, scored("swemwbs", S6), scored("swemwbs", S3))["metric"]
    assert change.difference is None and change.rci is None and change.reliable is None


def test_swemwbs_a_change_under_2_855_points_is_neither_reliable_nor_meaningful():
    # From the §3.6 table: raw 23 → 20.73 and raw 25 → 22.35, so Δ = 1.62 (< 2.855 and < 3).
    swemwbs = definition("swemwbs")
    change = compare(swemwbs, scored("swemwbs", S2), scored("swemwbs", [4, 4, 4, 4, 4, 3, 2]))["metric"]
    assert change.rounded_difference == D("1.62")
    assert change.reliable is False and change.meaningful is False
