"""The questionnaire pages, shared by every way of completing them: a person on their own
device from a link, a practitioner sharing their screen, or a practitioner reading the
questions aloud on the phone. Each caller says how answers are given (the Sitting) and where
its pages live (the Flow's URL builders); the rules and the saving are the same for all.

Each page gets what it shows from one call to the questionnaire service, and each answer is
parsed here once, from the posted form, into a GivenAnswer for the service to save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, redirect, render_template, request
from flask_babel import gettext as _

from survey_app.domain.measures import MISSING_REASONS, SKIPPED, Step
from survey_app.extensions import db_session
from survey_app.services import questionnaires
from survey_app.services.audit import Actor
from survey_app.services.questionnaires import GivenAnswer, Opened, QuestionPage, Recorded, Sitting
from survey_app.web.loaded import instrument_catalogue
from survey_app.web.numerals import count
from survey_app.web.participant.forms import QuestionForm, SubmitAnswersForm

MISSING_PREFIX = "missing:"  # a radio's value for a missing reason, beside the scale's numbers


@dataclass
class Flow:
    opened: Opened
    sitting: Sitting
    actor: Actor
    introduction_url: Callable[[str], str]  # instrument id -> its introduction page
    question_url: Callable[..., str]  # (instrument id, item number, **query) -> the question page
    check_url: str
    template: str = "participant/question.html"
    introduction_template: str = "participant/introduction.html"
    reasons: tuple[str, ...] = (SKIPPED,)  # the missing reasons this way of answering offers
    context: dict | None = None  # more for the templates (the participant's token, the record)

    def url_for_step(self, step: Step | None, **query) -> str:
        return self.check_url if step is None else self.question_url(step.instrument, step.item, **query)

    def render(self, template: str, **values):
        return render_template(template, **(self.context or {}), **values)


def resume(flow: Flow, **query):
    """Where the questions begin, or resume: the first question with nothing recorded."""
    step = questionnaires.next_step(db_session(), instrument_catalogue(), flow.opened)
    if step is None:
        return redirect(flow.check_url)
    return redirect(flow.introduction_url(step.instrument, **query))


def introduction(flow: Flow, instrument: str, **values):
    page = questionnaires.introduction_page(db_session(), instrument_catalogue(), flow.opened, instrument) \
        or abort(404)
    return flow.render(flow.introduction_template, definition=page.definition,
                       heading=part_heading(page.number, page.total, page.title), language=page.language,
                       instructions=page.instructions, choices=page.choices, start=flow.url_for_step(page.first_open), **values)


def part_heading(number: int, total: int, title: str) -> str:
    """"Part 1 of 2: Thinking about change", or the title alone when there is only one part."""
    title = _(title)  # a participant title from instruments/expected.yaml, in the catalogues
    return _("Part %(number)s of %(total)s: %(title)s", number=count(number), total=count(total),
             title=title) if total > 1 else title


def question(flow: Flow, instrument: str, number: int):
    page = questionnaires.question_page(db_session(), instrument_catalogue(), flow.opened, Step(instrument, number)) \
        or abort(404)
    form = QuestionForm()
    form.answer.choices = [(str(value), label) for value, label in page.scale] + [
        (MISSING_PREFIX + reason, _(MISSING_REASONS[reason])) for reason in flow.reasons if reason != SKIPPED]
    if form.is_submitted():
        if form.validate() and _save(flow, page, form):
            return redirect(_after(flow, page))
    else:
        _show(form, page.recorded)
    back = flow.introduction_url(instrument) if page.previous is None or page.previous.instrument != instrument \
        else flow.url_for_step(page.previous)
    return flow.render(flow.template, form=form, definition=page.definition, position=page.position, of=page.of,
                       back=back, text=page.text, language=page.language, instructions=page.instructions,
                       choices=[label for _value, label in page.scale])


def _after(flow: Flow, page: QuestionPage) -> str:
    """Where an answered question leads: back to the check page after a change, to the next
    measure's instructions at the end of a measure, else to the next question."""
    if request.args.get("change"):
        return flow.check_url
    following = page.following
    if following is not None and following.instrument != page.step.instrument:
        return flow.introduction_url(following.instrument)
    return flow.url_for_step(following)


def _show(form: QuestionForm, recorded: Recorded | None) -> None:
    """Put what is recorded on the form, with its revision, so a change made elsewhere is noticed."""
    if recorded is None:
        form.answer.data, form.seen.data = None, 0
        return
    form.answer.data = str(recorded.value) if recorded.value is not None else MISSING_PREFIX + recorded.missing_reason
    form.seen.data = recorded.revision


def _save(flow: Flow, page: QuestionPage, form: QuestionForm) -> bool:
    """Save the answer. When it cannot be, the form says why and shows the answer that stands."""
    given = _given(flow, page, form)
    if given is None:
        form.answer.errors.append(_("Choose an answer, or skip this question"))
        return False
    outcome = questionnaires.answer_question(db_session(), instrument_catalogue(), flow.opened, page.step, given,
                                             flow.sitting, form.seen.data or 0)
    if outcome.saved:
        return True
    _show(form, outcome.standing)
    form.seen.raw_data = None  # show the revision now standing, not the one posted
    form.answer.errors.append(_("This answer was changed somewhere else while this page was open. The answer "
                                "saved now is shown. Choose again if you want to change it"))
    return False


def _given(flow: Flow, page: QuestionPage, form: QuestionForm) -> GivenAnswer | None:
    """The posted answer: a point on the scale or a missing reason this way of answering offers;
    None when nothing usable was chosen."""
    if form.skip.data and SKIPPED in flow.reasons:
        return GivenAnswer(missing_reason=SKIPPED)
    posted = form.answer.data or ""
    reason = posted.removeprefix(MISSING_PREFIX)
    if posted.startswith(MISSING_PREFIX) and reason in flow.reasons:
        return GivenAnswer(missing_reason=reason)
    return next((GivenAnswer(value=value) for value, _label in page.scale if str(value) == posted), None)


def check_answers(flow: Flow, on_sent: Callable[[], object]):
    page = questionnaires.check_page(db_session(), instrument_catalogue(), flow.opened)
    form = SubmitAnswersForm()
    if form.validate_on_submit():
        if questionnaires.submit_answers(db_session(), instrument_catalogue(), flow.opened, flow.actor):
            return on_sent()
        form.submit.errors = [_("Some questions have no answer yet. Answer or skip them, then send your answers")]
    rows = [{"title": part_heading(number, len(page.groups), group.title),
             "items": [{"text": row.text, "answer": _shown_answer(row), "change": flow.url_for_step(row.step, change=1)}
                       for row in group.rows]}
            for number, group in enumerate(page.groups, start=1)]
    return flow.render("participant/check_answers.html", form=form, rows=rows, back=flow.url_for_step(page.last_step))


def _shown_answer(row: questionnaires.CheckRow) -> str:
    if row.missing_reason:
        return _(MISSING_REASONS[row.missing_reason])
    return row.answer if row.answer is not None else _("Not answered yet")
