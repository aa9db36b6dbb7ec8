"""Evaluator CSV files are byte for byte what they were: a fixed synthetic study (bench/synthetic.py, a fixed
seed, clock and export key) exported in each cohort and layout, against the SHA-256 of the file the export
code wrote before it was made faster. A change to any value, column, order, quoting or line ending shows.
The synthetic study has no staff, interpreters or translations: the "varied" cases add them (answers
recorded by staff in other modes, some sittings mixed, translated wording, interpreters, early T2s).

If a change to the data is meant (a new column, an instrument's new version in instruments/), look at the
difference in the files, then write down the new hashes."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from bench.synthetic import fill
from survey_app import clock
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.services import exports
from survey_app.services.audit import COMMAND_LINE
from survey_app.services.exports import ExportRequest
from survey_app.store.answers import Administration, Answer
from survey_app.web.evaluator.datasets import codebook
from tests.factories import create_staff

PER_COHORT = 150
SEED = 5
FILLED_AT = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
EXPORT_KEY = base64.urlsafe_b64encode(bytes(range(32))).decode("ascii")

GOLDEN = {
    ("service_user", "wide", None): "8ea02257926ff501db7082c167795710c46cb0951a2f379bde0310d1b2655e97",
    ("service_user", "long", None): "694cdafe92df33406dbcfa2b036f8a7f45295a895278c042d0737cb81da78e7b",
    ("victim_survivor", "wide", None): "eb039a94b3976252e2c7754cd0ea9aa2b4b04cd7470f3fdba5697b5ef0d025d7",
    ("victim_survivor", "long", None): "2aad7eb2e169d17e2943f1ec0a07b650fd17b40985bbd94d9ad87586be767354",
    # one site, from March to September
    ("service_user", "wide", "Riverside"): "4a8cef022a848c0d583ed0d5d04ecaf7d7a97acf7d468b3bfb4bccd98e42123e",
    ("service_user", "wide", "varied"): "6e46c8aeac6c5c896a48458cd6b6948d3b0a61517011ba5f4e2627f0dff0868e",
    ("service_user", "long", "varied"): "6517290d89ce77aad7f3438b3d9fa4b73228426a69338d96c1aea0db787ad2af",
    ("victim_survivor", "wide", "varied"): "e8518167d5179eda4c8fbd74d3ffd6eb18eecba248c3dede4ba6a8eed7e96844",
}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(instruments_dir())


@pytest.fixture
def study(app, database_url, catalogue):
    with clock.set_to(FILLED_AT, running=False):
        filled = fill(database_url, PER_COHORT, seed=SEED, catalogue=catalogue)
    return filled


def vary(session):
    """Staff, modes, translations, interpreters and early T2s, put straight into the study's rows."""
    manager = create_staff(session, "case_manager")
    worker = create_staff(session, "partner_support_worker")
    session.commit()
    answer, administration = Answer.__table__, Administration.__table__
    session.execute(update(answer).where(answer.c.administration_id % 3 == 0)
                    .values(mode="phone", recorded_by=manager.id))
    session.execute(update(answer).where(answer.c.id % 17 == 0).values(mode="screen_share", recorded_by=worker.id))
    session.execute(update(answer).where(answer.c.administration_id % 4 == 0)
                    .values(translation="ur-2026-1", translation_status="validated"))
    session.execute(update(administration).where(administration.c.id % 5 == 0)
                    .values(interpreter="Interpreter 7", spoken_language="syl"))
    session.execute(update(administration).where(administration.c.id % 6 == 0).values(early=True))
    session.commit()


@pytest.mark.parametrize(("cohort", "layout", "variant"), list(GOLDEN))
def test_the_csv_file_is_the_one_written_before(app, session, catalogue, study, tmp_path, cohort, layout, variant):
    filters = {}
    if variant == "Riverside":
        filters = {"site": variant, "start": date(2026, 3, 1), "end": date(2026, 9, 30)}
    elif variant == "varied":
        vary(session)
    with app.app_context(), clock.set_to(FILLED_AT, running=False):
        done = exports.export(session, catalogue, [EXPORT_KEY], ExportRequest(cohort, layout, "csv", **filters),
                              tmp_path, COMMAND_LINE, codebook)
    written = (tmp_path / f"{cohort}_{layout}.csv").read_bytes()

    assert done.rows >= 10
    if variant == "varied":
        # Nearly every sitting has answers in two modes (wide: "mixed"); each answer keeps its own (long).
        modes = (b",mixed,",) if layout == "wide" else (b",phone,case_manager", b",screen_share,partner_support_worker")
        for shown in (*modes, b",ur-2026-1,validated,", b",syl,"):
            assert shown in written
    assert hashlib.sha256(written).hexdigest() == GOLDEN[cohort, layout, variant]
