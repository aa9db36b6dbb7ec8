"""WTForms' own messages come from a catalogue loaded once per process and language, not read from
disk and parsed again for every page with a form (a few milliseconds on every question)."""

from __future__ import annotations

from babel import support

from survey_app.web import form_translations
from tests.factories import create_linked_person
from tests.helpers import soup


def test_the_catalogue_is_loaded_once_for_every_page(app, client, monkeypatch):
    _record_id, made = create_linked_person(app, "service_user", with_code=False)
    monkeypatch.setattr(form_translations, "_loaded", {})
    loads = []
    real_load = support.Translations.load
    monkeypatch.setattr(support.Translations, "load",
                        lambda *args, **kwargs: loads.append(kwargs.get("domain")) or real_load(*args, **kwargs))
    for _ in range(3):
        page = soup(client.get(f"/q/{made.token}/choices/questionnaires"))
        assert page.select("input[type=radio]")
    # An answer that is not one of the choices: WTForms' own message, on a page drawn again.
    refused = soup(client.post(f"/q/{made.token}/choices/questionnaires", data={"answer": "maybe"}))
    assert refused.select_one(".govuk-error-summary") is not None
    assert loads.count("wtforms") == 1
