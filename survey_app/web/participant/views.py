"""The way in: the link, the access code, the language, and where to go next."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from survey_app.domain.invitations import code_paused_message
from survey_app.extensions import db_session
from survey_app.services import attempts, consent, invitations
from survey_app.web.loaded import consent_library
from survey_app.web.languages import language_name
from survey_app.web.limits import limited
from survey_app.web.participant import bp
from survey_app.web.participant.forms import AccessCodeForm, LanguageForm
from survey_app.web.participant.visit import SESSION_KEY, open_visit
from survey_app.web.text import say


@bp.route("/<token>", methods=["GET", "POST"])
@limited(attempts.ACCESS_CODE)
def entry(token: str):
    visit = open_visit(token, need_code=False)
    if visit.passed_code:
        return redirect(url_for("participant.start", token=token))
    form = AccessCodeForm()
    if form.validate_on_submit():
        outcome = invitations.check_code(db_session(), visit.invitation, form.code.data)
        if outcome == invitations.CODE_OK:
            visit.code_entered()
            return redirect(url_for("participant.start", token=token))
        form.code.errors.append(_("That code is not right. Check it with the person who gave it to you")
                                if outcome == invitations.CODE_WRONG else say(code_paused_message()))
    return render_template("participant/access_code.html", form=form)


@bp.get("/<token>/start")
def start(token: str):
    """Send the person to the first thing they still need: language, consent, then questions."""
    visit = open_visit(token)
    if "language" not in visit.progress and len(_languages(visit.record.store)) > 1:
        return redirect(url_for("participant.language", token=token))
    standing = consent.standing(db_session(), visit.record, consent_library())
    if standing.gate.may_answer:
        return redirect(url_for("participant.ready", token=token))
    if standing.last_said_not_now_or_no and not visit.progress.get("reconsider"):
        return redirect(url_for("participant.decided", token=token))
    return redirect(url_for("participant.about", token=token))


@bp.route("/<token>/language", methods=["GET", "POST"])
def language(token: str):
    visit = open_visit(token)
    form = LanguageForm()
    form.language.choices = [(code, language_name(code)) for code in _languages(visit.record.store)]
    if form.validate_on_submit():
        visit.remember(language=form.language.data)
        return redirect(url_for("participant.start", token=token))
    return render_template("participant/language.html", form=form, token=token)


def _languages(store: str) -> list[str]:
    """Languages a person can use from start to end: the consent document and the pages."""
    offered = set(current_app.config["SURVEY_LOCALES"])
    return [code for code in consent_library().languages(store) if code in offered]


@bp.get("/leave")
def leave():
    """The quick exit, with or without JavaScript: end this browser's session (an access code
    entered, choices not yet confirmed; a member of staff on a shared screen is signed out too),
    pause a link that has no access code, then go to the neutral page. So Back, the link reopened
    from history or a new tab shows the code page or the "not working" page, never the questions.
    Answers already given stay saved."""
    progress = session.get(SESSION_KEY) or {}
    # Another site could send a browser here to pause someone's link; browsers mark that request
    # cross-site, and it still ends the session, but only the platform's own pages pause a link.
    ours = request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")
    if progress.get("invitation") and ours:
        invitations.quick_exit(db_session(), progress["invitation"])
    session.clear()
    return redirect(current_app.config["SURVEY_QUICK_EXIT_URL"], 303)
