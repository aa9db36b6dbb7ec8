"""Consent on a call: the practitioner reads the same three layers aloud from a script, records
each answer, the language and any interpreter; and records a wish to stop."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _

from survey_app.domain.consent import GIVEN, STATEMENTS, not_agreed
from survey_app.extensions import db_session
from survey_app.services import consent
from survey_app.services.audit import Actor
from survey_app.web.loaded import consent_document, consent_library
from survey_app.web.languages import language_name
from survey_app.web.practitioner import bp
from survey_app.web.practitioner.forms import PractitionerStopForm, VerbalConsentForm
from survey_app.web.practitioner.access import STORE_CONVERTER, record_or_404
from survey_app.web.text import say

RECORD = f"/<{STORE_CONVERTER}:store_url>/<study_id>"


@bp.route(f"{RECORD}/consent", methods=["GET", "POST"])
def verbal_consent(store_url: str, study_id: str):
    store, staff, found = record_or_404(store_url, study_id)
    library = consent_library()
    form = VerbalConsentForm()
    # The platform's default language first, so the script opens in it until another is chosen.
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = sorted(library.languages(store), key=lambda code: code != default)
    form.language.choices = [(code, language_name(code)) for code in languages]
    if not form.language.choices:
        abort(404)
    # A language with no published document (a forged post) shows the default's script and is refused.
    chosen = form.language.data if form.language.data in languages else languages[0]
    document = consent_document(store, chosen)
    for statement in document.statements:
        getattr(form, statement.id).label.text = statement.question
    form.reason.choices = list(document.decline_reasons)
    if form.validate_on_submit() and _complete(form, library.study.consent.required):
        try:
            consent.record_verbal_decision(
                db_session(), found, document, form.outcome.data, staff.id, Actor.staff(staff),
                answers=_answers(form), reason=form.reason.data or "", ask_again=form.ask_again_on.data,
                ask_again_days=library.study.ask_again_days, interpreter=form.interpreter.data,
                once=form.once.data)
        except consent.InterpreterConflict as conflict:
            form.interpreter.errors.append(say(conflict.message))
        else:
            return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))
    required = library.study.consent.required
    return render_template("practitioner/verbal_consent.html", form=form, document=document, record=found,
                           store_url=store_url, required=required)


def _answers(form: VerbalConsentForm) -> dict[str, bool | None]:
    """Each statement's answer: True for yes, False for no, None when none was chosen."""
    return {s: {"yes": True, "no": False}.get(getattr(form, s).data) for s in STATEMENTS}


def _complete(form: VerbalConsentForm, required: frozenset[str]) -> bool:
    """Agreement needs every answer, yes to each required statement, and the information given."""
    if form.outcome.data != GIVEN:
        return True
    answers = _answers(form)
    # Each message names its question, so the error summary says which one needs an answer.
    for statement in STATEMENTS:
        if answers[statement] is None:
            field = getattr(form, statement)
            field.errors.append(_("Choose yes or no for “%(question)s”", question=field.label.text))
    for statement in not_agreed(answers, required):
        if answers[statement] is False:
            field = getattr(form, statement)
            field.errors.append(_("They must say yes to “%(question)s” to take part. If they did not, choose Not now "
                                  "or No.", question=field.label.text))
    if not form.read_out.data:
        form.read_out.errors.append(_("Confirm that you read out or explained the information"))
    return not any(getattr(form, s).errors for s in STATEMENTS) and not form.read_out.errors


@bp.route(f"{RECORD}/stop", methods=["GET", "POST"])
def record_stop(store_url: str, study_id: str):
    _store, staff, found = record_or_404(store_url, study_id)
    form = PractitionerStopForm()
    if form.validate_on_submit():
        delete = form.keep.data == "delete"
        consent.withdraw(db_session(), found, Actor.staff(staff), delete=delete, mode=consent.VERBAL,
                         recorded_by=staff.id, once=form.once.data)
        return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))
    return render_template("practitioner/record_stop.html", form=form, record=found, store_url=store_url)


@bp.get("/consent-documents/<any(service_user, victim_survivor):audience>/<language>")
def information_sheet(audience: str, language: str):
    """The full information sheet, for a practitioner to read from or print for someone."""
    document = consent_document(audience, language)
    if document is None:
        abort(404)
    required = {s.id: s.id in consent_library().study.consent.required for s in document.statements}
    return render_template("practitioner/information_sheet.html", document=document, required=required)
