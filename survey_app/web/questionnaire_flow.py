"""The questionnaire pages, shared by every way of completing them: a person on their own
device from a link, a practitioner sharing their screen, or a practitioner reading the
questions aloud on the phone. Each caller says how answers are given (the Sitting) and where
its pages live (the Flow's URL builders); the rules and the saving are the same for all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, redirect, render_template, request
from flask_babel import gettext as _

from survey_app.domain.instruments import Definition
from survey_app.domain.measures import MISSING_REASONS, SKIPPED, Progress, Step
from survey_app.extensions import db_session
from survey_app.services import questionnaires
from survey_app.services.audit import Actor
from survey_app.services.questionnaires import Sitting
from survey_app.store.answers import Administration
from survey_app.store.invitations import Invitation
from survey_app.web.loaded import instrument_catalogue, wording_confirmation_required
from survey_app.web.participant.forms import QuestionForm, SubmitAnswersForm


@dataclass
class Flow:
    invitation: Invitation
    administration: Administration
    sitting: Sitting
    language: str
    actor: Actor
    introduction_url: Callable[[str], str]  # instrument id -> its introduction page
    question_url: Callable[..., str]  # (instrument id, item number, **query) -> the question page
    check_url: str
    template: str = "participant/question.html"
    reasons: tuple[str, ...] = (SKIPPED,)  # the missing reasons this way of answering offers
    context: dict | None = None  # more for the templates (the participant's token, the record)

    @property
    def definitions(self) -> dict[str, Definition]:
        found = questionnaires.definitions(self.administration, instrument_catalogue())
        return {d.id: d for d in found}

    def answers(self) -> dict:
        return questionnaires.answers(db_session(), self.administration)

    def progress(self, saved: dict | None = None) -> Progress:
        return questionnaires.progress(db_session(), self.administration, instrument_catalogue(), saved)

    def url_for_step(self, step: Step | None, **query) -> str:
        return self.check_url if step is None else self.question_url(step.instrument, step.item, **query)

    def translation(self, definition: Definition):
        return questionnaires.translation_for(instrument_catalogue(), definition, self.language)

    def instructions(self, definition: Definition) -> str | None:
        translation = self.translation(definition)
        return translation.instructions if translation else definition.instructions.text

    def render(self, template: str, **values):
        return render_template(template, **(self.context or {}), **values)


def begin(invitation: Invitation, record, language: str, nothing_offered: Callable[[], object]) -> Administration:
    """The link's administration; when no measure can be given yet (in production, none whose wording
    is confirmed), nothing is begun and the request ends with the `nothing_offered` response."""
    try:
        administration = questionnaires.begin(db_session(), invitation, record, instrument_catalogue(), language,
                                              confirmation_required=wording_confirmation_required())
    except questionnaires.NothingOffered:
        abort(nothing_offered())
    db_session().commit()
    return administration


def resume(flow: Flow, **query):
    """Where the questions begin, or resume: the first question with nothing recorded."""
    step = flow.progress().next_step
    if step is None:
        return redirect(flow.check_url)
    return redirect(flow.introduction_url(step.instrument, **query))


def introduction(flow: Flow, instrument: str, **values):
    definitions = flow.definitions
    definition = definitions.get(instrument) or abort(404)
    progress = flow.progress()
    own = [s for s in progress.steps if s.instrument == instrument]
    first_open = next((s for s in own if s not in progress.done), own[0])
    order = list(definitions)
    return flow.render("participant/introduction.html", definition=definition, instructions=flow.instructions(definition),
                       number=order.index(instrument) + 1, total=len(order), start=flow.url_for_step(first_open),
                       **values)


def question(flow: Flow, instrument: str, number: int):
    definition = flow.definitions.get(instrument) or abort(404)
    step = Step(instrument, number)
    saved = flow.answers()
    progress = flow.progress(saved)
    if step not in progress.steps:
        abort(404)
    translation = flow.translation(definition)
    form = QuestionForm()
    form.answer.choices = choices(definition, translation, number) + [
        (f"missing:{reason}", _(MISSING_REASONS[reason])) for reason in flow.reasons if reason != SKIPPED]
    if form.is_submitted():
        if form.validate() and _save(flow, definition, translation, number, form):
            return redirect(flow.check_url if request.args.get("change") else flow.url_for_step(progress.following(step)))
    else:
        form.answer.data = _shown_value(saved.get(step))
        form.seen.data = saved[step].revision if step in saved else 0
    previous = progress.previous(step)
    back = flow.introduction_url(instrument) if previous is None or previous.instrument != instrument \
        else flow.url_for_step(previous)
    position, of = progress.position(step)
    return flow.render(flow.template, form=form, definition=definition, position=position, of=of, back=back,
                       text=questionnaires.item_text(definition, translation, number),
                       instructions=flow.instructions(definition))


def choices(definition: Definition, translation, number: int) -> list[tuple[str, str]]:
    """The item's scale as (value, label), in the language it is given in."""
    scale = definition.scale(definition.item(number).scale)
    return [(str(point.value), translation.scale_label(scale.id, point.value) if translation else point.label)
            for point in scale.points]


def _shown_value(saved) -> str | None:
    if saved is None:
        return None
    return str(saved.value) if saved.value is not None else f"missing:{saved.missing_reason}"


def _save(flow: Flow, definition: Definition, translation, number: int, form: QuestionForm) -> bool:
    """Save the answer. When it cannot be, the form says why and shows the answer that stands."""
    value, reason = _answer_given(flow, form)
    if value is None and reason is None:
        form.answer.errors.append(_("Choose an answer, or skip this question"))
        return False
    saved = questionnaires.save(db_session(), flow.administration, definition, number, value, reason, flow.sitting,
                                form.seen.data or 0, translation)
    db_session().commit()
    if saved.ok:
        return True
    form.answer.data = _shown_value(saved.current)
    form.seen.data, form.seen.raw_data = saved.current.revision, None  # show the revision now standing
    form.answer.errors.append(_("This answer was changed somewhere else while this page was open. The answer "
                                "saved now is shown. Choose again if you want to change it"))
    return False


def _answer_given(flow: Flow, form: QuestionForm) -> tuple[int | None, str | None]:
    """(value, None), (None, missing reason), or (None, None) when nothing usable was chosen."""
    if form.skip.data and SKIPPED in flow.reasons:
        return None, SKIPPED
    given = form.answer.data or ""
    if given.startswith("missing:") and given.removeprefix("missing:") in flow.reasons:
        return None, given.removeprefix("missing:")
    if given in {value for value, _label in form.answer.choices}:
        return int(given), None
    return None, None


def check_answers(flow: Flow, on_sent: Callable[[], object]):
    saved = flow.answers()
    progress = flow.progress(saved)
    form = SubmitAnswersForm()
    if form.validate_on_submit():
        if progress.complete:
            questionnaires.submit(db_session(), flow.administration, flow.invitation, instrument_catalogue(),
                                  flow.actor)
            db_session().commit()
            return on_sent()
        form.submit.errors = [_("Some questions have no answer yet. Answer or skip them, then send your answers")]
    return flow.render("participant/check_answers.html", form=form, progress=progress, rows=_rows(flow, saved),
                       back=flow.url_for_step(progress.steps[-1]))


def _rows(flow: Flow, saved: dict) -> list[dict]:
    """For each questionnaire, its questions and what is recorded for each."""
    groups = []
    for definition in flow.definitions.values():
        translation = flow.translation(definition)
        items = []
        for item in definition.items:
            step = Step(definition.id, item.number)
            items.append({"text": questionnaires.item_text(definition, translation, item.number),
                          "answer": _shown_answer(definition, translation, item.number, saved.get(step)),
                          "change": flow.url_for_step(step, change=1)})
        groups.append({"title": definition.short_title, "items": items})
    return groups


def _shown_answer(definition: Definition, translation, number: int, answer) -> str:
    if answer is None:
        return _("Not answered yet")
    if answer.value is None:
        return _(MISSING_REASONS[answer.missing_reason])
    return dict(choices(definition, translation, number))[str(answer.value)]
