"""Private links: stored only as hashes, expiring, revocable, with limited access-code tries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from survey_app.domain.invitations import VISIT_KEPT, token_hash
from survey_app.services import invitations, participant_visits, records
from survey_app.services.audit import COMMAND_LINE
from tests.factories import create_record, create_site

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def record(app, session):
    return create_record(session, records.keyrings(app.config)["service_user"], "service_user", create_site(session))


def test_only_the_hash_of_a_token_is_stored(session, record):
    link = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=True, now=NOW)
    session.commit()
    stored = " ".join(str(v) for row in session.execute(text("SELECT * FROM invitation")) for v in row)
    assert link.token not in stored and link.access_code not in stored
    assert token_hash(link.token) in stored
    assert len(link.token) >= 43  # 256 bits in URL-safe base64


def test_links_work_until_they_expire_or_are_revoked(session, record):
    link = invitations.create(session, record, "T2", COMMAND_LINE, None, with_code=False, days=14, now=NOW)
    assert invitations.find_usable(session, link.token, NOW + timedelta(days=13)) is link.invitation
    assert invitations.find_usable(session, link.token, NOW + timedelta(days=14, seconds=1)) is None
    invitations.revoke(session, link.invitation, COMMAND_LINE, now=NOW)
    assert invitations.find_usable(session, link.token, NOW) is None
    assert invitations.find_usable(session, "made-up-token", NOW) is None


def test_a_link_is_opened_with_the_progress_of_the_browser_that_asks_and_no_other(session, record):
    link = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=False, now=NOW)
    participant_visits.keep(session, "this-browser", {"invitation": link.invitation.id, "language": "ur"}, now=NOW)
    participant_visits.keep(session, "another-browser", {"invitation": link.invitation.id, "language": "ar"}, now=NOW)
    opened = invitations.open_link(session, link.token, "this-browser", now=NOW)
    assert (opened.record.id, opened.kept_progress["language"]) == (record.id, "ur")
    assert invitations.open_link(session, link.token, "unknown-browser", now=NOW).kept_progress is None
    assert invitations.open_link(session, link.token, None, now=NOW).kept_progress is None
    a_day_on = NOW + VISIT_KEPT + timedelta(seconds=1)
    assert invitations.open_link(session, link.token, "this-browser", now=a_day_on).kept_progress is None


def test_a_quick_exit_pauses_a_link_without_a_code_and_leaves_one_with_a_code_working(session, record):
    plain = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=False, now=NOW)
    coded = invitations.create(session, record, "T2", COMMAND_LINE, None, with_code=True, now=NOW)
    session.commit()
    for made in (plain, coded):
        invitations.quick_exit(session, made.invitation.id, NOW)
    assert invitations.find_usable(session, plain.token, NOW) is None
    assert invitations.find_usable(session, coded.token, NOW) is coded.invitation  # the code is asked again instead
    invitations.reopen(session, plain.invitation, COMMAND_LINE)
    assert invitations.find_usable(session, plain.token, NOW) is plain.invitation


def test_access_code_tries_are_limited_then_pause(session, record):
    link = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=True, now=NOW)
    wrong = "000000" if link.access_code != "000000" else "111111"
    outcomes = [invitations.check_code(session, link.invitation, wrong, NOW) for _ in range(5)]
    assert outcomes == ["wrong"] * 4 + ["paused"]
    assert invitations.check_code(session, link.invitation, link.access_code, NOW + timedelta(minutes=14)) == "paused"
    assert invitations.check_code(session, link.invitation, link.access_code, NOW + timedelta(minutes=16)) == "ok"


def test_a_link_belongs_to_exactly_one_store(session, record):
    link = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=False, now=NOW)
    assert link.invitation.store == "service_user"
    with pytest.raises(ValueError):
        invitations.create(session, record, "T3", COMMAND_LINE, None, with_code=False)
