"""Before an assisted administration the practitioner sees, for each language the measures can be
given in, how each measure's words stand (original, validated, not validated, in review), and
chooses the language; every answer then records the translation and its status."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.config import instruments_dir
from survey_app.domain.translation_uploads import publish_upload
from survey_app.services import invitations
from survey_app.services.audit import COMMAND_LINE
from survey_app.store.answers import Answer
from tests.factories import create_agreed_case, sign_in_as
from tests.helpers import TRANSLATED, as_yaml, instrument_translation, soup

SWEMWBS = instruments_dir() / "swemwbs" / "1.0.yaml"


@pytest.fixture
def link(app, client, data_folders):
    """A partner support worker signed in; a victim-survivor who agreed, with a T1 link (SWEMWBS)."""
    with app.extensions["survey_sessions"]() as session:
        worker, person = create_agreed_case(session, app.config, "victim_survivor", "partner_support_worker",
                                            agreed=("questionnaires",))
        made = invitations.create(session, person, "T1", COMMAND_LINE, worker.id, with_code=False)
        session.commit()
        sign_in_as(client, worker)
        return f"/victim-survivors/{person.study_id}/links/{made.invitation.id}/phone"


def test_only_published_translations_are_offered_with_their_status(client, link, data_folders):
    instruments, _consent = data_folders
    draft = instrument_translation(SWEMWBS, language="ar")
    (instruments / "swemwbs" / "1.0.ar.yaml").write_bytes(as_yaml(draft))  # a draft: not published
    assert soup(client.get(link)).select("input[name=language]") == [], "English only: nothing to choose"

    publish_upload(as_yaml(instrument_translation(SWEMWBS, status="validated", status_source="Study Y, 2025")),
                   *data_folders)
    page = soup(client.get(link))
    assert [i["value"] for i in page.select("input[name=language]")] == ["en", "ur"]
    rows = {row.th.get_text(" ", strip=True): row.td.get_text(" ", strip=True) for row in page.select("tbody tr")}
    assert rows == {"English (en)": "SWEMWBS: Original wording", "اردو (ur)": "SWEMWBS: Validated (Study Y, 2025)"}


def test_the_chosen_language_is_used_and_every_answer_records_the_translation_and_its_status(
        app, client, link, data_folders):
    publish_upload(as_yaml(instrument_translation(SWEMWBS)), *data_folders)
    first = client.post(link, data={"language": "ur"}).location
    page = soup(client.get(first, follow_redirects=True))
    assert TRANSLATED in page.select_one(".app-read-aloud").text
    client.post(f"{link}/questions/swemwbs/1", data={"answer": "4"})
    with app.extensions["survey_sessions"]() as session:
        [answer] = session.scalars(select(Answer)).all()
        assert (answer.language, answer.translation, answer.translation_status) == (
            "ur", "swemwbs/1.0/ur/1", "unvalidated")
