"""The programme's case pathway: referral, eligibility, engagement, closure.

The same pathway serves both record stores. Functions here check that a change makes sense
(dates in order, a reason where one is needed) and name the stage a case is at; they never
touch a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from survey_app.domain.text import N_, Message

# Each choice, with the words staff see (the forms offer exactly these).
REFERRAL_SOURCES = {"childrens_social_care": N_("Children's social care"), "early_help": N_("Early Help"),
                    "housing": N_("Housing"), "other": N_("Other")}
ELIGIBILITY = {"pending": N_("Not decided yet"), "eligible": N_("Eligible"), "ineligible": N_("Not eligible")}
CLOSURE_OUTCOMES = {"completed": N_("Completed"), "disengaged": N_("Disengaged"), "other": N_("Other")}

# Stages, in pathway order, with the words staff see.
STAGES = {
    "referred": N_("Referred: eligibility not yet decided"),
    "not_eligible": N_("Not eligible"),
    "awaiting_engagement": N_("Eligible: waiting for the first session"),
    "engaged": N_("Engaged"),
    "closed": N_("Closed"),
}


@dataclass(frozen=True)
class Pathway:
    referral_date: date
    eligibility: str = "pending"
    eligibility_date: date | None = None
    first_session_date: date | None = None
    closure_date: date | None = None
    closure_outcome: str | None = None
    closure_reason: str | None = None


def stage(pathway: Pathway) -> str:
    if pathway.closure_date is not None:
        return "closed"
    if pathway.eligibility == "ineligible":
        return "not_eligible"
    if pathway.eligibility == "pending":
        return "referred"
    if pathway.first_session_date is None:
        return "awaiting_engagement"
    return "engaged"


def problems(pathway: Pathway, today: date) -> dict[str, Message]:
    """Field name -> what is wrong, in words for the practitioner. Empty when the record is sound."""
    found: dict[str, Message] = {}
    dates = [("referral_date", pathway.referral_date), ("eligibility_date", pathway.eligibility_date),
             ("first_session_date", pathway.first_session_date), ("closure_date", pathway.closure_date)]
    for name, value in dates:
        if value is not None and value > today:
            found[name] = Message(N_("This date is in the future. Enter the date it happened."))
    if pathway.eligibility not in ELIGIBILITY:
        found["eligibility"] = Message(N_("Choose whether the person is eligible."))
    if pathway.eligibility != "pending" and pathway.eligibility_date is None:
        found["eligibility_date"] = Message(N_("Enter the date eligibility was decided."))
    if pathway.first_session_date is not None and pathway.eligibility != "eligible":
        found["first_session_date"] = Message(N_("A first session can only be recorded for someone who is eligible."))
    _check_order(found, dates)
    _check_closure(found, pathway)
    return found


def _check_order(found: dict[str, Message], dates: list[tuple[str, date | None]]) -> None:
    # Whole sentences, so each language can word them its own way.
    before = {"referral_date": N_("This date is before the referral (%(date)s)."),
              "eligibility_date": N_("This date is before the eligibility decision (%(date)s)."),
              "first_session_date": N_("This date is before the first session (%(date)s).")}
    known = [(name, value) for name, value in dates if value is not None]
    for (earlier_name, earlier), (later_name, later) in zip(known, known[1:]):
        if later < earlier and later_name not in found:
            found[later_name] = Message(before[earlier_name], {"date": earlier})


def _check_closure(found: dict[str, Message], pathway: Pathway) -> None:
    if pathway.closure_date is None:
        if pathway.closure_outcome is not None:
            found["closure_date"] = Message(N_("Enter the date the case closed."))
        return
    if pathway.closure_outcome not in CLOSURE_OUTCOMES:
        found["closure_outcome"] = Message(N_("Choose how the case closed: completed, disengaged or other."))
    elif pathway.closure_outcome == "other" and not (pathway.closure_reason or "").strip():
        found["closure_reason"] = Message(N_("Say why the case closed."))
