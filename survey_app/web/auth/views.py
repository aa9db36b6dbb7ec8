from __future__ import annotations

import pyotp
from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from survey_app.extensions import db_session
from survey_app.services import attempts, records, staff as staff_service
from survey_app.services.refusal import Refused
from survey_app.web import session as staff_session
from survey_app.web.auth import bp
from survey_app.web.auth.forms import CodeForm, SetPasswordForm, SignInForm
from survey_app.web.limits import limited
from survey_app.web.permissions import START_PAGES
from survey_app.web.qr import qr_svg
from survey_app.web.text import say


def _start_page(staff) -> str:
    target = request.args.get("next", "")
    # Only paths on this site: never an address elsewhere ("//host" or "https://…").
    if target.startswith("/") and not target.startswith("//"):
        return target
    return url_for(START_PAGES[staff.role])


@bp.route("/sign-in", methods=["GET", "POST"])
@limited(attempts.SIGN_IN)
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        result = staff_service.sign_in(db_session(), form.email.data, form.password.data, current_app.config)
        if result.outcome == "ok":
            return _after_password(result.staff)
        form.email.errors.append({
            "wrong": _("The email address or password is not right"),
            "wait": _("Too many tries. Wait %(seconds)d seconds, then try again", seconds=result.wait_seconds),
            "locked": _("Too many tries. Signing in with this email address is paused for a while. "
                        "Ask your admin if you need help now"),
        }[result.outcome])
    return render_template("auth/sign_in.html", form=form)


def _after_password(staff):
    staff_session.start(staff, staff_session.PASSWORD_CHECKED)
    if staff.totp_secret is not None:
        return redirect(url_for("auth.code", next=request.args.get("next")))
    if staff_service.needs_code_setup(staff):
        return redirect(url_for("auth.set_up_code", next=request.args.get("next")))
    return _finish(staff)


def _finish(staff):
    staff_service.signed_in(db_session(), staff)
    staff_session.start(staff, staff_session.SIGNED_IN)
    return redirect(_start_page(staff))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@limited(attempts.SIGN_IN)
def code():
    staff = staff_session.pending_staff()
    if staff is None or staff.totp_secret is None:
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        result = staff_service.check_code(db_session(), staff, form.code.data, _staff_keyring(), current_app.config)
        if result.outcome == "ok":
            return _finish(staff)
        form.code.errors.append({
            "wrong": _("The code is not right. Enter the newest code from your app"),
            "wait": _("Too many tries. Wait %(seconds)d seconds, then try again", seconds=result.wait_seconds),
            "locked": _("Too many tries. Signing in to this account is paused for a while. "
                        "Ask your admin if you need help now"),
        }[result.outcome])
    return render_template("auth/code.html", form=form)


@bp.route("/sign-in/set-up-code", methods=["GET", "POST"])
def set_up_code():
    """Admins and evaluators must add a second factor before their first sign-in completes."""
    staff = staff_session.pending_staff()
    if staff is None:
        return redirect(url_for("auth.sign_in"))
    return _code_setup(staff, _adds_codes(staff), on_success=lambda: _finish(staff))


@bp.route("/account/sign-in-codes", methods=["GET", "POST"])
def add_code():
    """Anyone may add a second factor; practitioners are not obliged to."""
    staff = staff_session.current_staff()
    if staff.totp_secret is not None:
        return render_template("auth/code_already_set.html")
    return _code_setup(staff, _adds_codes(staff), on_success=lambda: render_template("auth/code_added.html"))


def _adds_codes(staff):
    return lambda secret, code: staff_service.add_second_factor(db_session(), staff, secret, code, _staff_keyring())


def _code_setup(staff, save, on_success):
    """Show a new secret to add to an authenticator app; `save(secret, code)` keeps it once the app shows
    a right code (False when not)."""
    secret = session.get("new_totp_secret") or staff_service.new_totp_secret()
    session["new_totp_secret"] = secret
    form = CodeForm()
    if form.validate_on_submit():
        if save(secret, form.code.data):
            session.pop("new_totp_secret", None)
            return on_success()
        form.code.errors.append(_("The code is not right. Check the app shows this account, then try again"))
    uri = pyotp.TOTP(secret).provisioning_uri(name=staff.email, issuer_name=_("Questionnaire staff"))
    return render_template("auth/set_up_code.html", form=form, secret=secret, qr=qr_svg(uri))


@bp.post("/sign-out")
def sign_out():
    staff = staff_session.current_staff()
    if staff is not None:
        staff_service.signed_out(db_session(), staff)
    staff_session.end()
    return redirect(url_for("auth.signed_out"))


@bp.get("/signed-out")
def signed_out():
    return render_template("auth/signed_out.html")


@bp.get("/forgotten-password")
def forgotten_password():
    return render_template("auth/forgotten_password.html")


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    if staff_service.staff_for_reset(db_session(), token) is None:
        return render_template("auth/link_not_valid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            staff = staff_service.use_reset(db_session(), token, form.password.data)
        except Refused as refusal:
            form.password.errors.append(say(refusal.message))
        else:
            staff_session.end()
            return render_template("auth/password_set.html", staff=staff)
    return render_template("auth/set_password.html", form=form)


@bp.route("/reset-sign-in-codes/<token>", methods=["GET", "POST"])
def reset_codes(token: str):
    """New sign-in codes from a one-time link an admin handed over, for someone who lost their authenticator."""
    staff = staff_service.staff_for_reset(db_session(), token, staff_service.CODES)
    if staff is None:
        return render_template("auth/link_not_valid.html"), 404

    def save(secret, code):
        return staff_service.use_codes_reset(db_session(), token, secret, code, _staff_keyring())

    def done():
        staff_session.end()
        return render_template("auth/codes_replaced.html")

    return _code_setup(staff, save, on_success=done)


def _staff_keyring():
    return records.keyrings(current_app.config)["staff"]
