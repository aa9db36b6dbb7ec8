"""Change from T1 to T2 on the evaluator's dashboard: for each score of each measure given at both
timepoints, the mean change with its 95% interval, Cohen's d_z and the reliable-change counts
(domain/paired_change.py says how each is worked out).

Read from the stored scores (store/scores.py), never by scoring again, for the people the
dashboard's filters choose. A person's pair is their first sent T1 and first sent T2
questionnaire; a score counts when both have a value of the same instrument version (a score
without enough answers has none). Withdrawn people whose answers were kept count, as they do in
criteria 6 to 9.

The database adds the differences up, so the rows read grow with the number of scores, never
with the number of people: two statements per store. The first finds the denominators the stored
values have (a few per score), so that the second can count reliable changes by comparing whole
numbers: a difference written k / (d1 × d2) is reliable when |k| reaches
`domain.change.least_reliable_step`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, null, select
from sqlalchemy.orm import Session, aliased

from survey_app.domain.catalogue import Catalogue
from survey_app.domain.change import least_reliable_step
from survey_app.domain.instruments import Definition, ScoreRule
from survey_app.domain.paired_change import ChangeSummary, Differences, summarise
from survey_app.services.progress import Filters, chosen
from survey_app.store.answers import Administration
from survey_app.store.records import MODELS
from survey_app.store.scores import AdministrationScore

BEFORE, AFTER = "T1", "T2"

# (instrument, version, score) -> the sums of its differences
Key = tuple[str, str, str]


@dataclass(frozen=True)
class MeasureChange:
    definition: Definition
    score: ScoreRule
    summary: ChangeSummary

    @property
    def has_rci(self) -> bool:
        return self.summary.reliable is not None


def change(session: Session, catalogue: Catalogue, filters: Filters = Filters()) -> list[MeasureChange]:
    """Every score of every published measure the chosen cohorts answer at T1 and T2: service users' first."""
    definitions = [d for store in filters.stores for d in catalogue.published.values()
                   if d.audience == store and {BEFORE, AFTER} <= set(d.timepoints)]
    found: dict[Key, Differences] = {}
    for store in filters.stores:
        for key, sums in differences(session, store, filters, catalogue).items():
            found[key] = found.get(key, Differences()) + sums
    return [MeasureChange(d, rule, summarise(found.get((d.id, d.version, rule.name), Differences()),
                                             _rule_has_rci(d, rule.name)))
            for d in definitions for rule in d.scores]


def differences(session: Session, store: str, filters: Filters, catalogue: Catalogue) -> dict[Key, Differences]:
    """The sums of the paired differences of each score, for one store's chosen people."""
    pairs, before, after = _pairs(store, filters)
    key_columns = (before.instrument_id, before.instrument_version, before.score_id)
    denominators = (before.denominator, after.denominator)
    steps = {}
    for instrument, version, score, d1, d2 in session.execute(
            pairs.with_only_columns(*key_columns, *denominators).distinct()):
        rule = _rule(catalogue, instrument, version, score)
        step = None if rule is None else least_reliable_step(rule, d1 * d2)
        if step is not None:
            steps[and_(*(column == value for column, value in zip(key_columns + denominators,
                                                                   (instrument, version, score, d1, d2))))] = step
    k = after.numerator * before.denominator - before.numerator * after.denominator  # the difference × d1 × d2
    up = down = literal(0)
    if steps:  # a score without a rule has no step: NULL, and counts nothing
        least = case(*steps.items(), else_=null())
        up, down = (func.coalesce(func.sum(case((reliable, 1), else_=0)), 0) for reliable in (k >= least, k <= -least))
    sums = pairs.with_only_columns(*key_columns, *denominators, func.count(), func.sum(k), func.sum(k * k), up, down
                                   ).group_by(*key_columns, *denominators)
    found: dict[Key, Differences] = {}
    for instrument, version, score, d1, d2, count, total, squares, up, down in session.execute(sums):
        key = (instrument, version, score)
        found[key] = found.get(key, Differences()) + Differences.over(
            d1 * d2, count, int(total), int(squares), int(up), int(down))
    return found


def _pairs(store: str, filters: Filters):
    """SELECT … FROM the chosen people, joined to the scores of their first sent T1 and T2 questionnaires,
    one row per score both have a value of; and the two score aliases (T1, T2)."""
    model = MODELS[store]
    owner = Administration.owner_column(store)
    first = (select(owner.label("person"), Administration.timepoint.label("timepoint"),
                    func.min(Administration.id).label("id"))
             .where(owner.is_not(None), Administration.submitted_at.is_not(None))
             .group_by(owner, Administration.timepoint).subquery())
    t1, t2 = first.alias("t1"), first.alias("t2")
    before, after = aliased(AdministrationScore, name="before"), aliased(AdministrationScore, name="after")
    query = (select(model.id).select_from(model)
             .join(t1, and_(t1.c.person == model.id, t1.c.timepoint == BEFORE))
             .join(t2, and_(t2.c.person == model.id, t2.c.timepoint == AFTER))
             .join(before, before.administration_id == t1.c.id)
             .join(after, and_(after.administration_id == t2.c.id, after.instrument_id == before.instrument_id,
                               after.instrument_version == before.instrument_version,
                               after.score_id == before.score_id))
             .where(before.numerator.is_not(None), after.numerator.is_not(None), *chosen(model, filters)))
    return query, before, after


def _rule(catalogue: Catalogue, instrument: str, version: str, score: str):
    definition = catalogue.get(instrument, version)
    return None if definition is None else definition.change_rule(score)


def _rule_has_rci(definition: Definition, score: str) -> bool:
    rule = definition.change_rule(score)
    return rule is not None and rule.reliable_square() is not None
