"""Online consent: the summary first, sections on demand, the full sheet to print, then one
question per page, a check page, and one saved event. Saying not now or no is respected and
counted, with an optional reason that is never linked to the person. Stopping is always open.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for

from survey_app.domain.consent import DECLINED, LINK_PARTNER, NOT_NOW, QUESTIONNAIRES, STATEMENTS
from survey_app.extensions import db_session
from survey_app.services import consent, questionnaires
from survey_app.services.audit import Actor
from survey_app.web.once import sent_before
from survey_app.web.loaded import consent_document, consent_library
from survey_app.web.participant import bp
from survey_app.web.participant.forms import (ANSWER_NO, ANSWER_NOT_NOW, ANSWER_YES, ConfirmForm, ReasonForm,
                                             StatementForm, StopForm, StopWithoutAnswersForm)
from survey_app.web.participant.visit import Visit, end_progress, open_visit


def _document(visit: Visit):
    document = consent_document(visit.record.store, visit.language)
    if document is None:  # no published document in this language: nothing can be asked
        abort(404)
    return document


def _required(statement_id: str) -> bool:
    return statement_id in consent_library().study.consent.required


@bp.get("/<token>/about")
def about(token: str):
    visit = open_visit(token)
    standing = consent.standing(db_session(), visit.record, consent_library())
    changed = standing.answers is not None and not standing.gate.may_answer
    return render_template("participant/about.html", token=token, document=_document(visit), changed=changed,
                           first=STATEMENTS[0])


@bp.get("/<token>/information")
def information(token: str):
    visit = open_visit(token)
    document = _document(visit)
    required = {s.id: _required(s.id) for s in document.statements}
    return render_template("participant/information.html", token=token, document=document, required=required)


@bp.route("/<token>/choices/<any(%s):statement_id>" % ", ".join(STATEMENTS), methods=["GET", "POST"])
def statement(token: str, statement_id: str):
    visit = open_visit(token)
    document = _document(visit)
    index = STATEMENTS.index(statement_id)
    choices = visit.progress.get("choices", {})
    if any(s not in choices for s in STATEMENTS[:index]):  # skipped ahead: start at the first gap
        gap = next(s for s in STATEMENTS if s not in choices)
        return redirect(url_for("participant.statement", token=token, statement_id=gap))
    form = StatementForm()
    form.offer(_required(statement_id))
    if form.validate_on_submit():
        return _after_answer(visit, statement_id, form.answer.data)
    if statement_id in choices:
        form.answer.data = ANSWER_YES if choices[statement_id] else ANSWER_NO
    elif statement_id == LINK_PARTNER:
        form.answer.data = ANSWER_NO  # linking is never assumed: it starts at no
    back = url_for("participant.about", token=token) if index == 0 else \
        url_for("participant.statement", token=token, statement_id=STATEMENTS[index - 1])
    return render_template("participant/statement.html", form=form, statement=document.statement(statement_id),
                           number=index + 1, total=len(STATEMENTS), back=back, token=token,
                           required=_required(statement_id))


def _after_answer(visit: Visit, statement_id: str, answer: str):
    if answer in (ANSWER_NOT_NOW, ANSWER_NO) and _required(statement_id):
        visit.remember(declining=NOT_NOW if answer == ANSWER_NOT_NOW else DECLINED)
        return redirect(url_for("participant.reason", token=visit.token))
    choices = dict(visit.progress.get("choices", {}), **{statement_id: answer == ANSWER_YES})
    visit.remember(choices=choices)
    missing = [s for s in STATEMENTS if s not in choices]
    if missing:
        return redirect(url_for("participant.statement", token=visit.token, statement_id=missing[0]))
    return redirect(url_for("participant.check_choices", token=visit.token))  # also after a change


@bp.route("/<token>/choices/check", methods=["GET", "POST"])
def check_choices(token: str):
    visit = open_visit(token)
    document = _document(visit)
    if sent_before():  # the choices were saved, and cleared from the progress; the reply was lost
        return redirect(url_for("participant.ready", token=token, saved=1))
    choices = visit.progress.get("choices", {})
    missing = [s for s in STATEMENTS if s not in choices]
    if missing:
        return redirect(url_for("participant.statement", token=token, statement_id=missing[0]))
    form = ConfirmForm()
    if form.validate_on_submit():
        consent.give_consent_online(db_session(), visit.record, document, choices,
                                    Actor.participant(visit.invitation.id), once=form.once.data)
        visit.remember(choices={}, reconsider=False)
        return redirect(url_for("participant.ready", token=token, saved=1))
    return render_template("participant/check_choices.html", form=form, document=document, choices=choices,
                           token=token)


@bp.route("/<token>/reason", methods=["GET", "POST"])
def reason(token: str):
    visit = open_visit(token)
    document = _document(visit)
    if sent_before():  # the decision was saved; the reply was lost
        return redirect(url_for("participant.decided", token=token))
    kind = visit.progress.get("declining")
    if kind not in (NOT_NOW, DECLINED):
        return redirect(url_for("participant.start", token=token))
    form = ReasonForm()
    form.reason.choices = list(document.decline_reasons)
    if form.validate_on_submit():
        consent.decline_online(db_session(), visit.record, document, kind, form.reason.data or "",
                               consent_library().study.ask_again_days, Actor.participant(visit.invitation.id),
                               once=form.once.data)
        visit.remember(declining=None, choices={}, reconsider=False)
        return redirect(url_for("participant.decided", token=token))
    back = url_for("participant.statement", token=token, statement_id=QUESTIONNAIRES)
    return render_template("participant/reason.html", form=form, token=token, back=back,
                           not_now=kind == NOT_NOW)


@bp.route("/<token>/decided", methods=["GET", "POST"])
def decided(token: str):
    """After not now or no: what happens next, and a way to change one's mind."""
    visit = open_visit(token)
    standing = consent.standing(db_session(), visit.record, consent_library())
    if not standing.last_said_not_now_or_no:
        return redirect(url_for("participant.start", token=token))
    latest = standing.latest
    form = ConfirmForm()
    if form.validate_on_submit():
        visit.remember(reconsider=True)
        return redirect(url_for("participant.about", token=token))
    return render_template("participant/decided.html", token=token, not_now=latest.kind == NOT_NOW,
                           ask_again_on=latest.ask_again_on, form=form)


@bp.route("/<token>/stop", methods=["GET", "POST"])
def stop(token: str):
    visit = open_visit(token)
    answered = questionnaires.has_answers(db_session(), visit.record)
    form = StopForm() if answered else StopWithoutAnswersForm()
    if form.validate_on_submit():
        delete = form.keep.data == "delete"
        consent.withdraw(db_session(), visit.record, Actor.participant(visit.invitation.id), delete=delete,
                         mode=consent.ONLINE, once=form.once.data)
        end_progress()
        return render_template("participant/stopped.html", deleted=delete, answered=answered)
    return render_template("participant/stop.html", form=form, token=token, answered=answered,
                           back=url_for("participant.start", token=token))
