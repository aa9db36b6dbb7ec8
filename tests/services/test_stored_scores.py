"""Scores stored once: sending an administration stores one exact row per score, equal to what
the engine makes of the answers; reads rebuild the same scores; deletion takes them too."""

from __future__ import annotations

from datetime import datetime, timezone
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain.scoring import INSUFFICIENT, score
from survey_app.services import consent, questionnaires, records, scores
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.db import push_deletions_to_disk
from survey_app.store.scores import AdministrationScore
from tests.factories import create_record, create_sent_administration, create_site
from tests.helpers import raw_bytes

# Answers chosen so the means are not whole numbers: URICA's action items (3, 7, 10, 14, 17, 25, 30) sum to 22.
URICA = [1, 2, 3, 4, 5, 4, 3, 2, 5, 4, 1, 3, 4, 2, 5, 3, 2, 4, 5, 1, 3, 4, 2, 5, 4, 3, 1, 2, 5, 4, 3, 3]
SWEMWBS = [3, 4, 2, 4, 3, 5, 1]  # raw 22, which the Warwick table converts to 19.98
# A moment nothing else in the database holds, so its bytes mark a stored score in the file.
MARK = datetime(2032, 3, 14, 15, 9, 26, 535897, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(instruments_dir())


def person(app, session, store):
    return create_record(session, records.keyrings(app.config)[store], store, create_site(session),
                         name="Ottoline Brackenbury")


def stored_rows(session, administration) -> dict[str, AdministrationScore]:
    return {row.score_id: row for row in session.scalars(
        select(AdministrationScore).where(AdministrationScore.administration_id == administration.id))}


@pytest.mark.parametrize("store, instrument, answers, shown", [
    ("service_user", "urica", URICA, {"action": "3.14", "readiness": "6.71"}),
    ("victim_survivor", "swemwbs", SWEMWBS, {"raw": 22, "metric": "19.98"}),
])
def test_sending_stores_one_exact_row_per_score_equal_to_the_engines(app, session, catalogue, store, instrument,
                                                                     answers, shown):
    administration = create_sent_administration(session, person(app, session, store), catalogue, "T1",
                                                {instrument: answers})
    session.commit()
    definition = catalogue.get(instrument)
    engine = score(definition, dict(enumerate(answers, start=1)))
    rows = stored_rows(session, administration)
    assert set(rows) == set(engine.scores)
    for name, expected in engine.scores.items():
        row = rows[name]
        assert (row.instrument_id, row.instrument_version, row.status) == (instrument, definition.version,
                                                                           expected.status)
        assert Fraction(row.numerator, row.denominator) == expected.value  # exact: no float on the way
        assert (row.answered, row.missing) == (" ".join(map(str, expected.answered)), "")
    [(_, read_back)] = questionnaires.scores_of(session, administration, catalogue)
    assert read_back == engine
    assert {name: str(read_back[name].rounded) for name in shown} == {k: str(v) for k, v in shown.items()}


def test_a_score_without_enough_answers_is_stored_without_a_value_and_with_its_missing_items(app, session, catalogue):
    administration = create_sent_administration(session, person(app, session, "service_user"), catalogue,
                                                declined=(1,))
    session.commit()
    precontemplation = stored_rows(session, administration)["precontemplation"]
    assert (precontemplation.numerator, precontemplation.status, precontemplation.missing) == (None, INSUFFICIENT, "1")
    [(definition, read_back)] = questionnaires.scores_of(session, administration, catalogue)
    assert read_back == score(definition, {**{n: 3 for n in range(2, 33)}, 1: None})


def test_the_rederive_check_finds_nothing_after_normal_sends_and_names_a_tampered_score(app, session, catalogue):
    first = create_sent_administration(session, person(app, session, "service_user"), catalogue,
                                       values={"urica": URICA})
    session.commit()
    assert scores.rederive(session, catalogue, COMMAND_LINE).differences == []
    stored_rows(session, first)["action"].numerator += 7  # 22/7 becomes 29/7
    session.commit()
    report = scores.rederive(session, catalogue, COMMAND_LINE)
    [difference] = report.differences
    assert (difference.administration_id, difference.instrument, difference.score) == (first.id, "urica", "action")
    assert "29/7" in difference.stored and "22/7" in difference.derived
    assert stored_rows(session, first)["action"].numerator == 29, "the check alone changes nothing"
    assert scores.rederive(session, catalogue, COMMAND_LINE, fix=True).fixed == 1
    assert Fraction(stored_rows(session, first)["action"].numerator, 7) == Fraction(22, 7)
    assert scores.rederive(session, catalogue, COMMAND_LINE).differences == []


def test_withdrawal_with_deletion_removes_the_scores_down_to_the_database_file(app, session, catalogue):
    someone = person(app, session, "service_user")
    create_sent_administration(session, someone, catalogue)
    session.execute(AdministrationScore.__table__.update().values(computed_at=MARK))
    session.commit()
    marker = MARK.isoformat(sep=" ").split("+")[0].encode()
    assert session.scalar(select(func.count()).select_from(AdministrationScore)) > 0
    if app.extensions["survey_engine"].dialect.name == "sqlite":
        push_deletions_to_disk(session)
        assert marker in raw_bytes(app, session), "the check must see the stored scores first"
    consent.withdraw(session, someone, COMMAND_LINE, delete=True, mode="online")
    assert session.scalar(select(func.count()).select_from(AdministrationScore)) == 0
    push_deletions_to_disk(session)
    assert marker not in raw_bytes(app, session)
