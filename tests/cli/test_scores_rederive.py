"""`survey scores rederive`: scores every sent administration again, names each difference, and
changes stored scores only with --fix (audited), which also fills scores missing from before."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from survey_app.cli import main
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import records
from survey_app.store.audit import AuditEntry
from survey_app.store.scores import AdministrationScore
from tests.factories import create_record, create_sent_administration, create_site


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(instruments_dir())


@pytest.fixture
def sent(app, session, catalogue):
    """One sent administration in each store: (service user's, victim-survivor's)."""
    site = create_site(session)
    made = tuple(create_sent_administration(session, create_record(session, records.keyrings(app.config)[store],
                                                                   store, site), catalogue)
                 for store in ("service_user", "victim_survivor"))
    session.commit()
    return made


def rederive(app, *args):
    return app.test_cli_runner().invoke(main, ["scores", "rederive", *args])


def stored(session) -> dict[tuple[int, str, str], tuple]:
    session.expire_all()
    return {(r.administration_id, r.instrument_id, r.score_id): (r.numerator, r.denominator, r.status)
            for r in session.scalars(select(AdministrationScore))}


def test_after_normal_sends_there_is_no_difference(app, sent):
    result = rederive(app)
    assert result.exit_code == 0, result.output
    assert "Checked 2 sent administration(s): 0 difference(s)." in result.output


def test_a_tampered_score_is_named_and_left_alone_until_fixed(app, session, sent):
    service_user, _ = sent
    before = stored(session)
    session.execute(AdministrationScore.__table__.update()
                    .where(AdministrationScore.administration_id == service_user.id,
                           AdministrationScore.score_id == "action").values(numerator=99))
    session.commit()
    tampered = stored(session)

    checked = rederive(app)
    assert checked.exit_code == 1
    assert f"administration {service_user.id}, urica, action: stored 99/7" in checked.output
    assert "1 difference(s)" in checked.output and "--fix" in checked.output
    assert stored(session) == tampered

    assert rederive(app, "--store", "victim_survivor").exit_code == 0, "the other store is not affected"

    fixed = rederive(app, "--fix")
    assert fixed.exit_code == 0 and "Fixed: 1 score(s)" in fixed.output
    assert stored(session) == before
    assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "scores.rederived")).all() == [
        "scores.rederived"]
    assert "0 difference(s)" in rederive(app).output


def test_fix_fills_the_scores_of_administrations_sent_before_scores_were_stored(app, session, sent):
    before = stored(session)
    session.execute(delete(AdministrationScore))
    session.commit()
    checked = rederive(app)
    assert checked.exit_code == 1 and f"{len(before)} difference(s)" in checked.output
    assert "stored nothing" in checked.output
    assert rederive(app, "--fix").exit_code == 0
    assert stored(session) == before
