"""The rules behind a link's quick exit and its access code's timeout, without a server."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from survey_app.domain.invitations import LinkState, code_still_fresh, pauses_on_exit, usable

NOW = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)
FIFTEEN_MINUTES = timedelta(minutes=15)


def test_a_code_holds_while_pages_keep_being_opened_and_lapses_after_the_timeout():
    seen = int(NOW.timestamp())
    assert code_still_fresh(seen, seen + 15 * 60, FIFTEEN_MINUTES)
    assert not code_still_fresh(seen, seen + 15 * 60 + 1, FIFTEEN_MINUTES)
    assert not code_still_fresh(None, seen, FIFTEEN_MINUTES)  # never entered (or from before the timeout existed)


def test_only_a_link_without_a_code_pauses_after_a_quick_exit():
    assert pauses_on_exit(has_code=False)
    assert not pauses_on_exit(has_code=True)


def test_a_paused_link_is_not_usable():
    assert usable(LinkState(NOW + timedelta(days=1), None), NOW)
    assert not usable(LinkState(NOW + timedelta(days=1), None, paused_at=NOW), NOW)
