"""bench/synthetic.py: the bulk loader's rows follow the platform's own rules, on the test database."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bench.synthetic import fill
from survey_app import clock
from survey_app.cli import main
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain.consent import STATEMENTS
from survey_app.domain.pathway import Pathway, problems
from survey_app.store.answers import Administration, Answer
from survey_app.store.consent import ConsentEventRow
from survey_app.store.records import ServiceUser, VictimSurvivor
from tests.factories import create_site

PER_COHORT = 60


@pytest.fixture
def filled(app, database_url):
    return fill(database_url, PER_COHORT, seed=3)


@pytest.fixture(scope="module")
def catalogue_items():
    return {d.id: [item.number for item in d.items] for d in load_catalogue(instruments_dir()).published.values()}


def test_scores_rederive_finds_no_difference(app, filled):
    result = app.test_cli_runner().invoke(main, ["scores", "rederive"])

    assert result.exit_code == 0, result.output
    assert f"Checked {filled.rows['administration']} sent administration(s): 0 difference(s)." in result.output


def test_records_are_sound_and_linked_to_real_service_users(filled, session):
    service_users = session.scalars(select(ServiceUser)).all()
    partners = session.scalars(select(VictimSurvivor)).all()

    assert len(service_users) == len(partners) == PER_COHORT
    assert len({r.site_id for r in service_users}) == 3
    for record in service_users + partners:
        pathway = Pathway(record.referral_date, record.eligibility, record.eligibility_date, record.first_session_date,
                          record.closure_date, record.closure_outcome,
                          # the reason went with the person's key, as after erasure
                          "(destroyed)" if record.closure_outcome == "other" else None)
        assert problems(pathway, clock.today()) == {}, record.study_id
        assert record.name is None and record.phone is None and record.closure_reason is None
    study_ids = {r.study_id for r in service_users}
    linked = [p for p in partners if p.linked_service_user]
    assert linked and all(p.linked_service_user in study_ids for p in linked)


def test_consent_has_every_kind_of_decision(filled, session):
    events = session.scalars(select(ConsentEventRow)).all()

    assert {e.kind for e in events} == {"given", "declined", "not_now", "withdrawn"}
    given = [json.loads(e.answers) for e in events if e.kind == "given"]
    assert all(set(answers) == set(STATEMENTS) for answers in given)
    assert sum(a["share_answers"] for a in given) > 0.8 * len(given)
    assert any(a["link_partner"] for a in given) and not all(a["link_partner"] for a in given)


def test_questionnaires_are_answered_in_full_with_a_few_items_missing(filled, session, catalogue_items):
    sent = session.scalars(select(Administration)).all()
    answers = session.scalars(select(Answer)).all()

    assert {a.timepoint for a in sent} == {"T1", "T2"}
    assert all(a.submitted_at.date() < clock.today() for a in sent)
    by_administration: dict[int, set] = {}
    for answer in answers:
        by_administration.setdefault(answer.administration_id, set()).add((answer.instrument_id, answer.item_number))
        assert (answer.value is None) != (answer.missing_reason is None)
        if answer.mode == "link":
            assert answer.missing_reason in (None, "skipped")  # alone, a participant can only skip
    for administration in sent:
        expected = {(instrument, n) for instrument, _ in administration.instrument_keys
                    for n in catalogue_items[instrument]}
        assert by_administration[administration.id] == expected
    assert {a.missing_reason for a in answers} == {None, "skipped", "declined", "not_understood"}


def test_the_platform_carries_on_numbering_rows_after_a_fill(filled, session):
    site = create_site(session, "A new site")  # PostgreSQL's sequences were moved past the rows written

    assert site.id == 4
    assert session.scalar(select(func.count()).select_from(ServiceUser)) == PER_COHORT


def test_a_database_that_holds_people_is_refused(filled, database_url):
    with pytest.raises(ValueError, match="fresh database"):
        fill(database_url, 1)


def test_the_same_seed_gives_the_same_database(tmp_path):
    first, second = (fill(f"sqlite:///{tmp_path / name}", 15, seed=7) for name in ("a.db", "b.db"))

    assert first.rows == second.rows
    assert (tmp_path / "a.db").exists()
