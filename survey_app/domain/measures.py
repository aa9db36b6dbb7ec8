"""Which measures a person completes at each timepoint, and the order of their questions.

The measure sets come from the study's list of expected instruments (instruments/expected.yaml):
an instrument belongs to every timepoint it names for its audience. An instrument the study
expects but nobody has published yet (SDPS, until an admin adds its licensed items) is left
out of what the participant sees and reported to staff, so the rest can go ahead. So is a
version whose wording an admin has not yet confirmed, where the mode requires it (production).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from survey_app.domain.catalogue import Catalogue, Expected
from survey_app.domain.instruments import Definition
from survey_app.domain.text import N_
from survey_app.domain.verification import usable

TIMEPOINTS = ("T1", "T2")

# Why an item has no answer. The participant can only skip; staff reading items aloud can
# also record that the person declined it or did not understand it.
SKIPPED, DECLINED, NOT_UNDERSTOOD = "skipped", "declined", "not_understood"
MISSING_REASONS = {SKIPPED: N_("Skipped"), DECLINED: N_("Declined to answer"),
                   NOT_UNDERSTOOD: N_("Did not understand the question")}


# Why an expected measure is left out of a set.
MISSING = "missing"  # no published version yet
UNCONFIRMED = "unconfirmed"  # its latest version waits for an admin to confirm its wording


@dataclass(frozen=True)
class Unavailable:
    """An expected measure that is left out, and why: staff are told, the rest go ahead."""

    expected: Expected
    reason: str  # MISSING or UNCONFIRMED
    definition: Definition | None = None  # the version waiting for confirmation

    @property
    def id(self) -> str:
        return self.expected.id


@dataclass(frozen=True)
class MeasureSet:
    audience: str
    timepoint: str
    definitions: tuple[Definition, ...]  # in the order they are given
    unavailable: tuple[Unavailable, ...]  # expected but not offered: shown to staff, skipped here

    @property
    def instrument_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.definitions)


def measure_set(catalogue: Catalogue, audience: str, timepoint: str, *, confirmation_required: bool,
                confirmed: Collection[str] = frozenset()) -> MeasureSet:
    """The latest published version of each measure expected here, unless it is missing or (where
    confirmation is required) its wording is not confirmed; `confirmed` holds the confirmed hashes."""
    wanted = [e for e in catalogue.expected if e.audience == audience and timepoint in e.timepoints]
    given, left_out = [], []
    for expected in wanted:
        definition = catalogue.get(expected.id)
        if definition is None:
            left_out.append(Unavailable(expected, MISSING))
        elif not usable(definition, confirmation_required, confirmed):
            left_out.append(Unavailable(expected, UNCONFIRMED, definition))
        else:
            given.append(definition)
    return MeasureSet(audience, timepoint, tuple(given), tuple(left_out))


@dataclass(frozen=True)
class Step:
    """One question of an administration: an item of one instrument."""

    instrument: str
    item: int


def steps(definitions: Iterable[Definition]) -> tuple[Step, ...]:
    return tuple(Step(d.id, item.number) for d in definitions for item in d.items)


@dataclass(frozen=True)
class Progress:
    steps: tuple[Step, ...]
    done: frozenset[Step]  # answered, or recorded as missing with a reason

    @property
    def next_step(self) -> Step | None:
        """The first question with nothing recorded: where a person who stopped resumes."""
        return next((s for s in self.steps if s not in self.done), None)

    @property
    def complete(self) -> bool:
        return self.next_step is None

    def position(self, step: Step) -> tuple[int, int]:
        """(n, of) for "Question n of N" within the step's own questionnaire."""
        own = [s for s in self.steps if s.instrument == step.instrument]
        return own.index(step) + 1, len(own)

    def previous(self, step: Step) -> Step | None:
        index = self.steps.index(step)
        return self.steps[index - 1] if index else None

    def following(self, step: Step) -> Step | None:
        index = self.steps.index(step)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None
