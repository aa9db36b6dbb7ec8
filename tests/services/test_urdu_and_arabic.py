"""The shipped Urdu and Arabic texts, used end to end through the real use cases: a person reads
the consent document in their language, agrees online, and answers SWEMWBS in that language; every
answer records the translation it was given in and that the translation is not validated."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.config import consent_dir, instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain.consent_documents import load_library
from survey_app.domain.measures import Step
from survey_app.services import consent, invitations, questionnaires, records
from survey_app.services.audit import COMMAND_LINE, Actor
from survey_app.services.questionnaires import GivenAnswer, Sitting
from survey_app.store.answers import Answer
from survey_app.store.consent import ConsentEventRow
from tests.factories import create_record, create_site

CHOICES = {"questionnaires": True, "share_answers": True, "share_monitoring": False, "interview_contact": False,
           "link_partner": False}
# The first item and the top of the scale, as shipped, so a test fails if the wrong text is shown.
SHOWN = {"ur": ("مجھے مستقبل کے بارے میں امید محسوس ہوتی رہی ہے", "ہر وقت"),
         "ar": ("كنتُ أشعر بالتفاؤل تجاه المستقبل", "طوال الوقت")}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(instruments_dir())


@pytest.fixture(scope="module")
def library():
    return load_library(consent_dir())


@pytest.mark.parametrize("language", ["ur", "ar"])
def test_consent_and_swemwbs_are_completed_in_the_persons_language(app, session, catalogue, library, language):
    person = create_record(session, records.keyrings(app.config)["victim_survivor"], "victim_survivor",
                           create_site(session))
    link = invitations.create(session, person, "T1", COMMAND_LINE, None, with_code=False)
    session.commit()
    visitor = Actor.participant(link.invitation.id)

    document = library.current("victim_survivor", language)
    assert (document.language, document.version) == (language, "1.0")
    consent.give_consent_online(session, person, document, CHOICES, visitor)
    assert consent.standing(session, person, library).gate.may_answer
    given = session.scalars(select(ConsentEventRow)).one()
    assert (given.kind, given.language, given.document_version) == ("given", language, "1.0")

    opened = questionnaires.open_questionnaires(session, catalogue, link.invitation, person, language,
                                                confirmation_required=False)
    first = questionnaires.question_page(session, catalogue, opened, Step("swemwbs", 1))
    assert (first.language, first.text, first.scale[-1]) == (language, SHOWN[language][0], (5, SHOWN[language][1]))
    sitting = Sitting(questionnaires.LINK, frozenset(name for name, yes in CHOICES.items() if yes))
    for number, value in enumerate([3, 4, 2, 4, 3, 5, 1], start=1):
        assert questionnaires.answer_question(session, catalogue, opened, Step("swemwbs", number),
                                              GivenAnswer(value), sitting, 0).saved
    assert questionnaires.submit_answers(session, catalogue, opened, visitor)

    stored = session.scalars(select(Answer)).all()
    assert len(stored) == 7
    assert {(a.language, a.translation, a.translation_status) for a in stored} == \
        {(language, f"swemwbs/1.0/{language}/1", "unvalidated")}
