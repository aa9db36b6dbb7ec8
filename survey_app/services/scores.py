"""Scores stored once: worked out by the engine when an administration is sent, and read back
everywhere else (the record page, the thank-you page, datasets) as the same Score objects,
without scoring again.

`rederive` is the check that the stored scores are still what the engine makes of the
answers: it names every difference, and with `fix` rewrites the differing scores (and fills
those of administrations sent before scores were stored).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app import clock
from survey_app.domain.catalogue import Catalogue
from survey_app.domain.instruments import Definition
from survey_app.domain.scoring import COMPLETE, INSUFFICIENT, PRORATED, Score, ScoreSet, score
from survey_app.services import audit
from survey_app.services.audit import Actor
from survey_app.services.unit_of_work import transaction
from survey_app.store.answers import Administration, Answer
from survey_app.store.scores import AdministrationScore

BATCH = 500  # administrations read at a time by `rederive`
# The engine tests statuses by identity, so a stored status is read back as the engine's own string.
STATUSES = {status: status for status in (COMPLETE, PRORATED, INSUFFICIENT)}

# An administration's scores, questionnaire by questionnaire, in the order they were given.
Scored = list[tuple[Definition, ScoreSet]]


# --- helpers: they take the caller's session and never commit ----------------------------------

def store(session: Session, administration: Administration, catalogue: Catalogue, now: datetime) -> None:
    """Work out the scores of a sent administration and add them, in the caller's transaction."""
    for _definition, result in derive(session, [administration], catalogue)[administration.id]:
        session.add_all(_row(administration.id, result, one, now) for one in result.scores.values())


def read(session: Session, administrations: list[Administration], catalogue: Catalogue) -> dict[int, Scored]:
    """The stored scores of these administrations, by administration id. Scores of a version
    the catalogue no longer has are left out, as they cannot be labelled."""
    found = _stored(session, [a.id for a in administrations])
    return {a.id: _in_given_order(a, _sets(found.get(a.id, {}), catalogue)) for a in administrations}


def derive(session: Session, administrations: list[Administration], catalogue: Catalogue) -> dict[int, Scored]:
    """What the engine makes of these administrations' answers now, by administration id."""
    responses: dict[int, dict[str, tuple[Definition, dict[int, int | None]]]] = {a.id: {} for a in administrations}
    rows = session.execute(select(Answer.administration_id, Answer.instrument_id, Answer.instrument_version,
                                  Answer.item_number, Answer.value)
                           .where(Answer.administration_id.in_(list(responses))))
    for administration_id, instrument, version, number, value in rows:
        definition = catalogue.get(instrument, version)
        if definition is not None:
            responses[administration_id].setdefault(instrument, (definition, {}))[1][number] = value
    return {a.id: _in_given_order(a, [(definition, score(definition, answers))
                                      for definition, answers in responses[a.id].values()])
            for a in administrations}


# --- the check --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Difference:
    """One score whose stored row disagrees with the answers; `stored`/`derived` say how."""

    administration_id: int
    instrument: str
    score: str
    stored: str
    derived: str

    def __str__(self) -> str:
        return (f"administration {self.administration_id}, {self.instrument}, {self.score}: "
                f"stored {self.stored}; from the answers {self.derived}")


@dataclass(frozen=True)
class Rederived:
    checked: int  # sent administrations
    differences: list[Difference] = field(default_factory=list)
    fixed: int = 0  # scores rewritten


def rederive(session: Session, catalogue: Catalogue, actor: Actor, store_name: str | None = None,
             fix: bool = False) -> Rederived:
    """Score every sent administration (of one store, or both) again from its answers and compare
    with the stored scores. Changes nothing unless `fix`: then the differing scores are rewritten,
    missing ones added, and the repair is audited."""
    with transaction(session):
        query = select(Administration.id).where(Administration.submitted_at.is_not(None))
        if store_name is not None:
            query = query.where(Administration.owner_column(store_name).is_not(None))
        ids = session.scalars(query.order_by(Administration.id)).all()
        differences: list[Difference] = []
        fixed = 0
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            administrations = session.scalars(select(Administration).where(Administration.id.in_(chunk))
                                              .order_by(Administration.id)).all()
            stored = _stored(session, chunk)
            derived = derive(session, administrations, catalogue)
            for administration in administrations:
                found = _differences(administration.id, stored.get(administration.id, {}), derived[administration.id])
                differences += found
                if fix and found:
                    fixed += _rewrite(session, administration.id, stored.get(administration.id, {}),
                                      derived[administration.id], found)
        if fixed:
            audit.record(session, actor, "scores.rederived", store_name or "",
                         {"administrations": len({d.administration_id for d in differences}), "scores": fixed})
        return Rederived(len(ids), differences, fixed)


# --- rows and sets ---------------------------------------------------------------------------

Key = tuple[str, str]  # (instrument, score)


def _stored(session: Session, ids: list[int]) -> dict[int, dict[Key, AdministrationScore]]:
    found: dict[int, dict[Key, AdministrationScore]] = {}
    for row in session.scalars(select(AdministrationScore).where(AdministrationScore.administration_id.in_(ids))
                               .order_by(AdministrationScore.id)):
        found.setdefault(row.administration_id, {})[row.instrument_id, row.score_id] = row
    return found


def _row(administration_id: int, result: ScoreSet, one: Score, now: datetime) -> AdministrationScore:
    return AdministrationScore(administration_id=administration_id, instrument_id=result.instrument,
                               instrument_version=result.version, score_id=one.name, numerator=one.numerator,
                               denominator=one.denominator, status=one.status, answered=_numbers(one.answered),
                               missing=_numbers(one.missing), computed_at=now)


def _numbers(items: tuple[int, ...]) -> str:
    return " ".join(map(str, items))


def _score(row: AdministrationScore, decimals: int) -> Score:
    """The Score the engine made, rebuilt from its row."""
    return Score(row.score_id, row.numerator, row.denominator, STATUSES.get(row.status, row.status),
                 tuple(map(int, row.answered.split())), tuple(map(int, row.missing.split())), decimals)


def _sets(rows: dict[Key, AdministrationScore], catalogue: Catalogue) -> Scored:
    """One administration's rows as score sets, each in its definition's order of scores."""
    by_instrument: dict[tuple[str, str], dict[str, AdministrationScore]] = {}
    for row in rows.values():
        by_instrument.setdefault((row.instrument_id, row.instrument_version), {})[row.score_id] = row
    found = []
    for (instrument, version), named in by_instrument.items():
        definition = catalogue.get(instrument, version)
        if definition is None:
            continue
        scores = {rule.name: _score(named[rule.name], rule.decimals) for rule in definition.scores
                  if rule.name in named}
        found.append((definition, ScoreSet(instrument, version, scores)))
    return found


def _in_given_order(administration: Administration, scored: Scored) -> Scored:
    order = {instrument: index for index, (instrument, _) in enumerate(administration.instrument_keys)}
    return sorted(scored, key=lambda pair: order.get(pair[0].id, len(order)))


# --- differences ------------------------------------------------------------------------------

def _by_key(scored: Scored) -> dict[Key, tuple[str, Score]]:
    return {(result.instrument, name): (result.version, one) for _, result in scored
            for name, one in result.scores.items()}


def _differences(administration_id: int, stored: dict[Key, AdministrationScore], derived: Scored) -> list[Difference]:
    expected = _by_key(derived)
    differences = []
    for key in [*expected, *(key for key in stored if key not in expected)]:
        row, want = stored.get(key), expected.get(key)
        if row is None:
            differences.append(Difference(administration_id, *key, "nothing", _described(*want)))
        elif want is None:
            differences.append(Difference(administration_id, *key, _described(row.instrument_version,
                                                                              _score(row, 0)), "nothing"))
        else:
            version, one = want
            had = _score(row, one.decimals)
            if (row.instrument_version, had.value, had.status, had.answered, had.missing) != \
                    (version, one.value, one.status, one.answered, one.missing):
                differences.append(Difference(administration_id, *key, _described(row.instrument_version, had),
                                              _described(version, one)))
    return differences


def _described(version: str, one: Score) -> str:
    """A score in words exact enough to see what differs: its exact value, status and items."""
    value = "no value" if one.value is None else str(one.value)
    return (f"{value} ({one.status}, version {version}, answered [{_numbers(one.answered)}], "
            f"missing [{_numbers(one.missing)}])")


def _rewrite(session: Session, administration_id: int, stored: dict[Key, AdministrationScore], derived: Scored,
             differences: list[Difference]) -> int:
    """Replace each differing score with the engine's; returns how many scores were written or removed."""
    expected = {(result.instrument, name): (result, one) for _, result in derived
                for name, one in result.scores.items()}
    now = clock.now()
    for difference in differences:
        key = (difference.instrument, difference.score)
        if key in stored:
            session.delete(stored[key])
    session.flush()  # the old rows go before their replacements meet the one-row-per-score constraint
    for difference in differences:
        key = (difference.instrument, difference.score)
        if key in expected:
            session.add(_row(administration_id, *expected[key], now))
    return len(differences)
