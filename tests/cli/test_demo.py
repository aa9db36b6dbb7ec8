"""`survey demo`: the demo database and the JSON contract on its last line."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import func, select

from survey_app import clock, create_app
from survey_app.cli import main
from survey_app.config import ConfigError
from survey_app.domain import pathway as pathway_rules
from survey_app.domain.pathway import STAGES
from survey_app.domain.times import as_utc
from survey_app.domain.consent import WITHDRAWN
from survey_app.domain.progression import BARRIERS
from survey_app.services import due, records, staff as staff_service
from survey_app.services.progress import progress
from survey_app.store.answers import Administration, Answer
from survey_app.store.consent import ConsentEventRow
from survey_app.store.invitations import Invitation
from survey_app.store.records import ServiceUser, VictimSurvivor
from survey_app.store.scores import AdministrationScore
from survey_app.store.staff import Site
from tests.helpers import empty_tables, soup


@pytest.fixture(scope="module")
def app(migrated_app):
    """One demo database for the whole module (building it takes seconds): the tests only read it,
    except the last, which walks a printed link through consent. Emptied when the module ends."""
    yield migrated_app
    empty_tables(migrated_app.extensions["survey_engine"])


@pytest.fixture(scope="module")
def demo(app):
    result = app.test_cli_runner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_the_last_line_is_the_contract_json(demo):
    assert set(demo) == {"staff", "links"}
    assert {(link["cohort"], link["timepoint"]) for link in demo["links"]} == {
        ("service_user", "T1"), ("service_user", "T2"), ("victim_survivor", "T1"), ("victim_survivor", "T2")}
    for link in demo["links"]:
        assert set(link) == {"cohort", "timepoint", "url", "access_code"}
        assert link["access_code"] is None or (len(link["access_code"]) == 6 and link["access_code"].isdigit())
    assert set(demo["staff"]) == {"admin", "evaluator", "case_manager", "partner_support_worker"}
    for account in demo["staff"].values():
        assert set(account) == {"email", "password", "totp_secret"}


def test_demo_accounts_sign_in_with_the_printed_credentials(app, demo):
    with app.extensions["survey_sessions"]() as session:
        for role, account in demo["staff"].items():
            result = staff_service.sign_in(session, account["email"], account["password"], app.config)
            assert result.outcome == "ok" and result.staff.role == role
            ring = records.keyrings(app.config)["staff"]
            assert staff_service.totp_secret(result.staff, ring) == account["totp_secret"]


def test_six_sites_and_cases_at_every_stage_in_both_stores(app, demo):
    with app.extensions["survey_sessions"]() as session:
        assert session.scalar(select(func.count()).select_from(Site)) == 6
        for model in (ServiceUser, VictimSurvivor):
            stages = {records.pathway_rules.stage(records.pathway_of(r)) for r in session.scalars(select(model))}
            assert stages == set(STAGES)
        linked = [r.linked_service_user for r in session.scalars(select(VictimSurvivor))]
        assert set(linked) <= {r.study_id for r in session.scalars(select(ServiceUser))}


def test_demo_phone_numbers_are_from_the_drama_range(app, demo):
    with app.extensions["survey_sessions"]() as session:
        rings = records.keyrings(app.config)
        destroyed = 0
        for model in (ServiceUser, VictimSurvivor):
            for record in session.scalars(select(model)):
                phone = records.contact_details(session, rings[record.store], record, records.audit.COMMAND_LINE)["phone"]
                if phone is None:  # the person who withdrew with deletion: their details are destroyed
                    destroyed += 1
                    continue
                assert phone.startswith("+447700900")
        assert destroyed == 1


def test_production_refuses_to_start_beside_demo_accounts(app, demo, monkeypatch):
    monkeypatch.setenv("SURVEY_MODE", "production")
    monkeypatch.setenv("SURVEY_SECRET_KEY", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    for store, keys in app.config["SURVEY_KEYS"].items():
        monkeypatch.setenv(f"SURVEY_{store.upper()}_KEYS", keys[0])
    with pytest.raises(ConfigError, match="demo accounts"):
        create_app({"SURVEY_DATABASE_URL": app.config["SURVEY_DATABASE_URL"]})


def test_the_evaluator_sees_a_filled_dashboard(app, demo):
    with app.extensions["survey_sessions"]() as session:
        dashboard = progress(session)
    for figure in dashboard.criteria:
        if figure.criterion.kind == BARRIERS:
            assert figure.rating is not None, figure.number
        else:
            assert figure.denominator, f"criterion {figure.number} has no denominator"
    assert {figure.number for figure in dashboard.criteria if figure.criterion.kind == BARRIERS} == {4, 10}
    assert 3 <= len(dashboard.barriers) <= 5
    assert set(dict(dashboard.by_mode.rows)) == {"link", "phone", "screen_share"}
    assert dashboard.reasons.total["not_now"] and dashboard.reasons.total["declined"]


def test_both_stores_have_submitted_questionnaires_with_stored_scores_and_a_few_missing_answers(app, demo):
    with app.extensions["survey_sessions"]() as session:
        for store in ("service_user", "victim_survivor"):
            owner = Administration.owner_column(store)
            for timepoint in ("T1", "T2"):
                scored = session.scalar(
                    select(func.count(func.distinct(Administration.id)))
                    .join(AdministrationScore, AdministrationScore.administration_id == Administration.id)
                    .where(owner.is_not(None), Administration.timepoint == timepoint,
                           Administration.submitted_at.is_not(None)))
                assert scored >= 5, (store, timepoint)
        reasons = set(session.scalars(select(Answer.missing_reason).where(Answer.missing_reason.is_not(None))))
        assert {"skipped", "declined"} <= reasons


def test_one_person_withdrew_with_deletion_and_one_kept_their_answers(app, demo):
    with app.extensions["survey_sessions"]() as session:
        withdrawn = session.execute(select(ConsentEventRow.store, ConsentEventRow.record_id)
                                    .where(ConsentEventRow.kind == WITHDRAWN)).all()
        assert len(withdrawn) == 2
        kept = []
        for store, record_id in withdrawn:
            submitted = session.scalar(select(func.count()).select_from(Invitation).where(
                Invitation.owner_column(store) == record_id, Invitation.completed_at.is_not(None)))
            assert submitted, "each withdrawn person had sent a questionnaire"
            kept.append(session.scalar(select(func.count()).select_from(Administration).where(
                Administration.owner_column(store) == record_id)))
        assert sorted(kept)[0] == 0 and sorted(kept)[1] > 0


def test_a_service_user_and_their_partner_both_agreed_to_linking(app, demo):
    with app.extensions["survey_sessions"]() as session:
        linking = set(session.execute(select(ConsentEventRow.store, ConsentEventRow.record_id)
                                      .where(ConsentEventRow.answers.like('%"link_partner": true%'))).all())
        service_users = {r.study_id: r.id for r in session.scalars(select(ServiceUser))}
        assert any(("victim_survivor", partner.id) in linking
                   and ("service_user", service_users[partner.linked_service_user]) in linking
                   for partner in session.scalars(select(VictimSurvivor)))


def test_the_evaluator_can_download_a_dataset_of_each_cohort_with_a_linked_pair(app, demo, tmp_path):
    keys = {}
    for cohort in ("service_user", "victim_survivor"):
        result = app.test_cli_runner().invoke(main, ["export", "--cohort", cohort, "--layout", "wide", "--format",
                                                     "csv", "--out", str(tmp_path / cohort)])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["participants"] >= 5
        with (tmp_path / cohort / f"{cohort}_wide.csv").open(encoding="utf-8", newline="") as handle:
            keys[cohort] = {row["linkage_key"] for row in csv.DictReader(handle)} - {""}
    assert keys["service_user"] & keys["victim_survivor"]  # the pair who both agreed can be linked


def test_every_demo_record_passes_the_checks_of_the_record_form(app, demo):
    """The demo holds only what a practitioner could have entered: the pathway form's own checks."""
    with app.extensions["survey_sessions"]() as session:
        for model in (ServiceUser, VictimSurvivor):
            ring = records.keyrings(app.config)[model.store]
            for record in session.scalars(select(model)):
                pathway = records.pathway_of(record, records.closure_reason(ring, record))
                assert pathway_rules.problems(pathway, clock.today()) == {}, record.study_id


def test_nothing_in_the_demo_happens_in_the_future_or_before_it_could(app, demo):
    """Consent comes before the questions, each questionnaire inside its window, all of it by now."""
    now = clock.now()
    with app.extensions["survey_sessions"]() as session:
        for event in session.scalars(select(ConsentEventRow)):
            assert as_utc(event.at) <= now
        for model in (ServiceUser, VictimSurvivor):
            for record in session.scalars(select(model)):
                agreed = [as_utc(e.at) for e in session.scalars(select(ConsentEventRow).where(
                    ConsentEventRow.store == record.store, ConsentEventRow.record_id == record.id,
                    ConsentEventRow.kind == "given"))]
                windows = {d.timepoint: d.window for d in due.due_for(session, record, clock.today())}
                for sitting in session.scalars(select(Administration).where(
                        Administration.owner_column(record.store) == record.id)):
                    started, submitted = as_utc(sitting.started_at), as_utc(sitting.submitted_at)
                    assert agreed and min(agreed) <= started <= submitted <= now, record.study_id
                    assert windows[sitting.timepoint].opens <= started.date(), (record.study_id, sitting.timepoint)


def test_demo_links_lead_in(app, demo):
    client = app.test_client()
    for link in demo["links"]:
        path = link["url"].split("127.0.0.1:5000", 1)[1]
        response = client.get(path)
        if link["access_code"]:
            assert response.status_code == 200
            response = client.post(path, data={"code": link["access_code"]})
        assert response.location == f"{path}/start"
        assert client.get(response.location).location == f"{path}/about"
        assert "Before you start" in client.get(f"{path}/about").get_data(as_text=True)
    # Through consent to the first question, as someone trying the README's link would go.
    for statement in ("questionnaires", "share_answers", "share_monitoring", "interview_contact", "link_partner"):
        client.post(f"{path}/choices/{statement}", data={"answer": "yes"})
    ready = client.post(f"{path}/choices/check")
    intro = client.get(client.get(ready.location).location)
    assert "Start" in soup(intro).select_one("main a.govuk-button").text
