"""Calls from other services to the platform: Twilio's delivery reports."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from twilio.request_validator import RequestValidator

from survey_app.extensions import csrf, db_session
from survey_app.services import sms

bp = Blueprint("webhooks", __name__)


@bp.post("/twilio/status")
@csrf.exempt
def twilio_status():
    """A delivery report. Refused unless Twilio signed it with our auth token, over the exact
    public address Twilio was given (SURVEY_BASE_URL, so a proxy in front changes nothing)."""
    token = current_app.config["SURVEY_TWILIO_AUTH_TOKEN"]
    signature = request.headers.get("X-Twilio-Signature", "")
    url = f"{current_app.config['SURVEY_BASE_URL']}/twilio/status"
    if not token or not signature or not RequestValidator(token).validate(url, request.form.to_dict(), signature):
        abort(403)
    sms.delivery_report(db_session(), request.form.get("MessageSid", ""), request.form.get("MessageStatus", ""))
    return "", 204
