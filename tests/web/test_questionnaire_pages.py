"""The questionnaire from a link: gated by consent, one question per page, saved as answered,
resumable, checked, sent once; a stale second tab never overwrites an answer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.domain.catalogue import load_catalogue
from survey_app.services import consent
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.answers import Answer
from survey_app.store.records import ServiceUser
from tests.factories import create_linked_person
from tests.helpers import ABUSE_WORDS, soup, statements_run

AGREED = {"questionnaires": True, "share_answers": False}


@pytest.fixture
def link(app):
    """A service user with a T1 link (URICA, 32 questions) and no access code; returns its path."""
    record_id, made = create_linked_person(app, "service_user", with_code=False)
    return record_id, f"/q/{made.token}"


@pytest.fixture
def second_visit(app):
    """A service user with a T2 link (URICA then WAI-SR) and no access code; returns its path."""
    record_id, made = create_linked_person(app, "service_user", with_code=False, timepoint="T2")
    agree(app, record_id)
    return f"/q/{made.token}"


def agree(app, record_id, answers=AGREED):
    with app.extensions["survey_sessions"]() as session:
        person = session.get(ServiceUser, record_id)
        consent.record_decision(session, person, consent.Decision("given", "1.0", "en", "online", answers),
                                COMMAND_LINE)
        session.commit()


def saved_answers(app) -> dict[int, tuple]:
    with app.extensions["survey_sessions"]() as session:
        return {a.item_number: (a.value, a.missing_reason, a.mode, a.consent_scope, a.revision)
                for a in session.scalars(select(Answer))}


@pytest.mark.parametrize("answers", [None, {"questionnaires": False, "share_answers": True}])
def test_no_question_is_reachable_without_consent_to_the_questionnaires(app, client, link, answers):
    record_id, path = link
    if answers:
        agree(app, record_id, answers)
    for url in (f"{path}/ready", f"{path}/questions/urica", f"{path}/questions/urica/1", f"{path}/questions/check"):
        assert client.get(url).location == f"{path}/start", url
    assert client.post(f"{path}/questions/urica/1", data={"answer": "3"}).location == f"{path}/start"
    assert saved_answers(app) == {}


def test_one_question_per_page_saved_as_answered_with_the_scope_of_consent(app, client, link):
    record_id, path = link
    agree(app, record_id)
    assert client.get(f"{path}/ready").location == f"{path}/questions/urica"
    intro = soup(client.get(f"{path}/questions/urica"))
    assert intro.select_one("h1").text == "Thinking about change"  # the only part: no "Part 1 of 1"
    assert intro.select_one("main a.govuk-button")["href"] == f"{path}/questions/urica/1"
    page = soup(client.get(f"{path}/questions/urica/1"))
    assert page.select_one("#progress").text == "Question 1 of 32"
    assert "I don't have any problems that need changing" in page.select_one("legend h1").text
    assert [label.text.strip() for label in page.select(".govuk-radios__label")] == [
        "Strongly Disagree", "Disagree", "Undecided", "Agree", "Strongly Agree"]
    assert page.select_one(".govuk-back-link")["href"] == f"{path}/questions/urica"
    assert client.post(f"{path}/questions/urica/1", data={"answer": "2"}).location == f"{path}/questions/urica/2"
    assert saved_answers(app) == {1: (2, None, "link", "questionnaires", 1)}  # saved before anything else
    client.post(f"{path}/questions/urica/2", data={"skip": "Skip this question"})
    assert saved_answers(app)[2] == (None, "skipped", "link", "questionnaires", 1)
    third = soup(client.get(f"{path}/questions/urica/3"))
    assert third.select_one("#progress").text == "Question 3 of 32"
    assert third.select_one(".govuk-back-link")["href"] == f"{path}/questions/urica/2"


def test_an_empty_answer_gets_a_message_and_saves_nothing(app, client, link):
    record_id, path = link
    agree(app, record_id)
    for bad in ({}, {"answer": "9"}):
        page = soup(client.post(f"{path}/questions/urica/1", data=bad))
        assert "Choose an answer, or skip this question" in page.select_one(".govuk-error-summary").text
    assert saved_answers(app) == {}


def test_a_new_visit_resumes_at_the_first_question_with_nothing_recorded(app, client, link):
    record_id, path = link
    agree(app, record_id)
    for number in (1, 2, 3):
        client.post(f"{path}/questions/urica/{number}", data={"answer": "4"})
    later = app.test_client()  # the battery died; the same link, another day
    assert later.get(f"{path}/ready").location == f"{path}/questions/urica"
    assert soup(later.get(f"{path}/questions/urica")).select_one("main a.govuk-button")["href"] == \
        f"{path}/questions/urica/4"
    shown = soup(later.get(f"{path}/questions/urica/2"))
    assert shown.select_one("input[name=answer][checked]")["value"] == "4"


def test_two_tabs_never_duplicate_or_silently_overwrite(app, client, link):
    record_id, path = link
    agree(app, record_id)
    client.post(f"{path}/questions/urica/1", data={"answer": "2", "seen": "0"})
    client.post(f"{path}/questions/urica/1", data={"answer": "2", "seen": "0"})  # the same, twice
    assert saved_answers(app) == {1: (2, None, "link", "questionnaires", 1)}
    stale = soup(client.post(f"{path}/questions/urica/1", data={"answer": "5", "seen": "0"}))
    assert "changed somewhere else" in stale.select_one(".govuk-error-summary").text
    assert stale.select_one("input[name=answer][checked]")["value"] == "2"
    assert stale.select_one("input[name=seen]")["value"] == "1"
    assert saved_answers(app)[1][0] == 2
    client.post(f"{path}/questions/urica/1", data={"answer": "5", "seen": "1"})
    assert saved_answers(app)[1][0::4] == (5, 2)


def test_a_question_page_and_an_answer_cost_a_few_statements_however_many_answers_there_are(app, client, link):
    """The answer path is the one every participant repeats dozens of times: a page reads the link
    with its person and this browser's progress, their consent, and the administration with its
    answers; a new answer adds one insert."""
    record_id, path = link
    agree(app, record_id)
    client.get(f"{path}/questions/urica/1")
    counts = []
    for number in (1, 20):
        with statements_run(app) as shown:
            client.get(f"{path}/questions/urica/{number}")
        with statements_run(app) as answered:
            client.post(f"{path}/questions/urica/{number}", data={"answer": "3", "seen": "0"})
        counts.append((len(shown), len(answered)))
        for later in range(2, 20):
            client.post(f"{path}/questions/urica/{later}", data={"answer": "4", "seen": "0"})
    assert counts == [(3, 4), (3, 4)]
    assert saved_answers(app)[20][0] == 3


def test_check_change_and_send_then_the_link_closes(app, client, link):
    record_id, path = link
    agree(app, record_id)
    for number in range(1, 33):
        client.post(f"{path}/questions/urica/{number}", data={"answer": "3"})
    assert client.post(f"{path}/questions/urica/32", data={"answer": "3"}).location == f"{path}/questions/check"
    check = soup(client.get(f"{path}/questions/check"))
    rows = check.select(".govuk-summary-list__row")
    assert len(rows) == 32 and rows[0].select_one(".govuk-summary-list__value").text.strip() == "Undecided"
    change = rows[4].select_one(".govuk-summary-list__actions a")["href"]
    assert client.post(change, data={"answer": "5", "seen": "1"}).location == f"{path}/questions/check"
    sent = client.post(f"{path}/questions/check")
    assert sent.location == "/q/thank-you"
    assert "Answers sent" in soup(client.get("/q/thank-you")).select_one("h1").text
    assert client.get(f"{path}/questions/urica/1").status_code == 404
    assert saved_answers(app)[5][0] == 5
    assert app.test_client().get("/q/thank-you").status_code == 404


def test_answers_cannot_be_sent_with_questions_left(app, client, link):
    record_id, path = link
    agree(app, record_id)
    client.post(f"{path}/questions/urica/1", data={"answer": "3"})
    page = soup(client.post(f"{path}/questions/check"))
    assert "Some questions have no answer yet" in page.select_one(".govuk-error-summary").text
    assert "Not answered yet" in page.select(".govuk-summary-list__value")[1].text


@pytest.mark.parametrize("shown", [False, True])
def test_participants_see_scores_only_when_the_study_turns_that_on(app, client, link, monkeypatch, shown):
    monkeypatch.setitem(app.config, "SURVEY_SHOW_SCORES_TO_PARTICIPANTS", shown)
    record_id, path = link
    agree(app, record_id)
    for number in range(1, 33):
        client.post(f"{path}/questions/urica/{number}", data={"answer": "4"})
    client.post(f"{path}/questions/check")
    page = soup(client.get("/q/thank-you"))
    assert (page.select_one("#scores-urica") is not None) is shown
    if shown:
        assert "4.00" in page.select_one("#scores-urica").text


def test_each_measure_starts_with_its_instructions_under_a_neutral_part_title(client, second_visit):
    path = second_visit
    first = soup(client.get(f"{path}/questions/urica"))
    assert first.select_one("h1").text == "Part 1 of 2: Thinking about change"
    assert first.select_one("title").text.startswith("Part 1 of 2: Thinking about change")
    for number in range(1, 33):
        after = client.post(f"{path}/questions/urica/{number}", data={"answer": "3"})
    assert after.location == f"{path}/questions/wai_sr"  # not straight to "Question 1 of 12"
    second = soup(client.get(after.location))
    assert second.select_one("h1").text == "Part 2 of 2: You and your case manager"
    assert [li.text for li in second.select("main ul li")] == ["Seldom", "Sometimes", "Fairly Often", "Very Often",
                                                               "Always"]
    assert "For each question, you can choose one of these answers:" in second.select_one("main").text
    assert second.select_one("main a.govuk-button")["href"] == f"{path}/questions/wai_sr/1"
    assert soup(client.get(f"{path}/questions/wai_sr/1")).select_one(".govuk-back-link")["href"] == \
        f"{path}/questions/wai_sr"
    for number in range(1, 13):
        client.post(f"{path}/questions/wai_sr/{number}", data={"answer": "3"})
    check = soup(client.get(f"{path}/questions/check"))
    assert [h.text for h in check.select("main h2")][:2] == ["Part 1 of 2: Thinking about change",
                                                             "Part 2 of 2: You and your case manager"]
    for page in (first, second, check):
        assert not ABUSE_WORDS.search(page.select_one("title").text + " ".join(h.text for h in page.select("h1, h2")))


def test_urica_instructions_end_with_its_five_answers_word_for_word(app, client, link):
    record_id, path = link
    agree(app, record_id)
    urica = load_catalogue(app.config["SURVEY_INSTRUMENTS_DIR"]).get("urica")
    intro = soup(client.get(f"{path}/questions/urica"))
    shown = intro.select("main div[lang=en] p")
    assert [p.text for p in shown] == urica.instructions.text.split("\n\n")
    assert shown[-1].text.endswith("There are FIVE possible responses to each of the items in the questionnaire:")
    listed = shown[-1].find_parent("div").find_next_sibling()
    assert listed.name == "ul" and [li.text for li in listed.select("li")] == [
        point.label for point in urica.scales[0].points]
    assert "For each question, you can choose" not in intro.text  # the instructions' own colon leads in
    how_to_answer = soup(client.get(f"{path}/questions/urica/1")).select_one("main details")
    assert how_to_answer.select("p")[-1].text.endswith("questionnaire:")
    assert [li.text for li in how_to_answer.select("li")] == [point.label for point in urica.scales[0].points]
