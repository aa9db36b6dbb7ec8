"""The questionnaire from a private link: one question per page, saved as it is answered,
a check page, then the answers are sent and the link closes.

Every route here goes through `_sitting`, which asks the consent rule first: without the
consent the questionnaires need, no question is shown and no answer is taken.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from survey_app.domain.instruments import Definition
from survey_app.domain.measures import SKIPPED, Progress, Step
from survey_app.extensions import db_session
from survey_app.services import consent, questionnaires
from survey_app.services.audit import Actor
from survey_app.services.questionnaires import Sitting
from survey_app.store.answers import Administration
from survey_app.web.loaded import consent_library, instrument_catalogue
from survey_app.web.participant import bp
from survey_app.web.participant.forms import QuestionForm, SubmitAnswersForm
from survey_app.web.participant.visit import SESSION_KEY, Visit, not_working, open_visit

FINISHED_KEY = "finished"


@dataclass
class Open:
    """A link whose questionnaire may be answered now."""

    visit: Visit
    administration: Administration
    definitions: dict[str, Definition]
    sitting: Sitting

    def progress(self) -> Progress:
        return questionnaires.progress(db_session(), self.administration, instrument_catalogue())


def _sitting(token: str) -> Open:
    visit = open_visit(token)
    standing = consent.standing(db_session(), visit.record, consent_library())
    if not standing.gate.may_answer:
        abort(redirect(url_for("participant.start", token=token)))
    administration = questionnaires.begin(db_session(), visit.invitation, visit.record, instrument_catalogue(),
                                          visit.language)
    db_session().commit()
    found = questionnaires.definitions(administration, instrument_catalogue())
    return Open(visit, administration, {d.id: d for d in found}, Sitting(questionnaires.LINK, standing.gate.scope))


def _question_url(token: str, step: Step | None, **extra) -> str:
    if step is None:
        return url_for("participant.check_answers", token=token)
    return url_for("participant.question", token=token, instrument=step.instrument, number=step.item, **extra)


@bp.get("/<token>/ready")
def ready(token: str):
    """Where the questions begin, or resume: the first question with nothing recorded."""
    opened = _sitting(token)
    step = opened.progress().next_step
    if step is None:
        return redirect(url_for("participant.check_answers", token=token))
    return redirect(url_for("participant.introduction", token=token, instrument=step.instrument,
                            saved=request.args.get("saved", type=int)))


@bp.get("/<token>/questions/<instrument>")
def introduction(token: str, instrument: str):
    opened = _sitting(token)
    definition = opened.definitions.get(instrument) or abort(404)
    progress = opened.progress()
    own = [s for s in progress.steps if s.instrument == instrument]
    first_open = next((s for s in own if s not in progress.done), own[0])
    order = list(opened.definitions)
    return render_template("participant/introduction.html", token=token, definition=definition,
                           instructions=_instructions(definition, opened.visit.language),
                           number=order.index(instrument) + 1, total=len(order),
                           start=_question_url(token, first_open), choices_saved=request.args.get("saved") == "1")


def _instructions(definition: Definition, language: str) -> str | None:
    translation = questionnaires.translation_for(instrument_catalogue(), definition, language)
    return translation.instructions if translation else definition.instructions.text


@bp.route("/<token>/questions/<instrument>/<int:number>", methods=["GET", "POST"])
def question(token: str, instrument: str, number: int):
    opened = _sitting(token)
    definition = opened.definitions.get(instrument) or abort(404)
    step = Step(instrument, number)
    progress = opened.progress()
    if step not in progress.steps:
        abort(404)
    translation = questionnaires.translation_for(instrument_catalogue(), definition, opened.visit.language)
    form = QuestionForm()
    form.answer.choices = _choices(definition, translation, number)
    if form.is_submitted():
        if form.validate() and _save(opened, definition, translation, number, form):
            follow = _check_url(token) if request.args.get("change") else _question_url(token, progress.following(step))
            return redirect(follow)
    else:
        saved = questionnaires.answers(db_session(), opened.administration).get(step)
        form.answer.data = str(saved.value) if saved and saved.value is not None else None
        form.seen.data = saved.revision if saved else 0
    previous = progress.previous(step)
    back = url_for("participant.introduction", token=token, instrument=instrument) \
        if previous is None or previous.instrument != instrument else _question_url(token, previous)
    position, of = progress.position(step)
    return render_template("participant/question.html", form=form, token=token, definition=definition,
                           text=questionnaires.item_text(definition, translation, number), position=position,
                           of=of, back=back, instructions=_instructions(definition, opened.visit.language))


def _choices(definition: Definition, translation, number: int) -> list[tuple[str, str]]:
    scale = definition.scale(definition.item(number).scale)
    return [(str(point.value), translation.scale_label(scale.id, point.value) if translation else point.label)
            for point in scale.points]


def _check_url(token: str) -> str:
    return url_for("participant.check_answers", token=token)


def _save(opened: Open, definition: Definition, translation, number: int, form: QuestionForm) -> bool:
    """Save the answer. When it cannot be, the form says why and shows the answer that stands."""
    skipping = bool(form.skip.data)
    valid = {value for value, _label in form.answer.choices}
    if not skipping and form.answer.data not in valid:
        form.answer.errors.append(_("Choose an answer, or skip this question"))
        return False
    value = None if skipping else int(form.answer.data)
    saved = questionnaires.save(db_session(), opened.administration, definition, number, value,
                                SKIPPED if skipping else None, opened.sitting, form.seen.data or 0, translation)
    db_session().commit()
    if saved.ok:
        return True
    form.answer.data = str(saved.current.value) if saved.current.value is not None else None
    form.seen.data, form.seen.raw_data = saved.current.revision, None  # show the revision now standing
    form.answer.errors.append(_("This answer was changed somewhere else while this page was open. The answer "
                                "saved now is shown. Choose again if you want to change it"))
    return False


@bp.route("/<token>/questions/check", methods=["GET", "POST"])
def check_answers(token: str):
    opened = _sitting(token)
    progress = opened.progress()
    saved = questionnaires.answers(db_session(), opened.administration)
    form = SubmitAnswersForm()
    if form.validate_on_submit():
        if progress.complete:
            questionnaires.submit(db_session(), opened.administration, opened.visit.invitation,
                                  instrument_catalogue(), Actor.participant(opened.visit.invitation.id))
            db_session().commit()
            session[SESSION_KEY] = {FINISHED_KEY: True}
            return redirect(url_for("participant.thank_you"))
        form.submit.errors = [_("Some questions have no answer yet. Answer or skip them, then send your answers")]
    return render_template("participant/check_answers.html", form=form, token=token, progress=progress,
                           rows=_rows(opened, saved), back=_question_url(token, progress.steps[-1]))


def _rows(opened: Open, saved: dict) -> list[dict]:
    """For each questionnaire, its questions and what is recorded for each."""
    groups = []
    for definition in opened.definitions.values():
        translation = questionnaires.translation_for(instrument_catalogue(), definition, opened.visit.language)
        items = []
        for item in definition.items:
            answer = saved.get(Step(definition.id, item.number))
            items.append({"text": questionnaires.item_text(definition, translation, item.number),
                          "answer": _shown_answer(definition, translation, item.number, answer),
                          "change": _question_url(opened.visit.token, Step(definition.id, item.number), change=1)})
        groups.append({"title": definition.short_title, "items": items})
    return groups


def _shown_answer(definition: Definition, translation, number: int, answer) -> str:
    if answer is None:
        return _("Not answered yet")
    if answer.value is None:
        return _("Skipped")
    return dict(_choices(definition, translation, number))[str(answer.value)]


@bp.get("/thank-you")
def thank_you():
    """Shown once the answers are sent; the link itself no longer opens anything."""
    if not (session.get(SESSION_KEY) or {}).get(FINISHED_KEY):
        return not_working()
    return render_template("participant/thank_you.html")
