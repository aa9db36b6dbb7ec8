"""Access rules and phone numbers."""

from __future__ import annotations

import pytest

from survey_app.domain.access import ROLES, may_open, store_for, totp_required
from survey_app.domain.contact import InvalidPhone, normalise_phone


def test_each_practitioner_role_reaches_only_its_own_store_at_its_own_sites():
    assert may_open("case_manager", {1, 2}, "service_user", 2)
    assert not may_open("case_manager", {1, 2}, "service_user", 3)
    assert not may_open("case_manager", {1, 2}, "victim_survivor", 1)
    assert may_open("partner_support_worker", {3}, "victim_survivor", 3)
    assert not may_open("partner_support_worker", {3}, "service_user", 3)


@pytest.mark.parametrize("role", ["admin", "evaluator"])
def test_admins_and_evaluators_open_no_records(role):
    assert store_for(role) is None
    assert not any(may_open(role, {1}, store, 1) for store in ("service_user", "victim_survivor"))
    assert totp_required(role)


def test_totp_is_optional_for_practitioners():
    assert [r for r in ROLES if not totp_required(r)] == ["case_manager", "partner_support_worker"]


def test_phone_numbers_are_stored_in_international_form():
    assert normalise_phone("07911 123456") == "+447911123456"
    assert normalise_phone("+44 (0)7911-123456") == "+447911123456"


def test_the_drama_range_is_accepted_only_in_demo_mode():
    assert normalise_phone("07700 900123", demo=True) == "+447700900123"
    with pytest.raises(InvalidPhone, match="not a phone number in use"):
        normalise_phone("07700 900123")


@pytest.mark.parametrize("text", ["", "hello", "12"])
def test_rubbish_is_refused_with_an_example(text):
    with pytest.raises(InvalidPhone):
        normalise_phone(text)
