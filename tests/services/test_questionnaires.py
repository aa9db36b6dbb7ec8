"""Completing measures: the measure sets, saving as answers are given, resuming, double and
concurrent saves, submitting, scores in support, and deletion on withdrawal."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain.measures import MISSING, UNCONFIRMED, Step, measure_set
from survey_app.services import consent, instruments, invitations, participant_visits, questionnaires, records
from survey_app.services.audit import COMMAND_LINE
from survey_app.services.questionnaires import GivenAnswer, NotAllowed, NothingOffered, Sitting
from survey_app.store.answers import Administration, Answer
from survey_app.store.db import push_deletions_to_disk
from tests.factories import create_record, create_site, create_staff
from tests.helpers import raw_bytes

SCOPE = frozenset({"questionnaires", "share_answers"})
ON_OWN = Sitting(questionnaires.LINK, SCOPE)
# A moment nothing else in the database holds, so its bytes mark an answer row in the file.
MARK = datetime(2031, 7, 19, 13, 37, 42, 123456, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(instruments_dir())


@pytest.fixture
def person(app, session):
    site = create_site(session)
    record = create_record(session, records.keyrings(app.config)["service_user"], "service_user", site,
                           name="Ottoline Brackenbury")
    session.commit()
    return record


def sitting(session, person, catalogue, timepoint="T1"):
    link = invitations.create(session, person, timepoint, COMMAND_LINE, None, with_code=False)
    administration = questionnaires.begin(session, link.invitation, person, catalogue, "en",
                                          confirmation_required=False)
    session.commit()
    return link, administration


def answer_all(session, administration, catalogue, value=3, now=None):
    for definition in questionnaires.definitions(administration, catalogue):
        for item in definition.items:
            assert questionnaires.save(session, administration, definition, item.number, GivenAnswer(value), ON_OWN,
                                       0, now=now).ok
    session.commit()


@pytest.mark.parametrize("audience, timepoint, given", [
    ("service_user", "T1", ("urica",)), ("service_user", "T2", ("urica", "wai_sr")),
    ("victim_survivor", "T1", ("swemwbs",)), ("victim_survivor", "T2", ("swemwbs",))])
def test_measure_sets_follow_the_study_design(catalogue, audience, timepoint, given):
    chosen = measure_set(catalogue, audience, timepoint, confirmation_required=False)
    assert chosen.instrument_ids == given
    # SDPS is expected at T2 but has no published items: staff are told, the rest goes ahead.
    assert [e.id for e in chosen.unavailable] == (["sdps"] if (audience, timepoint) == ("victim_survivor", "T2")
                                                  else [])


def test_where_confirmation_is_required_only_confirmed_wording_is_given(catalogue):
    urica = catalogue.get("urica")
    chosen = measure_set(catalogue, "service_user", "T2", confirmation_required=True, confirmed={urica.content_sha256})
    assert chosen.instrument_ids == ("urica",)
    [waiting] = chosen.unavailable
    assert (waiting.id, waiting.reason, waiting.definition.version) == ("wai_sr", UNCONFIRMED, "1.0")
    missing = measure_set(catalogue, "victim_survivor", "T2", confirmation_required=True).unavailable
    assert [(e.id, e.reason) for e in missing] == [("swemwbs", UNCONFIRMED), ("sdps", MISSING)]


def test_begin_gives_only_confirmed_versions_where_confirmation_is_required(session, person, catalogue):
    t1, t2 = (invitations.create(session, person, t, COMMAND_LINE, None, with_code=False).invitation
              for t in ("T1", "T2"))

    def begin(link):
        return questionnaires.begin(session, link, person, catalogue, "en", confirmation_required=True)

    with pytest.raises(NothingOffered):  # nothing confirmed: nothing is begun, so the link still works later
        begin(t1)
    assert session.scalar(select(func.count()).select_from(Administration)) == 0
    instruments.confirm(session, catalogue.get("urica"), "A. Admin")
    assert begin(t1).instruments == "urica/1.0"
    assert begin(t2).instruments == "urica/1.0"  # WAI-SR is waiting for its confirmation


def test_each_answer_is_saved_with_how_it_was_given_and_a_person_resumes_where_they_stopped(
        session, person, catalogue):
    _, administration = sitting(session, person, catalogue)
    urica = questionnaires.definitions(administration, catalogue)[0]
    for number in (1, 2):
        questionnaires.save(session, administration, urica, number, GivenAnswer(4), ON_OWN, 0)
    questionnaires.save(session, administration, urica, 3, GivenAnswer(missing_reason="skipped"), ON_OWN, 0)
    session.commit()
    session.expunge_all()
    again = session.get(Administration, administration.id)
    assert questionnaires.progress(session, again, catalogue).next_step == Step("urica", 4)
    row = questionnaires.answers(session, again)[Step("urica", 1)]
    assert (row.instrument_version, row.language, row.translation, row.translation_status, row.mode,
            row.recorded_by, row.consent_scope) == ("1.0", "en", "", "original", "link", None,
                                                    "questionnaires share_answers")
    assert questionnaires.answers(session, again)[Step("urica", 3)].missing_reason == "skipped"


def test_the_same_answer_twice_is_one_row_and_a_stale_change_is_refused_with_the_current_answer(
        session, person, catalogue):
    _, administration = sitting(session, person, catalogue)
    urica = questionnaires.definitions(administration, catalogue)[0]
    worker = create_staff(session, "case_manager")
    assert questionnaires.save(session, administration, urica, 1, GivenAnswer(2), ON_OWN, 0).ok
    assert questionnaires.save(session, administration, urica, 1, GivenAnswer(2), ON_OWN, 0).ok  # double submit
    by_phone = Sitting(questionnaires.PHONE, SCOPE, worker.id)
    refused = questionnaires.save(session, administration, urica, 1, GivenAnswer(5), by_phone, 0)  # saw none
    assert not refused.ok and refused.current.value == 2
    changed = questionnaires.save(session, administration, urica, 1, GivenAnswer(5), by_phone, 1)
    assert changed.ok and (changed.current.value, changed.current.revision, changed.current.mode,
                           changed.current.recorded_by) == (5, 2, "phone", worker.id)
    session.commit()
    assert session.scalar(select(func.count()).select_from(Answer)) == 1


@pytest.mark.parametrize("value, reason", [(6, None), (0, None), (None, None), (3, "skipped"), (None, "bored")])
def test_bad_answers_change_nothing(session, person, catalogue, value, reason):
    _, administration = sitting(session, person, catalogue)
    urica = questionnaires.definitions(administration, catalogue)[0]
    with pytest.raises(NotAllowed):
        questionnaires.save(session, administration, urica, 1, GivenAnswer(value, reason), ON_OWN, 0)
    assert session.scalar(select(func.count()).select_from(Answer)) == 0


def test_submitting_needs_every_question_then_closes_the_link(session, person, catalogue):
    link, administration = sitting(session, person, catalogue)
    urica = questionnaires.definitions(administration, catalogue)[0]
    questionnaires.save(session, administration, urica, 1, GivenAnswer(3), ON_OWN, 0)
    with pytest.raises(NotAllowed):
        questionnaires.submit(session, administration, link.invitation, catalogue, COMMAND_LINE)
    answer_all(session, administration, catalogue)
    questionnaires.submit(session, administration, link.invitation, catalogue, COMMAND_LINE)
    session.commit()
    assert invitations.find_usable(session, link.token) is None
    with pytest.raises(NotAllowed):
        questionnaires.save(session, administration, urica, 1, GivenAnswer(4), ON_OWN, 1)


def test_scores_in_support_show_each_timepoint_and_the_change(session, person, catalogue):
    for timepoint, value in (("T1", 2), ("T2", 4)):
        link, administration = sitting(session, person, catalogue, timepoint)
        answer_all(session, administration, catalogue, value)
        questionnaires.submit(session, administration, link.invitation, catalogue, COMMAND_LINE)
    session.commit()
    found = {s.definition.id: s for s in questionnaires.scores_for(session, person, catalogue)}
    assert set(found) == {"urica", "wai_sr"}
    urica = found["urica"]
    assert str(urica.by_timepoint["T1"]["action"].rounded) == "2.00"
    assert str(urica.by_timepoint["T2"]["action"].rounded) == "4.00"
    assert urica.change["action"].rounded_difference == 2
    assert list(found["wai_sr"].by_timepoint) == ["T2"] and found["wai_sr"].change == {}


def test_withdrawal_with_deletion_leaves_no_answer_in_the_database_file(app, session, person, catalogue):
    _, administration = sitting(session, person, catalogue)
    answer_all(session, administration, catalogue, now=MARK)
    marker = MARK.isoformat(sep=" ").split("+")[0].encode()
    if app.extensions["survey_engine"].dialect.name == "sqlite":
        assert marker in raw_bytes(app, session), "the check must see the answer rows first"
    consent.withdraw(session, person, COMMAND_LINE, delete=True, mode="online")
    session.commit()
    assert session.scalar(select(func.count()).select_from(Answer)) == 0
    assert session.scalar(select(func.count()).select_from(Administration)) == 0
    push_deletions_to_disk(session)
    stored = raw_bytes(app, session)
    assert marker not in stored and b"Brackenbury" not in stored


def test_withdrawal_with_deletion_itself_clears_the_answers_from_the_database_file(app, session, person, catalogue):
    """The use case pushes its deletions to disk once committed: no caller has to remember to."""
    engine = app.extensions["survey_engine"]
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL reclaims deleted rows with VACUUM, outside any transaction (see the README)")
    _, administration = sitting(session, person, catalogue)
    answer_all(session, administration, catalogue, now=MARK)
    log = Path(f"{engine.url.database}-wal")
    assert log.stat().st_size > 0, "the answers wait in the write-ahead log first"
    consent.withdraw(session, person, COMMAND_LINE, delete=True, mode="online")
    assert log.stat().st_size == 0, "the log, with the deleted pages, has been copied back and emptied"
    marker = MARK.isoformat(sep=" ").split("+")[0].encode()
    assert marker not in raw_bytes(app, session)


def test_an_administration_keeps_the_language_it_began_in(session, person, catalogue):
    link = invitations.create(session, person, "T1", COMMAND_LINE, None, with_code=False)
    session.commit()
    first = questionnaires.open_questionnaires(session, catalogue, link.invitation, person, "cy",
                                                confirmation_required=False)
    again = questionnaires.open_questionnaires(session, catalogue, link.invitation, person, "en",
                                                confirmation_required=False)
    assert (first.administration_id, first.language) == (again.administration_id, "cy")


def test_answering_through_the_use_case_saves_once_and_a_refused_answer_changes_nothing(session, person, catalogue):
    link = invitations.create(session, person, "T1", COMMAND_LINE, None, with_code=False)
    session.commit()
    opened = questionnaires.open_questionnaires(session, catalogue, link.invitation, person, "en",
                                                 confirmation_required=False)
    first = Step("urica", 1)
    with pytest.raises(NotAllowed):
        questionnaires.answer_question(session, catalogue, opened, first, GivenAnswer(9), ON_OWN, 0)
    assert session.scalar(select(func.count()).select_from(Answer)) == 0
    assert questionnaires.answer_question(session, catalogue, opened, first, GivenAnswer(2), ON_OWN, 0).saved
    stale = questionnaires.answer_question(session, catalogue, opened, first, GivenAnswer(4), ON_OWN, 0)
    assert not stale.saved and (stale.standing.value, stale.standing.revision) == (2, 1)
    page = questionnaires.question_page(session, catalogue, opened, first)
    assert (page.recorded.value, page.position, page.of, page.following) == (2, 1, 32, Step("urica", 2))
    assert not questionnaires.submit_answers(session, catalogue, opened, COMMAND_LINE)


def test_withdrawal_with_deletion_forgets_every_browser_s_unconfirmed_progress_with_the_person_s_links(
        session, person, catalogue):
    """A browser part-way through the consent questions holds choices that are the person's too."""
    link, _ = sitting(session, person, catalogue)
    participant_visits.keep(session, "browser-key", {"invitation": link.invitation.id, "choices": {"questionnaires": True}})
    participant_visits.keep(session, "another-key", {"language": "cy"})  # a browser with no link: not theirs
    consent.withdraw(session, person, COMMAND_LINE, delete=True, mode="online")
    assert participant_visits.load(session, "browser-key") is None
    assert participant_visits.load(session, "another-key") == {"language": "cy"}
