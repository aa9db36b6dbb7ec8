"""The progression dashboard as the evaluator sees it: every figure, ratings in words, suppression, filters,
and the register of barriers."""

from __future__ import annotations

import statistics
from datetime import date
from math import sqrt

import pytest
from scipy import stats
from sqlalchemy import select

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import progress, records
from survey_app.services.progress import Filters
from survey_app.store.audit import AuditEntry
from survey_app.store.barriers import Barrier
from survey_app.store.staff import ReferralTarget
from tests.factories import (create_consent_decision, create_person, create_record, create_sent_administration,
                             create_sent_questionnaire, create_site, create_staff)


@pytest.fixture
def evaluator_request(client_request, session):
    evaluator = create_staff(session, "evaluator")
    session.commit()
    return client_request.sign_in(evaluator)


@pytest.fixture
def case_load(session):
    camden, croydon = create_site(session, "Camden"), create_site(session, "Croydon")
    session.add(ReferralTarget(site_id=camden.id, period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                               target=20))
    engaged = dict(eligibility="eligible", eligibility_date=date(2026, 9, 2), first_session_date=date(2026, 9, 3))
    people = [create_person(session, camden, **engaged) for _ in range(6)]
    people += [create_person(session, camden) for _ in range(3)]
    people += [create_person(session, croydon, referral_date=date(2026, 10, 1)) for _ in range(2)]
    for person in people[:6]:
        create_consent_decision(session, person)
    create_consent_decision(session, people[6], "declined", reason="no_point")
    for person in people[:5]:
        create_sent_questionnaire(session, person, "T1", answered=30, missing=2, instrument="urica")
    session.commit()
    return camden, croydon


def text_of(page) -> str:
    return page.select_one("main").get_text(" ", strip=True)


def criteria_rows(page) -> dict[str, list[str]]:
    """Criterion number -> its row's cells; criterion 5 for one cohort alone under "5 <cohort>"."""
    rows = {}
    for row in page.select_one("table").select("tbody tr"):
        cells = [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        rows[cells[0] if cells[0] not in rows else f"{cells[0]} {cells[1]}"] = cells
    return rows


def test_each_figure_matches_the_service_with_its_rating_in_words(evaluator_request, session, case_load):
    page = evaluator_request.get("/evaluator/")

    rows = criteria_rows(page)
    figures = {f.number: f for f in progress.progress(session, Filters(), date(2026, 11, 30)).criteria}
    assert rows["1"] == ["1", "Referrals against the target", "11 of 20", "55%", "75%", "50%", "Amber"]
    assert rows["2"][2:] == ["6 of 11", "55%", "75%", "50%", "Amber"]
    assert rows["5"][2:4] == ["6 of 7", "86%"]
    assert rows["5 Recruitment to the measures: Service users only"][2:] == ["6 of 7", "86%", "75%", "50%", "Green"]
    assert rows["5 Recruitment to the measures: (Ex-)partners only"][2:] == ["0 of 0", "–", "75%", "50%",
                                                                              "No denominator yet"]
    assert rows["6"][2:] == ["5 of 6", "83%", "90%", "70%", "Amber"]
    assert rows["8"][2:] == ["4.7 of 5", "94%", "90%", "70%", "Green"]  # 30 of 32 items each
    assert rows["9"][2:] == ["0 of 0", "–", "90%", "70%", "No denominator yet"]
    assert rows["4"][2:] == ["0 barriers, 0 unlikely to be surmountable", "Green"]
    for number, figure in figures.items():
        if figure.percent is not None:
            assert rows[str(number)][3] == f"{figure.percent}%"
    # Colour is never the only signal: the rating is a word inside a GOV.UK tag.
    assert [tag.get_text() for tag in page.select("table .govuk-tag")][:3] == ["Amber", "Amber", "Red"]


def test_definitions_are_on_the_page(evaluator_request, case_load):
    text = text_of(evaluator_request.get("/evaluator/"))

    assert "Engaged: referred service users with a first session date" in text
    assert "whose T2 window has closed" in text


def test_small_counts_are_hidden_with_the_next_smallest(evaluator_request, case_load):
    page = evaluator_request.get("/evaluator/")

    by_site = page.select("table")[1]
    rows = {row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.select("td")]
            for row in by_site.select("tbody tr")}
    # Referred: Camden 9, Croydon 2 (hidden), so Camden is hidden too; the total of 11 is shown.
    assert rows["Camden"][0] == "fewer than 5" and rows["Croydon"][0] == "fewer than 5"
    assert rows["Total"][0] == "11"
    assert rows["Camden"][1] == "6"  # engaged: 6 and 0 — nothing under 5 to hide
    text = text_of(page)
    assert "Does not see the point" in text


def test_filters_choose_the_people(evaluator_request, case_load):
    camden, croydon = case_load

    page = evaluator_request.get(f"/evaluator/?start=1&start=10&start=2026&end=31&end=10&end=2026&site={croydon.id}")

    rows = criteria_rows(page)
    assert rows["2"][2] == "0 of 2"
    assert rows["1"][2] == "2 of 0"
    assert rows["1"][-1] == "No denominator yet"
    assert page.select_one("#site option[selected]").get_text() == "Croydon"


def test_a_date_that_is_not_real_is_an_error_and_is_left_out(evaluator_request, case_load):
    page = evaluator_request.get("/evaluator/?start=31&start=2&start=2026&cohort=victim_survivor")

    assert "Enter a real date" in page.select_one(".govuk-error-summary").get_text()
    assert criteria_rows(page)["5"][2] == "0 of 0"  # the cohort still applies


def test_the_register_of_barriers_rates_criteria_4_and_10(evaluator_request, session):
    for n in range(4):
        evaluator_request.post("/evaluator/barriers", {"criterion": "10", "description": f"Barrier {n}",
                                                       "surmountable": "yes"},
                               _expected_redirect="/evaluator/#barriers")
    page = evaluator_request.get("/evaluator/")
    assert criteria_rows(page)["10"][-1] == "Amber"

    barrier = session.scalars(select(Barrier)).first()
    evaluator_request.post(f"/evaluator/barriers/{barrier.id}", {"description": "Consent asked too early",
                                                                  "surmountable": "no"})
    page = evaluator_request.get("/evaluator/")
    assert criteria_rows(page)["10"][-1] == "Red"
    assert "Consent asked too early" in text_of(page)

    evaluator_request.post(f"/evaluator/barriers/{barrier.id}/remove")
    assert criteria_rows(evaluator_request.get("/evaluator/"))["10"][-1] == "Green"
    actions = {e.action for e in session.scalars(select(AuditEntry))}
    assert {"barrier.added", "barrier.changed", "barrier.removed"} <= actions


def test_a_barrier_needs_a_description(evaluator_request, session):
    page = evaluator_request.post("/evaluator/barriers", {"criterion": "4", "description": " ", "surmountable": "yes"},
                                  _expected_status=200)

    assert "Describe the barrier." in page.select_one(".govuk-error-summary").get_text()
    assert session.scalars(select(Barrier)).all() == []


# --- change from T1 to T2 ------------------------------------------------------------------------

# (Ex-)partners' SWEMWBS answers at T2; at T1 every answer is 3 (raw 21, metric 19.25).
AT_T2 = [[5, 5, 5, 5, 4, 4, 4], [4, 4, 4, 4, 4, 4, 4], [3, 3, 3, 3, 3, 3, 4], [2, 2, 2, 2, 2, 2, 2],
         [5, 5, 5, 5, 5, 5, 5], [4, 4, 4, 3, 3, 3, 3]]


def change_table(page, short_title: str) -> dict[str, list[str]]:
    table = page.select_one(f"div[aria-label='{short_title}'] table")
    return {row.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in row.select("td")]
            for row in table.select("tbody tr")}


def test_change_from_t1_to_t2_shows_each_figure_and_hides_small_numbers(app, evaluator_request, session):
    catalogue = load_catalogue(instruments_dir())
    rings = records.keyrings(app.config)
    site = create_site(session)
    for answers in AT_T2:
        partner = create_record(session, rings["victim_survivor"], "victim_survivor", site)
        create_sent_administration(session, partner, catalogue, "T1", {"swemwbs": [3] * 7})
        create_sent_administration(session, partner, catalogue, "T2", {"swemwbs": answers})
    service_user = create_record(session, rings["service_user"], "service_user", site)
    for timepoint in ("T1", "T2"):
        create_sent_administration(session, service_user, catalogue, timepoint)
    session.commit()

    page = evaluator_request.get("/evaluator/")

    changes = [sum(answers) - 21 for answers in AT_T2]  # 11, 7, 1, -7, 14, 3
    sd = statistics.stdev(changes)
    low, high = stats.t.interval(0.95, 5, loc=statistics.mean(changes), scale=sd / sqrt(6))
    swemwbs = change_table(page, "SWEMWBS")
    assert swemwbs["Raw score (sum of 7 items)"] == ["6", "4.83", f"{low:.2f} to {high:.2f}",
                                                     f"{statistics.mean(changes) / sd:.2f}", "–", "–", "–"]
    # Metric: up by 2.855 or more for 3 people (raw 33, 28 and 35), down for 1 (raw 14), neither for 2
    # (raw 22 and 24): every count is under 5, so none is shown.
    assert swemwbs["Metric score (Warwick conversion table)"][0] == "6"
    assert swemwbs["Metric score (Warwick conversion table)"][4:] == ["fewer than 5", "fewer than 5", "fewer than 5"]
    # One service user with a pair: "fewer than 5", and nothing else about them.
    assert change_table(page, "URICA")["Action (mean of 7 items)"] == ["fewer than 5", "–", "–", "–", "–", "–", "–"]
    assert len(page.select("#change ~ .govuk-grid-row svg circle")) == 2  # SWEMWBS's two scores
