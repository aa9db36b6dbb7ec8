"""Retention: `survey purge` deletes people whose case closed longer ago than the retention period,
exactly as a withdrawal with deletion does, and audits each one."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from survey_app import clock
from survey_app.cli import main
from survey_app.config import ConfigError, instruments_dir, retention_days
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import records
from survey_app.store.answers import Administration, Answer
from survey_app.store.audit import AuditEntry
from survey_app.store.consent import ConsentTally
from survey_app.store.records import ServiceUser, VictimSurvivor
from tests.factories import create_record, create_sent_administration, create_site
from tests.helpers import raw_bytes

TODAY = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)


def closed(app, session, site, store, name, closure: date, reason: str):
    ring = records.keyrings(app.config)[store]
    record = create_record(session, ring, store, site, name=name, referral_date=date(2024, 1, 8))
    record.eligibility, record.eligibility_date, record.first_session_date = "eligible", date(2024, 1, 10), None
    record.closure_date, record.closure_outcome = closure, "other"
    records.set_closure_reason(ring, record, reason)
    return record


@pytest.fixture
def people(app, session):
    """Closed 366 and 365 days before today, a month ago, and still open."""
    site = create_site(session)
    catalogue = load_catalogue(instruments_dir())
    made = {
        "long_ago": closed(app, session, site, "service_user", "Ambrose Quillby", date(2025, 11, 29), "Moved to Ambleside"),
        "partner": closed(app, session, site, "victim_survivor", "Perdita Lovelock", date(2025, 11, 29), "Went to Keswick"),
        "a_year_to_the_day": closed(app, session, site, "service_user", "Barnaby Rudge", date(2025, 11, 30), "Windermere"),
        "recent": closed(app, session, site, "service_user", "Clara Oswin", date(2026, 10, 30), "Grasmere"),
        "open": create_record(session, records.keyrings(app.config)["service_user"], "service_user", site,
                              name="Dora Spenlow"),
    }
    create_sent_administration(session, made["long_ago"], catalogue, "T1")
    create_sent_administration(session, made["recent"], catalogue, "T1")
    session.commit()
    return made


def purge(app, *args, days="365"):
    app.config["SURVEY_RETENTION_DAYS_AFTER_CLOSURE"] = int(days) if days else None
    try:
        with clock.set_to(TODAY, running=False):
            return app.test_cli_runner().invoke(main, ["purge", *args])
    finally:
        app.config["SURVEY_RETENTION_DAYS_AFTER_CLOSURE"] = None


def test_people_past_the_retention_period_are_deleted_as_a_withdrawal_with_deletion_would(app, session, people):
    tallies = session.execute(select(ConsentTally.outcome, ConsentTally.count)).all()
    result = purge(app)
    assert result.exit_code == 0, result.output
    assert "2 people closed more than 365 days ago deleted." in result.output
    for key in ("long_ago", "partner"):
        session.refresh(people[key])
        person = people[key]
        assert person.wrapped_key is None and person.name is None and person.closure_reason is None
        assert person.study_id in result.output
    for key in ("a_year_to_the_day", "recent", "open"):
        session.refresh(people[key])
        assert people[key].wrapped_key is not None and people[key].study_id not in result.output
    ring = records.keyrings(app.config)["service_user"]
    assert records.closure_reason(ring, people["recent"]) == "Grasmere"
    # the answers of the one deleted go; the others stay
    answered = set(session.scalars(select(Administration.service_user_id).join(Answer)))
    assert people["long_ago"].id not in answered and people["recent"].id in answered
    purged = session.scalars(select(AuditEntry.subject).where(AuditEntry.action == "record.purged")).all()
    assert sorted(purged) == sorted([f"service_user:{people['long_ago'].study_id}",
                                     f"victim_survivor:{people['partner'].study_id}"])
    stored = raw_bytes(app, session)
    for gone in (b"Quillby", b"Ambleside", b"Lovelock", b"Keswick"):
        assert gone not in stored
    assert app.test_cli_runner().invoke(main, ["audit", "verify"]).exit_code == 0
    # the study id and pathway stay, and the anonymous tallies do not move
    assert people["long_ago"].closure_date == date(2025, 11, 29) and people["long_ago"].study_id
    assert session.execute(select(ConsentTally.outcome, ConsentTally.count)).all() == tallies


def test_a_dry_run_lists_who_would_go_and_changes_nothing(app, session, people):
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    result = purge(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "2 people closed more than 365 days ago would be deleted (dry run: nothing changed)." in result.output
    assert people["long_ago"].study_id in result.output and people["partner"].study_id in result.output
    session.expire_all()
    assert all(r.wrapped_key is not None for r in session.scalars(select(ServiceUser)))
    assert all(r.wrapped_key is not None for r in session.scalars(select(VictimSurvivor)))
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_without_a_retention_period_nothing_is_deleted(app, session, people):
    result = purge(app, days="")
    assert result.exit_code == 0
    assert "No retention period is set" in result.output
    session.expire_all()
    assert all(r.wrapped_key is not None for r in session.scalars(select(ServiceUser)))


def test_a_second_purge_finds_no_one(app, session, people):
    assert purge(app).exit_code == 0
    assert "0 people closed more than 365 days ago deleted." in purge(app).output


@pytest.mark.parametrize("setting, days", [("", None), ("  ", None), ("0", 0), ("730", 730)])
def test_the_retention_setting(setting, days):
    assert retention_days(setting) == days


@pytest.mark.parametrize("setting", ["two years", "-5", "1.5"])
def test_a_retention_setting_that_is_not_days_is_refused(setting):
    with pytest.raises(ConfigError, match="SURVEY_RETENTION_DAYS_AFTER_CLOSURE"):
        retention_days(setting)
