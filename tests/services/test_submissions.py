"""A form's token is claimed once: two copies of the same post at the same moment record once, and a
use case that fails gives its token back, so the person can simply try again."""

from __future__ import annotations

import threading
import time

from survey_app.services import submissions

TOKEN = "t" * 32


def test_two_copies_sent_at_the_same_moment_are_acted_on_once(app):
    sessions = app.extensions["survey_sessions"]
    outcome = {}
    with sessions() as first, sessions() as second:
        assert submissions.claim(first, TOKEN)
        copy = threading.Thread(target=lambda: outcome.update(second=submissions.claim(second, TOKEN)))
        copy.start()
        time.sleep(0.3)  # the copy waits for the first transaction
        first.commit()
        copy.join(timeout=20)
        second.commit()
    assert outcome == {"second": False}


def test_a_claim_rolled_back_with_its_use_case_can_be_claimed_again(session):
    assert submissions.claim(session, TOKEN)
    session.rollback()
    assert submissions.claim(session, TOKEN)
    session.commit()
    assert not submissions.claim(session, TOKEN)


def test_a_form_without_a_token_is_always_new(session):
    assert submissions.claim(session, None) and submissions.claim(session, "")
