"""`survey progress`: the documented JSON shape, the filters, and plain refusals of bad input."""

from __future__ import annotations

import json
import statistics
from datetime import date
from fractions import Fraction

import pytest

from survey_app.commands.progress import progress_command
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import records
from survey_app.store.staff import ReferralTarget
from tests.factories import (create_consent_decision, create_person, create_record, create_sent_administration,
                             create_site)


def run(runner, *args):
    return runner.invoke(progress_command, list(args))


@pytest.fixture
def case_load(session):
    camden, croydon = create_site(session, "Camden"), create_site(session, "Croydon")
    session.add(ReferralTarget(site_id=camden.id, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                               target=8))
    for day in (date(2026, 3, 1), date(2026, 3, 2), date(2026, 9, 1)):
        create_person(session, camden, referral_date=day, eligibility="eligible", eligibility_date=day,
                      first_session_date=day if day.month == 3 else None)
    create_consent_decision(session, create_person(session, croydon, "victim_survivor"), "declined")
    session.commit()


def test_json_holds_every_criterion_in_the_documented_shape(runner, case_load):
    result = run(runner, "--format", "json")

    assert result.exit_code == 0, result.output
    criteria = json.loads(result.output)["criteria"]
    assert [c["number"] for c in criteria] == list(range(1, 11))
    assert all(set(c) == {"number", "name", "numerator", "denominator", "percent", "rating"} for c in criteria)
    by_number = {c["number"]: c for c in criteria}
    assert by_number[1] == {"number": 1, "name": "Referrals against the target", "numerator": 3, "denominator": 8,
                            "percent": 38, "rating": "red"}
    assert by_number[2] | {"name": ""} == {"number": 2, "name": "", "numerator": 2, "denominator": 3, "percent": 67,
                                           "rating": "amber"}
    assert by_number[5]["numerator"] == 0 and by_number[5]["denominator"] == 1 and by_number[5]["rating"] == "red"
    assert by_number[6] | {"name": ""} == {"number": 6, "name": "", "numerator": 0, "denominator": 0,
                                           "percent": None, "rating": None}
    assert by_number[4]["rating"] == "green" and by_number[4]["numerator"] is None
    by_cohort = json.loads(result.output)["recruitment_by_cohort"]
    assert [(c["cohort"], c["numerator"], c["denominator"], c["rating"]) for c in by_cohort] == [
        ("service_user", 0, 0, None), ("victim_survivor", 0, 1, "red")]


def test_the_period_and_site_filter_the_people_and_prorate_the_target(runner, case_load):
    result = run(runner, "--from", "2026-03-01", "--to", "2026-03-31", "--site", "Camden", "--format", "json")

    by_number = {c["number"]: c for c in json.loads(result.output)["criteria"]}
    assert (by_number[1]["numerator"], by_number[1]["denominator"]) == (2, 0.68)  # 8 x 31/365
    assert by_number[1]["rating"] == "green"
    assert (by_number[2]["numerator"], by_number[2]["denominator"]) == (2, 2)
    assert by_number[5]["denominator"] == 0  # the (ex-)partner is at Croydon


def test_text_names_each_rating_in_words(runner, case_load):
    result = run(runner, "--format", "text")

    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == 12 + 2 + 7  # then criterion 5 for each cohort, then a gap, a heading and 7 scores
    assert lines[-1].split() == ["swemwbs/1.0", "metric", "no", "pairs", "yet"]
    assert lines[10].split() == ["5", "Service", "users", "only", "0", "of", "0", "no", "denominator", "yet"]
    assert lines[0].split() == ["1", "Referrals", "against", "the", "target", "3", "of", "8", "38%", "Red"]
    assert lines[5].endswith("no denominator yet")


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "--format must be json or text"),
    (["--from", "30/04/2025", "--format", "json"], "--from must be a date like 2025-04-30"),
    (["--to", "2025-02-30", "--format", "json"], "--to must be a date like 2025-04-30"),
    (["--from", "2025-05-01", "--to", "2025-04-01", "--format", "json"], "--from must be on or before --to"),
    (["--site", "Atlantis", "--format", "json"], "There is no site called 'Atlantis'"),
])
def test_bad_input_is_a_plain_message_and_exit_code_2(runner, case_load, args, message):
    result = run(runner, *args)

    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


CHANGE_KEYS = {"instrument", "version", "score", "label", "pairs", "mean", "ci_low", "ci_high", "sd", "effect_size",
               "reliable_change_index", "reliable_increase", "no_reliable_change", "reliable_decrease"}


def partners_with_t1_and_t2(app, session, how_many):
    """(Ex-)partners whose SWEMWBS answers are all 3 at T1 (raw 21) and all 2, 3, 4 or 5 at T2 in turn."""
    catalogue = load_catalogue(instruments_dir())
    site = create_site(session, "Camden")
    for n in range(how_many):
        partner = create_record(session, records.keyrings(app.config)["victim_survivor"], "victim_survivor", site)
        create_sent_administration(session, partner, catalogue, "T1", {"swemwbs": [3] * 7})
        create_sent_administration(session, partner, catalogue, "T2", {"swemwbs": [2 + n % 4] * 7})
    session.commit()


def test_json_adds_the_change_from_t1_to_t2_for_every_score(app, runner, session):
    partners_with_t1_and_t2(app, session, 6)

    output = json.loads(run(runner, "--format", "json").output)

    assert {"criteria", "recruitment_by_cohort", "filters"} < set(output)
    change = {(c["instrument"], c["score"]): c for c in output["change"]}
    assert all(set(c) == CHANGE_KEYS for c in output["change"])
    assert set(change) == {("urica", s) for s in ("precontemplation", "contemplation", "action", "maintenance",
                                                  "readiness")} | {("swemwbs", "raw"), ("swemwbs", "metric")}
    raw = [Fraction(7 * (2 + n % 4) - 21) for n in range(6)]  # -7, 0, 7, 14, -7, 0
    assert change["swemwbs", "raw"]["pairs"] == 6
    assert change["swemwbs", "raw"]["mean"] == round(float(statistics.mean(raw)), 4)
    assert change["swemwbs", "raw"]["sd"] == round(statistics.stdev(float(d) for d in raw), 4)
    assert change["swemwbs", "raw"]["reliable_change_index"] is False
    metric = change["swemwbs", "metric"]
    assert metric["reliable_change_index"] is True
    # Down for 2 (raw 14), up for 2 (raw 28 and 35), neither for 2: all under 5, all hidden.
    assert (metric["reliable_increase"], metric["no_reliable_change"], metric["reliable_decrease"]) == (None,) * 3
    assert change["urica", "action"]["pairs"] == 0 and change["urica", "action"]["mean"] is None


def test_fewer_than_five_pairs_give_nothing_but_that(app, runner, session):
    partners_with_t1_and_t2(app, session, 4)

    result = run(runner, "--format", "json")

    raw = next(c for c in json.loads(result.output)["change"] if c["score"] == "raw")
    assert raw["pairs"] is None and raw["mean"] is None and raw["ci_low"] is None and raw["effect_size"] is None
    assert "swemwbs/1.0 raw" in run(runner, "--format", "text").output
