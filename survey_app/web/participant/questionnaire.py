"""The questionnaire from a private link: one question per page, saved as it is answered,
a check page, then the answers are sent and the link closes.

Every route here goes through `_flow`, which asks the consent rule first: without the
consent the questionnaires need, no question is shown and no answer is taken.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for

from survey_app.extensions import db_session
from survey_app.services import consent, questionnaires
from survey_app.services.audit import Actor
from survey_app.services.questionnaires import Sitting
from survey_app.web import questionnaire_flow
from survey_app.web.loaded import consent_library, instrument_catalogue, wording_confirmation_required
from survey_app.web.participant import bp
from survey_app.web import browser_progress
from survey_app.web.participant.visit import end_progress, not_working, open_visit
from survey_app.web.questionnaire_flow import Flow

FINISHED_KEY = "finished"


def _flow(token: str) -> Flow:
    visit = open_visit(token)
    standing = consent.standing(db_session(), visit.record, consent_library())
    if not standing.gate.may_answer:
        abort(redirect(url_for("participant.start", token=token)))
    # A new administration begins in the language this person chose; one begun keeps its own.
    try:
        opened = questionnaires.open_questionnaires(db_session(), instrument_catalogue(), visit.invitation,
                                                    visit.record, visit.language,
                                                    confirmation_required=wording_confirmation_required())
    except questionnaires.NothingOffered:  # nothing begun: the link works once a measure can be given
        abort(not_working())
    return Flow(
        opened=opened, sitting=Sitting(questionnaires.LINK, standing.gate.scope),
        actor=Actor.participant(visit.invitation.id),
        introduction_url=lambda instrument, **query: url_for("participant.introduction", token=token,
                                                             instrument=instrument, **query),
        question_url=lambda instrument, number, **query: url_for("participant.question", token=token,
                                                                 instrument=instrument, number=number, **query),
        check_url=url_for("participant.check_answers", token=token), context={"token": token})


@bp.get("/<token>/ready")
def ready(token: str):
    return questionnaire_flow.resume(_flow(token), saved=request.args.get("saved", type=int))


@bp.get("/<token>/questions/<instrument>")
def introduction(token: str, instrument: str):
    return questionnaire_flow.introduction(_flow(token), instrument, choices_saved=request.args.get("saved") == "1")


@bp.route("/<token>/questions/<instrument>/<int:number>", methods=["GET", "POST"])
def question(token: str, instrument: str, number: int):
    return questionnaire_flow.question(_flow(token), instrument, number)


@bp.route("/<token>/questions/check", methods=["GET", "POST"])
def check_answers(token: str):
    flow = _flow(token)

    def sent():
        end_progress(**{FINISHED_KEY: flow.opened.administration_id})
        return redirect(url_for("participant.thank_you"))

    return questionnaire_flow.check_answers(flow, sent)


@bp.get("/thank-you")
def thank_you():
    """Shown once the answers are sent; the link itself no longer opens anything."""
    finished = browser_progress.current().get(FINISHED_KEY)
    if not finished:
        return not_working()
    scores = None
    if current_app.config["SURVEY_SHOW_SCORES_TO_PARTICIPANTS"]:
        scores = questionnaires.thank_you_scores(db_session(), instrument_catalogue(), finished)
    return render_template("participant/thank_you.html", scores=scores)
