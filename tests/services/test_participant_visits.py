"""A browser's progress with a link, kept on the server under the hash of the cookie's random key."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from survey_app.domain.invitations import VISIT_KEPT
from survey_app.services import participant_visits
from survey_app.store.visits import ParticipantVisit


def test_progress_is_found_by_its_key_only_and_the_key_itself_is_not_stored(session):
    participant_visits.keep(session, "a-random-key", {"language": "ur", "code_at": 1.5})
    assert participant_visits.load(session, "a-random-key") == {"language": "ur", "code_at": 1.5}
    assert participant_visits.load(session, "another-key") is None
    assert "a-random-key" not in session.scalars(select(ParticipantVisit.key_hash)).all()


def test_keeping_again_replaces_and_forgetting_removes(session):
    participant_visits.keep(session, "key", {"language": "ur"})
    participant_visits.keep(session, "key", {"language": "ar"})
    assert participant_visits.load(session, "key") == {"language": "ar"}
    participant_visits.forget(session, "key")
    assert participant_visits.load(session, "key") is None


def test_progress_is_forgotten_a_day_after_it_last_changed(session):
    start = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
    participant_visits.keep(session, "old", {"language": "cy"}, now=start)
    assert participant_visits.load(session, "old", start + VISIT_KEPT) == {"language": "cy"}
    later = start + VISIT_KEPT + timedelta(seconds=1)
    assert participant_visits.load(session, "old", later) is None
    participant_visits.keep(session, "new", {"language": "en"}, now=later)  # a later save clears expired ones
    assert session.scalars(select(ParticipantVisit.key_hash)).all() == [participant_visits.hashed("new")]
