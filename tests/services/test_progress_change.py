"""Change from T1 to T2 on the dashboard, read from stored scores: every figure is compared with one
computed here from the raw answers (scored by hand, with the keys written out as in bench/scoring.py)."""

from __future__ import annotations

import random
import statistics
from datetime import date
from fractions import Fraction
from math import sqrt

import pytest
from scipy import stats
from sqlalchemy import select

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain.paired_change import DECREASE, INCREASE, NO_CHANGE
from survey_app.services import records
from survey_app.services.progress import Filters
from survey_app.services.progress_change import change
from survey_app.store.answers import Administration, Answer
from survey_app.store.records import MODELS
from tests.factories import create_record, create_sent_administration, create_site

URICA_KEYS = {"precontemplation": (1, 5, 11, 13, 23, 26, 29), "contemplation": (2, 8, 12, 15, 19, 21, 24),
              "action": (3, 7, 10, 14, 17, 25, 30), "maintenance": (6, 16, 18, 22, 27, 28, 32)}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(instruments_dir())


def by_hand(instrument: str, answers: dict[int, int | None], catalogue) -> dict[str, Fraction | None]:
    """Every score of one questionnaire from its answers; None where an item of it is missing."""
    if instrument == "swemwbs":
        values = [answers.get(n) for n in range(1, 8)]
        raw = None if None in values else sum(values)
        table = dict(catalogue.get("swemwbs").score_rule("metric").table)
        return {"raw": raw, "metric": None if raw is None else table[raw]}
    sums = {name: None if None in (v := [answers.get(n) for n in items]) else sum(v)
            for name, items in URICA_KEYS.items()}
    scores = {name: None if total is None else Fraction(total, 7) for name, total in sums.items()}
    scores["readiness"] = None if None in sums.values() else Fraction(
        sums["contemplation"] + sums["action"] + sums["maintenance"] - sums["precontemplation"], 7)
    return scores


def make_people(app, session, catalogue, rng):
    """Service users (URICA) and (ex-)partners (SWEMWBS) at two sites: most with T1 and T2, some with T1 only,
    a few with a declined item (so some scores have no value and make no pair)."""
    rings = records.keyrings(app.config)
    camden, croydon = create_site(session, "Camden"), create_site(session, "Croydon")
    for store, instrument, items, people in (("service_user", "urica", 32, 14), ("victim_survivor", "swemwbs", 7, 12)):
        for n in range(people):
            site = camden if n % 3 else croydon
            record = create_record(session, rings[store], store, site,
                                   referral_date=date(2026, 3, 1) if n % 2 else date(2026, 9, 1))
            timepoints = ("T1",) if n % 7 == 6 else ("T1", "T2")
            for timepoint in timepoints:
                declined = (rng.randint(1, items),) if rng.random() < 0.15 else ()
                create_sent_administration(session, record, catalogue, timepoint,
                                           {instrument: [rng.randint(1, 5) for _ in range(items)]}, declined)
    session.commit()
    return camden, croydon


def independently(session, catalogue, filters: Filters) -> dict[tuple[str, str], list[Fraction]]:
    """(instrument, score) -> the differences T2 − T1, from the raw answers of the chosen people."""
    answers: dict[tuple[int, str], dict[int, int | None]] = {}
    for answer in session.scalars(select(Answer)):
        answers.setdefault((answer.administration_id, answer.instrument_id), {})[answer.item_number] = answer.value
    differences: dict[tuple[str, str], list[Fraction]] = {}
    for store, instrument in (("service_user", "urica"), ("victim_survivor", "swemwbs")):
        if store not in filters.stores:
            continue
        for person in session.scalars(select(MODELS[store])):
            if filters.site_id not in (None, person.site_id) or (filters.start and
                                                                  person.referral_date < filters.start):
                continue
            sent = {a.timepoint: a for a in session.scalars(select(Administration).where(
                Administration.owner_column(store) == person.id, Administration.submitted_at.is_not(None)))}
            if {"T1", "T2"} - set(sent):
                continue
            before, after = (by_hand(instrument, answers[sent[t].id, instrument], catalogue) for t in ("T1", "T2"))
            for name in before:
                if before[name] is not None and after[name] is not None:
                    differences.setdefault((instrument, name), []).append(Fraction(after[name]) - before[name])
    return differences


@pytest.mark.parametrize("choose", [
    lambda camden, croydon: Filters(),
    lambda camden, croydon: Filters(site_id=camden.id),
    lambda camden, croydon: Filters(cohort="victim_survivor"),
    lambda camden, croydon: Filters(start=date(2026, 6, 1)),
    lambda camden, croydon: Filters(site_id=croydon.id, start=date(2026, 6, 1)),  # 2 pairs: hidden
])
def test_every_change_figure_matches_one_computed_from_the_raw_answers(app, session, catalogue, choose):
    filters = choose(*make_people(app, session, catalogue, random.Random(12)))

    found = change(session, catalogue, filters)
    expected = independently(session, catalogue, filters)

    scores = {"service_user": [("urica", name) for name in (*URICA_KEYS, "readiness")],
              "victim_survivor": [("swemwbs", "raw"), ("swemwbs", "metric")]}
    assert [(m.definition.id, m.score.name) for m in found] == [key for store in filters.stores
                                                                for key in scores[store]]
    for measure in found:
        differences = expected.get((measure.definition.id, measure.score.name), [])
        summary = measure.summary
        if len(differences) < 5:
            assert summary.pairs == (None if differences else 0)
            assert summary.mean is None
            continue
        n = len(differences)
        sd = statistics.stdev(float(d) for d in differences)
        low, high = stats.t.interval(0.95, n - 1, loc=float(statistics.mean(differences)), scale=sd / sqrt(n))
        assert summary.pairs == n
        assert summary.mean == statistics.mean(differences)
        assert (summary.low, summary.high, summary.sd) == pytest.approx((low, high, sd), rel=1e-9)
        assert summary.effect_size == pytest.approx(float(statistics.mean(differences)) / sd, rel=1e-9)
        if measure.definition.id == "swemwbs" and measure.score.name == "metric":
            rci = [float(d) / (sqrt(2) * 1.03) for d in differences]
            counts = {INCREASE: sum(r >= 1.96 for r in rci), DECREASE: sum(r <= -1.96 for r in rci)}
            counts[NO_CHANGE] = n - counts[INCREASE] - counts[DECREASE]
            assert {k: v for k, v in summary.reliable.items() if v is not None} == {
                k: v for k, v in counts.items() if summary.reliable[k] is not None}
            assert sum(v is None for v in summary.reliable.values()) != 1
            assert all(v >= 5 or v == 0 for v in summary.reliable.values() if v is not None)
        else:
            assert summary.reliable is None  # no standard error in the definition


def test_a_score_without_a_value_at_either_time_makes_no_pair(app, session, catalogue):
    rings = records.keyrings(app.config)
    site = create_site(session)
    for n in range(6):
        record = create_record(session, rings["victim_survivor"], "victim_survivor", site)
        create_sent_administration(session, record, catalogue, "T1", {"swemwbs": [3] * 7})
        create_sent_administration(session, record, catalogue, "T2", {"swemwbs": [4] * 7},
                                   declined=(1,) if n == 0 else ())
    session.commit()

    found = {m.score.name: m.summary for m in change(session, catalogue, Filters(cohort="victim_survivor"))}

    assert found["raw"].pairs == 5 and found["raw"].mean == 7 and found["raw"].effect_size is None
    assert found["metric"].mean == Fraction("25.03") - Fraction("19.25")  # raw 28 and raw 21
    assert found["metric"].reliable == {INCREASE: 5, NO_CHANGE: 0, DECREASE: 0}


def test_without_any_pairs_every_measure_says_so(session, catalogue):
    found = change(session, catalogue)

    assert found and all(m.summary.pairs == 0 and m.summary.mean is None for m in found)
    assert not any(m.definition.id == "wai_sr" for m in found)  # given at T2 only
