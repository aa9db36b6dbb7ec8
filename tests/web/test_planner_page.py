"""The sample-size planner page, as an evaluator uses it: the study's inputs to start, Table F1 reproduced,
a plan for other inputs, refusals in the error summary, and years of referrals at the platform's rate."""

from __future__ import annotations

from datetime import date

import pytest

from survey_app.services import records
from tests.factories import create_record, create_site, create_staff

STUDY_FORM = {"mdes": "0.2", "rho": "0.5", "alpha": "0.05", "power": "0.8", "sides": "2", "attrition": "20",
              "conversion": "55"}


@pytest.fixture
def evaluator(session):
    person = create_staff(session, "evaluator")
    session.commit()
    return person


def result(page) -> dict[str, str]:
    rows = page.select("#plan-result .govuk-summary-list__row")
    return {row.select_one("dt").get_text(" ", strip=True): row.select_one("dd").get_text(" ", strip=True)
            for row in rows}


def table_f1(page) -> dict[str, list[str]]:
    [table] = page.select("main table")
    return {row.th.get_text(" ", strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
            for row in table.select("tbody tr")}


def test_the_form_starts_with_the_study_inputs_and_its_result(client_request, evaluator):
    page = client_request.sign_in(evaluator).get("/evaluator/plan")
    assert {name: page.select_one(f"input[name={name}]")["value"] for name in STUDY_FORM if name != "sides"} == \
        {name: value for name, value in STUDY_FORM.items() if name != "sides"}
    assert page.select_one("input[name=sides][checked]")["value"] == "2"
    assert result(page)["Analytic sample (people completing, both arms)"] == "591"


def test_table_f1_is_reproduced_to_the_unit(client_request, evaluator):
    rows = table_f1(client_request.sign_in(evaluator).get("/evaluator/plan"))
    assert rows["Pre-test to post-test correlation"] == ["0.4", "0.5", "0.6"]
    assert rows["Analytic sample"] == ["661", "591", "504"]
    assert rows["People to recruit (20% attrition from engagement to completion)"] == ["828", "740", "630"]
    assert rows["Eligible referrals (55% conversion from referral to engagement)"] == ["1,502", "1,343", "1,145"]


def test_posting_a_correlation_of_0_4_gives_the_first_scenario(client_request, evaluator):
    page = client_request.sign_in(evaluator).post("/evaluator/plan", {**STUDY_FORM, "rho": "0.4"}, _expected_status=200)
    assert result(page) == {"Analytic sample (people completing, both arms)": "661", "People to recruit": "828",
                            "Eligible referrals": "1,502", "Years of referrals at this platform's rate": "Not known",
                            "Exact solution before rounding": "661.26"}
    assert page.select_one("input[name=rho]")["value"] == "0.4"


def test_a_one_sided_test_needs_fewer_people(client_request, evaluator):
    page = client_request.sign_in(evaluator).post("/evaluator/plan", {**STUDY_FORM, "rho": "0.4", "sides": "1"},
                                                  _expected_status=200)
    assert int(result(page)["Analytic sample (people completing, both arms)"]) < 661


@pytest.mark.parametrize("field, value, message", [
    ("rho", "1", "The correlation must be more than -1 and less than 1."),
    ("rho", "-1.2", "The correlation must be more than -1 and less than 1."),
    ("rho", "half", "The correlation must be a number."),
    ("rho", "", "Enter the correlation"),
    ("mdes", "0", "The minimum detectable effect size must be more than 0"),
    ("mdes", "Infinity", "The minimum detectable effect size must be a number."),
    ("power", "1.2", "The power must be more than 0 and less than 1"),
    ("alpha", "0", "Alpha must be more than 0 and less than 1"),
    ("attrition", "100", "Attrition must be at least 0% and less than 100%."),
    ("conversion", "0", "Conversion must be more than 0% and no more than 100%."),
])
def test_bad_input_is_shown_in_the_error_summary_and_nothing_is_planned(client_request, evaluator, field, value,
                                                                         message):
    page = client_request.sign_in(evaluator).post("/evaluator/plan", {**STUDY_FORM, field: value},
                                                  _expected_status=200)
    assert page.title.get_text().startswith("Error:")
    summary = page.select_one(".govuk-error-summary")
    assert message in summary.get_text(" ", strip=True)
    assert summary.select_one(f"a[href='#{field}']") is not None
    assert message in page.select_one(f"#{field}-error").get_text(" ", strip=True)
    assert page.select_one("#plan-result") is None
    assert table_f1(page)["Analytic sample"] == ["661", "591", "504"], "the study's table is still there"


def test_years_of_referrals_at_the_platform_rate(app, session, client_request, evaluator):
    """The web tests' clock says 30 November 2026: 4 service-user referrals fall in the last 365 days."""
    site = create_site(session)
    rings = records.keyrings(app.config)
    for referred in (date(2025, 12, 1), date(2026, 3, 1), date(2026, 9, 1), date(2026, 11, 30)):
        create_record(session, rings["service_user"], "service_user", site, referral_date=referred)
    create_record(session, rings["service_user"], "service_user", site, referral_date=date(2025, 11, 30))  # a year ago
    create_record(session, rings["victim_survivor"], "victim_survivor", site, referral_date=date(2026, 9, 1))
    session.commit()
    page = client_request.sign_in(evaluator).post("/evaluator/plan", {**STUDY_FORM, "rho": "0.4"},
                                                  _expected_status=200)
    assert "received 4 service-user referrals in the last 12 months" in page.select_one("#referral-rate").get_text()
    assert result(page)["Years of referrals at this platform's rate"] == "375.5"  # 1,502 / 4
    assert table_f1(page)["Years of referrals at this platform's rate"] == ["375.5", "335.8", "286.3"]


def test_only_evaluators_reach_it_from_their_navigation(client_request, evaluator):
    page = client_request.sign_in(evaluator).get("/evaluator/")
    assert page.select_one("nav a[href='/evaluator/plan']").get_text(strip=True) == "Sample-size planner"
