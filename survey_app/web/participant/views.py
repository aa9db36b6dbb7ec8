"""The way in: the link, the access code, the language, and where to go next."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from survey_app.domain.invitations import code_paused_message
from survey_app.extensions import db_session
from survey_app.services import attempts, consent, invitations, participant_languages
from survey_app.web.loaded import consent_library, instrument_catalogue
from survey_app.web.languages import language_direction, language_name, language_tag
from survey_app.web.limits import limited
from survey_app.web.participant import bp
from survey_app.web.participant.forms import AccessCodeForm, LanguageForm
from survey_app.web import browser_progress
from survey_app.web.participant.visit import open_visit
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
    return render_template("participant/access_code.html", form=form, token=token)


@bp.get("/<token>/start")
def start(token: str):
    """Send the person to the first thing they still need: consent, then questions. The language is
    the browser's (or the one remembered on the link) until the person chooses another, on the
    first page or by "Change language" on any page."""
    visit = open_visit(token)
    chosen = visit.progress.get("language")
    if chosen and chosen != visit.invitation.language and chosen in visit.languages:
        # chosen on the access-code page: kept on the link now that the code is entered
        participant_languages.choose(db_session(), instrument_catalogue(), visit.invitation, chosen, visit.languages)
    standing = consent.standing(db_session(), visit.record, consent_library())
    if standing.gate.may_answer:
        return redirect(url_for("participant.ready", token=token))
    if standing.last_said_not_now_or_no and not visit.progress.get("reconsider"):
        return redirect(url_for("participant.decided", token=token))
    return redirect(url_for("participant.about", token=token))


@bp.route("/<token>/language", methods=["GET", "POST"])
def language(token: str):
    """The language page, where "Change language" on every page leads (and returns to, `next`); the
    first page's language buttons post here too.
    Before the access code the choice holds for this browser only; after it, it is remembered on
    the link. Changing it loses nothing: answers are saved as they are given."""
    visit = open_visit(token, need_code=False)
    back = _return_to(token, request.values.get("next"))
    form = LanguageForm(language=visit.language)
    form.language.choices = [(code, language_name(code)) for code in visit.languages]
    if form.validate_on_submit():
        visit.remember(language=form.language.data)
        if visit.passed_code:
            participant_languages.choose(db_session(), instrument_catalogue(), visit.invitation, form.language.data,
                                         visit.languages)
        return redirect(back or url_for("participant.start", token=token))
    options = [{"label": {"attributes": {"lang": language_tag(code), "dir": language_direction(code)}}}
               for code in visit.languages]
    return render_template("participant/language.html", form=form, token=token, options=options, back=back,
                           changing=back is not None)


def _return_to(token: str, path: str | None) -> str | None:
    """Where "Change language" came from, when it is a page of this same link (never elsewhere)."""
    own = url_for("participant.entry", token=token)
    if path and (path == own or path.startswith(own + "/")) and "//" not in path and "\\" not in path:
        return path
    return None


@bp.get("/leave")
def leave():
    """The quick exit, with or without JavaScript: end this browser's session (an access code
    entered, choices not yet confirmed; a member of staff on a shared screen is signed out too),
    pause a link that has no access code, then go to the neutral page. So Back, the link reopened
    from history or a new tab shows the code page or the "not working" page, never the questions.
    Answers already given stay saved."""
    progress = browser_progress.current()
    # Another site could send a browser here to pause someone's link; browsers mark that request
    # cross-site, and it still ends the session, but only the platform's own pages pause a link.
    ours = request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")
    if progress.get("invitation") and ours:
        invitations.quick_exit(db_session(), progress["invitation"])
    browser_progress.forget()
    session.clear()
    return redirect(current_app.config["SURVEY_QUICK_EXIT_URL"], 303)
