"""The case pathway: stages and the checks a practitioner's entry must pass."""

from __future__ import annotations

from datetime import date

import pytest

from survey_app.domain.pathway import Pathway, problems, stage

TODAY = date(2026, 11, 23)
REFERRED = Pathway(referral_date=date(2026, 9, 1))
ELIGIBLE = Pathway(date(2026, 9, 1), "eligible", date(2026, 9, 8))
ENGAGED = Pathway(date(2026, 9, 1), "eligible", date(2026, 9, 8), date(2026, 9, 20))


@pytest.mark.parametrize("pathway, expected", [
    (REFERRED, "referred"),
    (Pathway(date(2026, 9, 1), "ineligible", date(2026, 9, 3)), "not_eligible"),
    (ELIGIBLE, "awaiting_engagement"),
    (ENGAGED, "engaged"),
    (Pathway(date(2026, 9, 1), "eligible", date(2026, 9, 8), date(2026, 9, 20), date(2026, 11, 1), "completed"),
     "closed"),
])
def test_stage(pathway, expected):
    assert stage(pathway) == expected


def test_a_sound_record_has_no_problems():
    assert problems(ENGAGED, TODAY) == {}


@pytest.mark.parametrize("pathway, field, message", [
    (Pathway(date(2026, 12, 1)), "referral_date", "This date is in the future."),
    (Pathway(date(2026, 9, 1), "eligible"), "eligibility_date", "Enter the date eligibility was decided."),
    (Pathway(date(2026, 9, 1), "eligible", date(2026, 8, 1)), "eligibility_date",
     "This date is before the referral (01 September 2026)."),
    (Pathway(date(2026, 9, 1), "ineligible", date(2026, 9, 2), date(2026, 9, 5)), "first_session_date",
     "A first session can only be recorded for someone who is eligible."),
    (Pathway(date(2026, 9, 1), "eligible", date(2026, 9, 8), date(2026, 9, 20), date(2026, 9, 10), "completed"),
     "closure_date", "This date is before the first session (20 September 2026)."),
    (Pathway(date(2026, 9, 1), "eligible", date(2026, 9, 8), None, date(2026, 10, 1), "other"),
     "closure_reason", "Say why the case closed."),
    (Pathway(date(2026, 9, 1), "eligible", date(2026, 9, 8), None, date(2026, 10, 1), "finished"),
     "closure_outcome", "Choose how the case closed"),
    (Pathway(date(2026, 9, 1), closure_outcome="completed"), "closure_date", "Enter the date the case closed."),
])
def test_problems_name_the_field_and_say_what_to_do(pathway, field, message):
    assert message in str(problems(pathway, TODAY)[field])
