"""T1 and T2 windows in working days (England's bank holidays from the holidays package)."""

from __future__ import annotations

from datetime import date

import pytest

from survey_app.domain.windows import (DONE, DUE, DUE_SOON, MISSED, NOT_YET, OVERDUE, Window, add_working_days,
                                       may_remind, most_urgent, status, t1_status, t1_window, t2_window)


@pytest.mark.parametrize("start, days, expected", [
    (date(2026, 11, 20), 5, date(2026, 11, 27)),  # a plain week: Friday to Friday
    (date(2026, 12, 23), 5, date(2027, 1, 4)),  # Christmas, Boxing Day's substitute and New Year skipped
    (date(2027, 3, 25), 1, date(2027, 3, 30)),  # Good Friday and Easter Monday 2027
    (date(2026, 8, 28), 1, date(2026, 9, 1)),  # the August bank holiday (31 August 2026)
])
def test_working_days_skip_weekends_and_english_bank_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_a_service_users_t2_window_is_five_working_days_from_closure():
    assert t2_window("service_user", date(2026, 12, 23)) == Window(date(2026, 12, 23), date(2027, 1, 4))


def test_a_victim_survivors_t2_window_is_four_weeks_from_the_linked_closure():
    assert t2_window("victim_survivor", date(2026, 12, 23)) == Window(date(2026, 12, 23), date(2027, 1, 20))


def test_no_window_before_its_event():
    assert t1_window(None) is None and t2_window("service_user", None) is None
    assert status(None, date(2026, 11, 23), done=False) == NOT_YET


@pytest.mark.parametrize("today, expected", [
    (date(2026, 11, 19), NOT_YET), (date(2026, 11, 20), DUE), (date(2026, 11, 25), DUE),
    (date(2026, 11, 26), DUE_SOON), (date(2026, 11, 27), DUE_SOON), (date(2026, 11, 28), OVERDUE)])
def test_status_through_a_window(today, expected):
    window = t2_window("service_user", date(2026, 11, 20))
    assert status(window, today, done=False) == expected
    assert status(window, today, done=True) == DONE


def test_reminders_only_inside_the_window_and_never_beyond_the_limit():
    window = Window(date(2026, 11, 20), date(2026, 11, 27))
    assert may_remind(window, date(2026, 11, 23), sent=1, limit=2)
    assert not may_remind(window, date(2026, 11, 23), sent=2, limit=2)
    assert not may_remind(window, date(2026, 11, 19), sent=0, limit=2)
    assert not may_remind(window, date(2026, 11, 28), sent=0, limit=2)
    assert not may_remind(None, date(2026, 11, 23), sent=0, limit=2)


def test_a_t1_not_sent_when_the_case_closed_is_missed_not_overdue_for_ever():
    window = t1_window(date(2026, 11, 2))  # closes 16/11
    assert window.overdue_from == date(2026, 11, 17)
    assert t1_status(window, date(2026, 11, 30), done=False, closure=None) == OVERDUE
    assert t1_status(window, date(2026, 11, 30), done=False, closure=date(2026, 11, 20)) == MISSED
    assert t1_status(window, date(2026, 11, 10), done=False, closure=date(2026, 11, 9)) == MISSED  # window still open
    assert t1_status(window, date(2026, 11, 30), done=True, closure=date(2026, 11, 20)) == DONE
    assert t1_status(None, date(2026, 11, 30), done=False, closure=date(2026, 11, 20)) == NOT_YET  # never engaged


def test_what_needs_doing_first():
    assert sorted([[DONE, NOT_YET], [DUE, NOT_YET], [DONE, OVERDUE], [MISSED, DUE_SOON]], key=most_urgent) == [
        [DONE, OVERDUE], [MISSED, DUE_SOON], [DUE, NOT_YET], [DONE, NOT_YET]]
