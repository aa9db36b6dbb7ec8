"""What web tests share: a clock fixed at one moment, so no page test depends on the day it runs."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from survey_app import clock

# A Monday in term time, away from bank holidays: the day web tests take as today.
WEB_TESTS_START = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_clock():
    with clock.set_to(WEB_TESTS_START):
        yield WEB_TESTS_START
