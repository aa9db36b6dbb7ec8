"""Completing questionnaires with a practitioner: on a shared screen, or read aloud on the phone.

Both open one of the person's usable links from the practitioner's own account. The
shared-screen pages are the participant's pages and nothing else (no caseload, no menus, no
name), so sharing the screen shows only the questions. Their addresses are neutral too: from
the first question on, /screen/<id>, where the id is random and means something only in this
practitioner's session (an address bar on a shared screen must not show the store or the study
id). The phone pages are a reading script with the same saving rules. Every answer records the
mode and the practitioner.
"""

from __future__ import annotations

import secrets

from flask import abort, current_app, redirect, render_template, session, url_for

from survey_app.domain.measures import DECLINED, NOT_UNDERSTOOD, SKIPPED
from survey_app.extensions import db_session
from survey_app.services import consent, instruments, invitations, questionnaires
from survey_app.services.audit import Actor
from survey_app.services.interpreters import InterpreterConflict
from survey_app.services.questionnaires import Sitting
from survey_app.web import questionnaire_flow
from survey_app.web.loaded import consent_library, instrument_catalogue, wording_confirmation_required
from survey_app.web.practitioner import bp
from survey_app.web.practitioner.forms import AssistedStartForm
from survey_app.web.practitioner.access import STORE_CONVERTER, record_or_404
from survey_app.web.questionnaire_flow import Flow
from survey_app.web.languages import TRANSLATION_STATUS_NAMES, language_name
from survey_app.web.text import say

ASSISTED = f"/<{STORE_CONVERTER}:store_url>/<study_id>/links/<int:link_id>/<any(screen, phone):mode>"
PHONE = f"/<{STORE_CONVERTER}:store_url>/<study_id>/links/<int:link_id>/<any(phone):mode>"
SCREEN = "/screen/<screen_id>"
# The ways a practitioner helps, as they appear in URLs, and the delivery mode each records.
ASSISTED_MODES = {"screen": questionnaires.SCREEN_SHARE, "phone": questionnaires.PHONE}
SCREENS_KEPT = 5  # shared-screen ids a session remembers (the most recent)


def _screen_id(store_url: str, study_id: str, link_id: int) -> str:
    """The neutral id of this link's shared screen in this session: the same one while it lasts."""
    screens = session.get("screens", {})
    place = [store_url, study_id, link_id]
    found = next((screen_id for screen_id, kept in screens.items() if kept == place), None)
    if found is None:
        found = secrets.token_urlsafe(6)
        session["screens"] = dict(list(screens.items())[1 - SCREENS_KEPT:] + [(found, place)])
    return found


def _screen_place(screen_id: str) -> tuple[str, str, int]:
    """The record and link behind a shared screen's id; 404 for an id this session never made."""
    place = session.get("screens", {}).get(screen_id) or abort(404)
    return place[0], place[1], place[2]


def _open(store_url: str, study_id: str, link_id: int):
    """The practitioner, the record, its usable link and consent standing; or stop the request:
    404 for a record or link they may not use, back to the record without consent in force."""
    _store, staff, record = record_or_404(store_url, study_id)
    invitation = invitations.usable_of_record(db_session(), record, link_id) or abort(404)
    standing = consent.standing(db_session(), record, consent_library())
    if not standing.gate.may_answer:
        abort(_back_to_record(store_url, study_id))
    return staff, record, invitation, standing


def _back_to_record(store_url: str, study_id: str):
    """To the record, which says why (no consent in force, or no measure that can be given yet)."""
    return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))


def _flow(store_url: str, study_id: str, link_id: int, mode: str, interpreter: str | None = None,
          spoken_language: str | None = None, language: str | None = None) -> Flow:
    staff, record, invitation, standing = _open(store_url, study_id, link_id)
    if mode == "screen":
        pages, place = "practitioner.screen_", {"screen_id": _screen_id(store_url, study_id, link_id)}
    else:
        pages, place = "practitioner.assisted_", {"store_url": store_url, "study_id": study_id, "link_id": link_id,
                                                 "mode": mode}
    # A new administration begins in the language chosen on the start page (else the default); one
    # begun keeps its own.
    try:
        opened = questionnaires.open_questionnaires(
            db_session(), instrument_catalogue(), invitation, record,
            language or current_app.config["BABEL_DEFAULT_LOCALE"],
            confirmation_required=wording_confirmation_required(), interpreter=interpreter,
            spoken_language=spoken_language)
    except questionnaires.NothingOffered:
        abort(_back_to_record(store_url, study_id))
    return Flow(
        opened=opened, sitting=Sitting(ASSISTED_MODES[mode], standing.gate.scope, staff.id),
        actor=Actor.staff(staff),
        introduction_url=lambda instrument, **query: url_for(pages + "introduction", **place, instrument=instrument,
                                                             **query),
        question_url=lambda instrument, number, **query: url_for(pages + "question", **place, instrument=instrument,
                                                                 number=number, **query),
        check_url=url_for(pages + "check", **place),
        template="practitioner/phone_question.html" if mode == "phone" else "participant/question.html",
        introduction_template="practitioner/phone_introduction.html" if mode == "phone"
        else "participant/introduction.html",
        reasons=(DECLINED, NOT_UNDERSTOOD) if mode == "phone" else (SKIPPED,),
        context={"phone": mode == "phone", "pause_url": url_for(pages + "pause", **place)})


@bp.route(ASSISTED, methods=["GET", "POST"])
def assisted_start(store_url: str, study_id: str, link_id: int, mode: str):
    """Before the first question: the language, with how each measure's words stand in it, and who is
    helping. Once begun, straight back to the questions."""
    _staff, record, invitation, _standing = _open(store_url, study_id, link_id)
    if questionnaires.already_begun(db_session(), invitation):
        return questionnaire_flow.resume(_flow(store_url, study_id, link_id, mode))
    options = instruments.language_options(db_session(), instrument_catalogue(), record.store, invitation.timepoint,
                                           wording_confirmation_required())
    form = AssistedStartForm(language=options[0].language if options else None)
    form.language.choices = [(o.language, f"{language_name(o.language)} ({o.language})") for o in options]
    if form.validate_on_submit():
        try:
            flow = _flow(store_url, study_id, link_id, mode, interpreter=form.interpreter.data,
                         spoken_language=form.spoken_language.data, language=form.language.data)
        except InterpreterConflict as conflict:
            form.interpreter.errors.append(say(conflict.message))
        else:
            return questionnaire_flow.resume(flow)
    return render_template("practitioner/assisted_start.html", form=form, record=record, store_url=store_url,
                           phone=mode == "phone", options=options, language_name=language_name,
                           status_names=TRANSLATION_STATUS_NAMES)


@bp.get(f"{PHONE}/questions/<instrument>")
def assisted_introduction(store_url: str, study_id: str, link_id: int, mode: str, instrument: str):
    return questionnaire_flow.introduction(_flow(store_url, study_id, link_id, mode), instrument)


@bp.route(f"{PHONE}/questions/<instrument>/<int:number>", methods=["GET", "POST"])
def assisted_question(store_url: str, study_id: str, link_id: int, mode: str, instrument: str, number: int):
    return questionnaire_flow.question(_flow(store_url, study_id, link_id, mode), instrument, number)


@bp.route(f"{PHONE}/check", methods=["GET", "POST"])
def assisted_check(store_url: str, study_id: str, link_id: int, mode: str):
    return _check(store_url, study_id, link_id, mode)


@bp.get(f"{SCREEN}/questions/<instrument>")
def screen_introduction(screen_id: str, instrument: str):
    return questionnaire_flow.introduction(_flow(*_screen_place(screen_id), "screen"), instrument)


@bp.route(f"{SCREEN}/questions/<instrument>/<int:number>", methods=["GET", "POST"])
def screen_question(screen_id: str, instrument: str, number: int):
    return questionnaire_flow.question(_flow(*_screen_place(screen_id), "screen"), instrument, number)


@bp.route(f"{SCREEN}/check", methods=["GET", "POST"])
def screen_check(screen_id: str):
    return _check(*_screen_place(screen_id), "screen")


def _check(store_url: str, study_id: str, link_id: int, mode: str):
    flow = _flow(store_url, study_id, link_id, mode)
    record_url = url_for("practitioner.record", store_url=store_url, study_id=study_id)

    def sent():
        if mode == "phone":
            return redirect(record_url)
        return render_template("participant/thank_you.html", staff_return=record_url)  # nothing left to pause

    return questionnaire_flow.check_answers(flow, sent)


@bp.get(f"{PHONE}/pause")
def assisted_pause(store_url: str, study_id: str, link_id: int, mode: str):
    """The discreet way back to the record before the end (a call drops, a shared screen must
    stop). Each answer is saved as it is given, so nothing is lost; the record offers to
    continue. A route of its own, so a shared page never shows the record's address."""
    record_or_404(store_url, study_id)
    return _back_to_record(store_url, study_id)


@bp.get(f"{SCREEN}/pause")
def screen_pause(screen_id: str):
    """The same pause from a shared screen, whose page names neither the store nor the person."""
    store_url, study_id, link_id = _screen_place(screen_id)
    return assisted_pause(store_url, study_id, link_id, "screen")
