from __future__ import annotations

from flask import current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired

from survey_app.extensions import csrf, db_session, limiter
from survey_app.services import invitations
from survey_app.web.participant import bp

SESSION_KEY = "participant"


class AccessCodeForm(FlaskForm):
    code = StringField(_l("Access code"), widget=GovTextInput(),
                       description=_l("The 6 numbers you were given, for example 123456"),
                       validators=[InputRequired(message=_l("Enter the access code"))])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


def _not_working():
    """One page for unknown, expired, revoked and finished links alike."""
    return render_template("participant/link_not_working.html"), 404


def _passed_code(invitation) -> bool:
    return invitation.access_code_hash is None or session.get(SESSION_KEY, {}).get("code_ok") == invitation.id


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("20 per 15 minutes", methods=["POST"])
def entry(token: str):
    invitation = invitations.find_usable(db_session(), token)
    if invitation is None:
        return _not_working()
    if _passed_code(invitation):
        return redirect(url_for("participant.welcome", token=token))
    form = AccessCodeForm()
    if form.validate_on_submit():
        outcome = invitations.check_code(db_session(), invitation, form.code.data)
        db_session().commit()
        if outcome == "ok":
            session[SESSION_KEY] = {"code_ok": invitation.id}
            return redirect(url_for("participant.welcome", token=token))
        form.code.errors.append(_("That code is not right. Check it with the person who gave it to you")
                                if outcome == "wrong" else
                                _("Too many tries. Wait 15 minutes, then try again, or ask for a new code"))
    return render_template("participant/access_code.html", form=form)


@bp.get("/<token>/welcome")
def welcome(token: str):
    invitation = invitations.find_usable(db_session(), token)
    if invitation is None or not _passed_code(invitation):
        return _not_working() if invitation is None else redirect(url_for("participant.entry", token=token))
    return render_template("participant/welcome.html", token=token)


@bp.post("/leave")
@csrf.exempt
def leave():
    """Called by the quick exit as it leaves: forget that this browser passed any access code, so
    going Back lands on the neutral code page, not on the questions. Changes nothing else."""
    session.pop(SESSION_KEY, None)
    return "", 204


@bp.app_context_processor
def quick_exit() -> dict:
    return {"quick_exit_url": current_app.config["SURVEY_QUICK_EXIT_URL"]}
