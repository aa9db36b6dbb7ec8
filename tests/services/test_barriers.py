"""The barrier register: each change audited, bad input refused, criteria 4 and 10 rated from it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.services import barriers, progress
from survey_app.services.audit import COMMAND_LINE
from survey_app.services.refusal import Refused
from survey_app.store.audit import AuditEntry
from survey_app.store.barriers import Barrier


def ratings(session):
    found = {f.number: f.rating for f in progress.progress(session).criteria}
    return found[4], found[10]


def test_ratings_follow_the_register(session):
    assert ratings(session) == ("green", "green")
    for n in range(4):
        barriers.add_barrier(session, 10, f"Barrier {n}", True, COMMAND_LINE)
    assert ratings(session) == ("green", "amber")
    made = barriers.add_barrier(session, 4, "Interpreters are hard to book", False, COMMAND_LINE)
    assert ratings(session) == ("red", "amber")
    barriers.change_barrier(session, made.id, "Interpreters are hard to book", True, COMMAND_LINE)
    assert ratings(session) == ("green", "amber")
    barriers.remove_barrier(session, made.id, COMMAND_LINE)

    actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.sequence))]
    assert actions.count("barrier.added") == 5
    assert actions[-2:] == ["barrier.changed", "barrier.removed"]


@pytest.mark.parametrize("criterion, description, field", [(3, "Too few referrals", "criterion"),
                                                           (4, "   ", "description"), (4, "x" * 301, "description")])
def test_bad_input_is_refused_and_changes_nothing(session, criterion, description, field):
    with pytest.raises(Refused) as refused:
        barriers.add_barrier(session, criterion, description, True, COMMAND_LINE)
    assert refused.value.field == field
    assert session.scalars(select(Barrier)).all() == []
