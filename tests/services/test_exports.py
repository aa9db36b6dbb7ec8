"""Evaluator datasets: who is in them (consent at the time of export), what never is, that the two
cohorts cannot be joined without both people's agreement, and that every format reads back as written."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timezone
from pathlib import Path

import frictionless
import pyreadstat
import pytest
from sqlalchemy import select

from survey_app import clock
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain.consent import STATEMENTS
from survey_app.services import consent, exports, records
from survey_app.services.audit import COMMAND_LINE, Actor
from survey_app.services.exports import ExportRefused, ExportRequest
from survey_app.store.audit import AuditEntry
from survey_app.store.crypto import new_key
from survey_app.web.evaluator.datasets import codebook
from tests.factories import create_consent, create_record, create_sent_administration, create_site

URICA = [1, 2, 3, 4, 5, 4, 3, 2, 5, 4, 1, 3, 4, 2, 5, 3, 2, 4, 5, 1, 3, 4, 2, 5, 4, 3, 1, 2, 5, 4, 3, 3]
SWEMWBS = [3, 4, 2, 4, 3, 5, 1]
SENT = datetime(2026, 11, 2, 11, 0, tzinfo=timezone.utc)
EVERYTHING = {statement: True for statement in STATEMENTS}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(instruments_dir())


class World:
    """People made through the real use cases, and exports of them into a temporary folder."""

    def __init__(self, app, session, catalogue, tmp_path):
        self.app, self.session, self.catalogue, self.tmp = app, session, catalogue, tmp_path
        self.rings = records.keyrings(app.config)
        self.sites = {}
        self.exports = 0

    def site(self, name="Camden"):
        if name not in self.sites:
            self.sites[name] = create_site(self.session, name)
        return self.sites[name]

    def person(self, store="service_user", agrees=None, site="Camden", name="Ottoline Brackenbury", **kwargs):
        record = create_record(self.session, self.rings[store], store, self.site(site), name=name,
                               phone="07400 123456", **kwargs)
        self.session.commit()
        if agrees is not None:
            self.consent(record, agrees)
        return record

    def consent(self, record, agrees):
        create_consent(self.session, record, agrees)

    def sent(self, record, timepoint="T1", declined=(), at=SENT, **interpreted):
        instrument = "urica" if record.store == "service_user" else "swemwbs"
        values = {instrument: URICA if instrument == "urica" else SWEMWBS}
        made = create_sent_administration(self.session, record, self.catalogue, timepoint, values, declined, now=at,
                                          **interpreted)
        self.session.commit()
        return made

    def export(self, cohort="service_user", layout="wide", fmt="csv", keys=None, **filters) -> tuple[Path, dict]:
        self.exports += 1
        folder = self.tmp / f"export-{self.exports}"
        done = exports.export(self.session, self.catalogue, keys or self.app.config["SURVEY_KEYS"]["export"],
                              ExportRequest(cohort, layout, fmt, **filters), folder, COMMAND_LINE, codebook)
        return folder, done

    def rows(self, cohort="service_user", layout="wide", **filters) -> list[dict]:
        folder, _ = self.export(cohort, layout, **filters)
        with (folder / f"{cohort}_{layout}.csv").open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))


SHARE = {"questionnaires", "share_answers"}


@pytest.fixture
def world(app, session, catalogue, tmp_path):
    with app.app_context():
        yield World(app, session, catalogue, tmp_path)


# --- who is in a dataset -----------------------------------------------------------------------

def test_only_people_who_agreed_to_share_their_answers_are_exported(world):
    sharing = world.person(agrees=SHARE)
    world.sent(sharing)
    keeping = world.person(agrees={"questionnaires"})  # answered, but did not agree to share
    world.sent(keeping)
    rows = world.rows()
    assert len(rows) == 1
    assert rows[0]["t1_urica_01"] == "1"


def test_a_person_who_withdraws_is_absent_from_every_later_export(world):
    record = world.person(agrees=SHARE)
    world.sent(record)
    assert len(world.rows()) == 1
    consent.withdraw(world.session, record, COMMAND_LINE, delete=False, mode="verbal")
    assert world.rows() == []
    assert world.rows(layout="long") == []


def test_only_sent_questionnaires_are_exported(world, catalogue):
    from survey_app.services import invitations, questionnaires

    record = world.person(agrees=SHARE)
    link = invitations.create(world.session, record, "T1", COMMAND_LINE, None, with_code=False)
    administration = questionnaires.begin(world.session, link.invitation, record, catalogue, "en",
                                          confirmation_required=False)
    definition = questionnaires.definitions(administration, catalogue)[0]
    questionnaires.save(world.session, administration, definition, 1, questionnaires.GivenAnswer(4),
                        questionnaires.Sitting(questionnaires.LINK, frozenset(SHARE)), 0)
    world.session.commit()
    assert world.rows() == []


def test_the_period_and_the_site_choose_what_is_exported(world):
    first = world.person(agrees=SHARE, site="Camden")
    world.sent(first, at=datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc))  # 1 April in England (BST)
    second = world.person(agrees=SHARE, site="Hackney")
    world.sent(second, at=datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc))
    april = world.rows(start=date(2026, 4, 1), end=date(2026, 4, 30))
    assert [row["t1_completed"] for row in april] == ["2026-04-01"]
    assert [row["site"] for row in world.rows(site="Hackney")] == ["Hackney"]


# --- what never appears ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "sav", "dta"])
def test_no_name_contact_detail_or_study_id_appears_in_any_file(world, fmt):
    staff_name = "Case Manager"
    su = world.person(agrees=EVERYTHING, name="Ottoline Brackenbury")
    vs = world.person("victim_survivor", agrees=EVERYTHING, name="Philippa Quenby", linked_service_user=su.study_id)
    world.sent(su)
    world.sent(vs)
    for cohort in ("service_user", "victim_survivor"):
        for layout in ("wide", "long"):
            folder, _ = world.export(cohort, layout, fmt)
            held = b"".join(path.read_bytes() for path in folder.iterdir())
            for secret in ("Ottoline", "Philippa", "07400", "7400123456", su.study_id, vs.study_id,
                           su.study_id.replace("-", ""), vs.study_id.replace("-", ""), staff_name):
                assert secret.encode() not in held, (cohort, layout, secret)


def test_pseudonyms_are_stable_and_a_new_export_key_starts_a_new_space(world):
    record = world.person(agrees=SHARE)
    world.sent(record)
    first, again = world.rows()[0]["pseudonym"], world.rows()[0]["pseudonym"]
    assert first == again
    rotated = world.export(keys=[new_key()] + world.app.config["SURVEY_KEYS"]["export"])[0]
    with (rotated / "service_user_wide.csv").open(encoding="utf-8") as handle:
        assert next(csv.DictReader(handle))["pseudonym"] != first


# --- the two cohorts ---------------------------------------------------------------------------

def make_pair(world, su_agrees, vs_agrees):
    su = world.person(agrees=su_agrees)
    vs = world.person("victim_survivor", agrees=vs_agrees, linked_service_user=su.study_id)
    world.sent(su)
    world.sent(vs)
    return su, vs


def every_value(rows: list[dict]) -> set[str]:
    return {value for row in rows for name, value in row.items() if value and name != "linkage_key"}


def test_a_pair_who_both_agreed_to_linking_share_one_linkage_key(world):
    make_pair(world, EVERYTHING, EVERYTHING)
    su_rows, vs_rows = world.rows("service_user"), world.rows("victim_survivor")
    assert su_rows[0]["linkage_key"] and su_rows[0]["linkage_key"] == vs_rows[0]["linkage_key"]


@pytest.mark.parametrize("su_link, vs_link", [(True, False), (False, True), (False, False)])
def test_without_both_agreeing_to_linking_no_column_joins_the_two_datasets(world, su_link, vs_link):
    without = set(EVERYTHING) - {"link_partner"}
    make_pair(world, EVERYTHING if su_link else without, EVERYTHING if vs_link else without)
    for layout in ("wide", "long"):
        su_rows, vs_rows = world.rows("service_user", layout), world.rows("victim_survivor", layout)
        assert {row["linkage_key"] for row in su_rows + vs_rows} == {""}
        assert not {row["pseudonym"] for row in su_rows} & {row["pseudonym"] for row in vs_rows}
    # Values the two datasets share are descriptive (the site, the date, a language, a version,
    # answers 1 to 5), never a value that names one person in both.
    shared = every_value(world.rows("service_user")) & every_value(world.rows("victim_survivor"))
    assert all(len(value) < 12 for value in shared), shared


def test_linkage_stops_when_one_of_the_pair_withdraws(world):
    su, _vs = make_pair(world, EVERYTHING, EVERYTHING)
    consent.withdraw(world.session, su, COMMAND_LINE, delete=False, mode="verbal")
    assert [row["linkage_key"] for row in world.rows("victim_survivor")] == [""]


# --- what a row holds --------------------------------------------------------------------------

def test_a_wide_row_holds_each_timepoint_with_its_context_answers_and_scores(world, catalogue):
    record = world.person(agrees=EVERYTHING)
    world.sent(record, "T1", declined={4})
    _close(world, record, date(2026, 10, 30))
    world.sent(record, "T2", at=datetime(2026, 11, 4, 10, 0, tzinfo=timezone.utc))
    row = world.rows()[0]
    assert (row["t1_completed"], row["t1_mode"], row["t1_language"], row["t1_practitioner_role"]) == \
        ("2026-11-02", "link", "en", "none")
    assert row["t1_urica_04"] == "-2" and row["t1_urica_05"] == "5"  # declined, then an answer
    assert (row["t1_urica_version"], row["t1_urica_transl_status"]) == ("1.0", "original")
    assert row["t2_days_from_closure"] == "3"  # Friday 30 October to Wednesday 4 November
    assert row["t2_early"] == "0"
    assert "t1_days_from_closure" not in row
    stored = {name: score for name, score in _stored_scores(world, record, "T1").items()}
    for name, (value, status) in stored.items():
        assert row[f"t1_urica_{name}_st"] == status
        assert (row[f"t1_urica_{name}"] == "") if value is None else float(row[f"t1_urica_{name}"]) == \
            pytest.approx(value, abs=1e-12)
    assert row["t2_wai_sr_total_st"] in ("complete", "prorated")


def _close(world, record, day):
    record.first_session_date, record.closure_date, record.closure_outcome = date(2026, 9, 8), day, "completed"
    world.session.commit()


def _stored_scores(world, record, timepoint):
    from survey_app.store.answers import Administration
    from survey_app.store.scores import AdministrationScore

    administration = world.session.scalars(select(Administration).where(
        Administration.service_user_id == record.id, Administration.timepoint == timepoint)).one()
    rows = world.session.scalars(select(AdministrationScore).where(
        AdministrationScore.administration_id == administration.id, AdministrationScore.instrument_id == "urica"))
    return {r.score_id: (None if r.numerator is None else r.numerator / r.denominator, r.status) for r in rows}


def test_days_from_closure_need_agreement_to_share_records_about_support(world):
    record = world.person(agrees=SHARE)  # not share_monitoring
    world.sent(record, "T1")
    _close(world, record, date(2026, 10, 30))
    world.sent(record, "T2", at=datetime(2026, 11, 4, 10, 0, tzinfo=timezone.utc))
    assert world.rows()[0]["t2_days_from_closure"] == ""


def test_a_t2_given_before_it_was_due_is_marked_early(world):
    record = world.person(agrees=SHARE)
    world.sent(record, "T1")
    world.sent(record, "T2")  # the case is still open: T2 is not due yet
    row = world.rows()[0]
    assert row["t2_early"] == "1"
    assert {r["early"] for r in world.rows(layout="long") if r["timepoint"] == "T2"} == {"1"}


def test_the_long_layout_has_one_row_per_item_answer(world):
    record = world.person(agrees=SHARE)
    world.sent(record, declined={3, 9})
    rows = world.rows(layout="long")
    assert len(rows) == 32
    assert [row["item"] for row in rows] == [str(n) for n in range(1, 33)]
    assert {row["answer"] for row in rows if row["item"] in ("3", "9")} == {"-2"}
    assert {row["timepoint"] for row in rows} == {"T1"} and {row["mode"] for row in rows} == {"link"}
    assert len({row["urica_readiness"] for row in rows}) == 1


# --- the files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("layout", ["wide", "long"])
def test_the_data_package_validates_with_frictionless_and_records_what_reproduces_it(world, catalogue, layout):
    record = world.person(agrees=SHARE)
    world.sent(record, declined={2})
    folder, done = world.export(layout=layout)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    export = package["survey_export"]
    assert export["rows"] == done.rows and export["participants"] == 1
    assert export["instruments"] == [{"key": "urica/1.0", "sha256": catalogue.get("urica").content_sha256}]
    assert export["consent_document_versions"] == ["1.0"]
    assert export["filters"]["layout"] == layout
    from survey_app.services.dataset_files import sha256
    for name, digest in export["files"].items():
        assert sha256(folder / name) == digest
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    item = fields["t1_urica_01" if layout == "wide" else "answer"]
    assert item["missingValues"] == ["", "-1", "-2", "-3"]
    if layout == "wide":
        assert item["categories"][0] == {"value": 1, "label": "Strongly Disagree"}


def test_frictionless_refuses_a_value_outside_the_scale(world):
    """The package's constraints are real: an edited file with an impossible answer fails validation."""
    record = world.person(agrees=SHARE)
    world.sent(record)
    folder, _ = world.export()
    data = folder / "service_user_wide.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("t1_urica_01")] = "9"
    with data.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, cells])
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    del package["resources"][0]["hash"], package["resources"][0]["bytes"]
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert not frictionless.validate(str(folder / "datapackage.json")).valid


def test_spss_file_reads_back_with_labels_values_and_missing_codes(world):
    record = world.person(agrees=SHARE)
    world.sent(record, declined={8})
    folder, _ = world.export(fmt="sav")
    data, meta = pyreadstat.read_sav(str(folder / "service_user_wide.sav"), user_missing=True)
    assert data.loc[0, "t1_urica_01"] == 1 and data.loc[0, "t1_urica_08"] == -2
    assert meta.missing_ranges["t1_urica_08"] == [{"lo": -1.0, "hi": -1.0}, {"lo": -2.0, "hi": -2.0},
                                                   {"lo": -3.0, "hi": -3.0}]
    assert meta.variable_value_labels["t1_urica_08"][-2] == "Declined to answer"
    assert meta.variable_value_labels["t1_urica_01"][1] == "Strongly Disagree"
    assert meta.column_names_to_labels["t1_urica_01"].startswith("T1 URICA: item 1: ")
    plain, _ = pyreadstat.read_sav(str(folder / "service_user_wide.sav"))
    assert plain["t1_urica_08"].isna().all()  # a reader that honours missing values never sees -2 as an answer
    assert str(plain.loc[0, "t1_completed"]) == "2026-11-02"


def _interpreted_and_alone(world):
    """One person answered through a Sylheti interpreter from the English form, another alone."""
    world.sent(world.person(agrees=SHARE), interpreter="INT-QWZX", spoken_language="syl")
    world.sent(world.person(agrees=SHARE, name="Araminta Fothergill"))


@pytest.mark.parametrize("layout, prefix", [("wide", "t1_"), ("long", "")])
def test_the_language_an_interpreter_spoke_is_in_the_csv_and_empty_without_one(world, layout, prefix):
    _interpreted_and_alone(world)
    rows = world.rows(layout=layout)
    assert {(row[f"{prefix}language"], row[f"{prefix}interpreter"], row[f"{prefix}spoken_language"])
            for row in rows} == {("en", "1", "syl"), ("en", "0", "")}


def test_the_language_an_interpreter_spoke_is_in_the_spss_file_with_its_label(world):
    _interpreted_and_alone(world)
    folder, _ = world.export(fmt="sav")
    data, meta = pyreadstat.read_sav(str(folder / "service_user_wide.sav"))
    assert sorted(zip(data["t1_interpreter"], data["t1_spoken_language"])) == [(0, ""), (1, "syl")]
    assert meta.column_names_to_labels["t1_spoken_language"] == "T1: language the interpreter spoke"


@pytest.mark.parametrize("fmt", ["csv", "sav", "dta"])
def test_the_interpreters_id_is_never_exported(world, fmt):
    _interpreted_and_alone(world)
    for layout in ("wide", "long"):
        folder, _ = world.export(layout=layout, fmt=fmt)
        held = b"".join(path.read_bytes() for path in folder.iterdir())
        # letters no hash or number can hold: a match can only be the id itself
        assert not any(mark in held for mark in (b"INT-QWZX", b"QWZX", b"qwzx"))


def test_stata_file_reads_back_with_labels_values_and_extended_missing_values(world):
    record = world.person(agrees=SHARE)
    world.sent(record, declined={8})
    folder, _ = world.export(fmt="dta")
    data, meta = pyreadstat.read_dta(str(folder / "service_user_wide.dta"), user_missing=True)
    assert data.loc[0, "t1_urica_01"] == 1 and data.loc[0, "t1_urica_08"] == "b"
    assert meta.variable_value_labels["t1_urica_01"][1] == "Strongly Disagree"
    assert len(meta.column_names_to_labels["t1_urica_01"]) <= 80
    assert meta.column_names_to_labels["t1_urica_01"].startswith("T1 URICA: item 1")


def test_every_export_is_audited_with_who_filters_rows_and_hashes(world):
    record = world.person(agrees=SHARE)
    world.sent(record)
    folder, done = world.export(layout="long", site="Camden")
    entry = world.session.scalars(select(AuditEntry).where(AuditEntry.action == "dataset.export")).one()
    detail = json.loads(entry.detail)
    assert (entry.actor, detail["layout"], detail["site"], detail["rows"]) == ("cli", "long", "Camden", 32)
    assert set(detail["files"]) == {"service_user_long.csv", "codebook.html", "datapackage.json"}
    assert detail["files"] == done.hashes


def test_a_refused_request_writes_nothing_and_audits_nothing(world):
    with pytest.raises(ExportRefused, match="no site called"):
        world.export(site="Nowhere")
    with pytest.raises(ExportRefused, match="layout"):
        world.export(layout="tall")
    assert not list(world.tmp.iterdir())
    assert world.session.scalars(select(AuditEntry).where(AuditEntry.action == "dataset.export")).first() is None


def test_the_codebook_lists_every_column_and_the_export(world):
    record = world.person(agrees=SHARE)
    world.sent(record)
    folder, _ = world.export()
    page = (folder / "codebook.html").read_text(encoding="utf-8")
    header = (folder / "service_user_wide.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert all(f"<code>{name}</code>" in page for name in header)
    assert "Strongly Disagree" in page and "Declined to answer" in page
    assert "http" not in page.replace("https://datapackage.org", "")  # nothing fetched from elsewhere


def test_exported_at_follows_the_platform_clock(world):
    record = world.person(agrees=SHARE)
    world.sent(record)
    with clock.set_to(datetime(2027, 1, 5, 9, 30, tzinfo=timezone.utc), running=False):
        folder, _ = world.export()
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["survey_export"]["exported_at"] == "2027-01-05T09:30:00+00:00"


def test_an_export_by_staff_names_them_in_the_audit_log(world):
    from tests.factories import create_staff

    evaluator = create_staff(world.session, "evaluator")
    world.session.commit()
    exports.export(world.session, world.catalogue, world.app.config["SURVEY_KEYS"]["export"],
                   ExportRequest("victim_survivor", "wide", "csv"), world.tmp / "by-staff", Actor.staff(evaluator),
                   codebook)
    entry = world.session.scalars(select(AuditEntry).where(AuditEntry.action == "dataset.export")).one()
    assert entry.actor == f"staff:{evaluator.id}"
