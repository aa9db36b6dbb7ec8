"""The evaluator's register of barriers (progression criteria 4 and 10): add, change, remove.

Each change is one use case, audited in the same transaction; bad input is refused and changes nothing.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain.progression import BARRIER_CRITERIA
from survey_app.domain.text import N_, Message
from survey_app.services import audit
from survey_app.services.audit import Actor
from survey_app.services.refusal import Refused
from survey_app.services.unit_of_work import transaction
from survey_app.store.barriers import Barrier

LONGEST = 300


def add_barrier(session: Session, criterion: int, description: str, surmountable: bool, actor: Actor) -> Barrier:
    with transaction(session):
        description = _checked(criterion, description)
        now = clock.now()
        barrier = Barrier(criterion=criterion, description=description, surmountable=surmountable, recorded_at=now,
                          changed_at=now)
        session.add(barrier)
        session.flush()
        audit.record(session, actor, "barrier.added", f"barrier:{barrier.id}",
                     {"criterion": criterion, "surmountable": surmountable})
        return barrier


def change_barrier(session: Session, barrier_id: int, description: str, surmountable: bool, actor: Actor) -> None:
    with transaction(session):
        barrier = _found(session, barrier_id)
        barrier.description = _checked(barrier.criterion, description)
        barrier.surmountable, barrier.changed_at = surmountable, clock.now()
        audit.record(session, actor, "barrier.changed", f"barrier:{barrier.id}",
                     {"criterion": barrier.criterion, "surmountable": surmountable})


def remove_barrier(session: Session, barrier_id: int, actor: Actor) -> None:
    with transaction(session):
        barrier = _found(session, barrier_id)
        audit.record(session, actor, "barrier.removed", f"barrier:{barrier.id}", {"criterion": barrier.criterion})
        session.delete(barrier)


def barrier(session: Session, barrier_id: int) -> Barrier | None:
    return session.get(Barrier, barrier_id)


def _found(session: Session, barrier_id: int) -> Barrier:
    barrier = session.get(Barrier, barrier_id)
    if barrier is None:
        raise Refused(Message(N_("That barrier is no longer in the register.")))
    return barrier


def _checked(criterion: int, description: str) -> str:
    if criterion not in BARRIER_CRITERIA:
        raise Refused(Message(N_("Choose which criterion the barrier is for.")), "criterion")
    description = (description or "").strip()
    if not description:
        raise Refused(Message(N_("Describe the barrier.")), "description")
    if len(description) > LONGEST:
        raise Refused(Message(N_("Describe the barrier in %(most)s characters or fewer."), {"most": LONGEST}),
                      "description")
    return description
