"""Participant radios and buttons are rendered once per distinct look and kept: what is kept must
never show one page's answer, error or language on another."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, lazy_gettext
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from markupsafe import Markup

from survey_app.web import widgets
from survey_app.web.participant.forms import QuestionForm


def question_form(chosen: str | None, error: str | None = None) -> QuestionForm:
    form = QuestionForm(meta={"csrf": False}, formdata=None)
    form.answer.choices = [("1", "Strongly Disagree"), ("2", "Disagree"), ("3", "Undecided")]
    form.answer.data = chosen
    if error:
        form.answer.errors = [error]
    return form


def rendered(form: QuestionForm) -> str:
    return str(form.answer(params={"fieldset": {"legend": {"text": "I am not the problem one."}}}))


def test_a_kept_rendering_is_the_same_as_the_library_s_own(app):
    with app.test_request_context():
        for chosen, error in ((None, None), ("2", None), ("3", "Choose an answer")):
            form = question_form(chosen, error)
            params = {"fieldset": {"legend": {"text": "I am not the problem one."}}}
            assert rendered(form) == str(GovRadioInput()(form.answer, params=params))
            assert rendered(form) == str(GovRadioInput()(form.answer, params=params))  # a kept one, the same


def test_the_answer_chosen_and_an_error_each_change_what_is_shown(app):
    with app.test_request_context():
        nothing, second, third = rendered(question_form(None)), rendered(question_form("2")), rendered(question_form("3"))
        assert nothing.count("checked") == 0 and 'value="2" checked' in second and 'value="3" checked' in third
        assert "Choose an answer" in rendered(question_form(None, "Choose an answer"))
        assert "Choose an answer" not in rendered(question_form(None))


def test_a_translated_label_is_kept_per_language(app):
    with app.test_request_context():
        form = question_form(None)
        form.answer.choices = [("yes", lazy_gettext("Yes")), ("no", lazy_gettext("No"))]
        with force_locale("cy"):
            welsh = rendered(form)
        english = rendered(form)
        assert welsh != english and "Yes" in english


def test_markup_and_plain_text_are_kept_apart():
    plain, markup = widgets._frozen({"text": "<b>a</b>"}), widgets._frozen({"text": Markup("<b>a</b>")})
    assert plain != markup


def test_a_value_the_cache_cannot_tell_apart_is_refused():
    with pytest.raises(TypeError):
        widgets._frozen({"text": object()})


def test_only_so_many_renderings_are_kept(app, monkeypatch):
    monkeypatch.setattr(widgets, "RENDERED_WIDGETS", 3)
    monkeypatch.delitem(app.extensions, "survey_rendered_widgets", raising=False)
    with app.test_request_context():
        for number in range(5):
            assert f"Error {number}" in rendered(question_form(None, f"Error {number}"))
        assert widgets._rendered_widgets().cache_info().currsize == 3
