"""`survey worker`: sends queued texts. Safe to run as several processes at once."""

from __future__ import annotations

import time
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from survey_app import clock
from survey_app.services import records, sms
from survey_app.services.links import participant_link
from survey_app.services.twilio_sender import twilio_sender
from survey_app.web.text import in_language


def sender_for(app):
    """The Twilio sender, or None (demo: nothing is sent) when Twilio is not configured."""
    config = app.config
    if config["SURVEY_MODE"] == "demo" or not all(
            config[k] for k in ("SURVEY_TWILIO_ACCOUNT_SID", "SURVEY_TWILIO_AUTH_TOKEN", "SURVEY_TWILIO_FROM")):
        return None
    return twilio_sender(config["SURVEY_TWILIO_ACCOUNT_SID"], config["SURVEY_TWILIO_AUTH_TOKEN"],
                         config["SURVEY_TWILIO_FROM"], f"{config['SURVEY_BASE_URL']}/twilio/status",
                         http_client=app.extensions.get("twilio_http_client"))


def work_once(app, limit: int = 20, today: date | None = None) -> dict[str, int]:
    """Queue reminders that are due, then claim due messages and send them; returns how many
    ended in each state (and how many reminders were queued)."""
    done: dict[str, int] = {}
    sender, rings, config = sender_for(app), records.keyrings(app.config), app.config
    # In an app context of its own, so texts are translated (in_language) however it is called.
    with app.app_context(), app.extensions["survey_sessions"]() as session:
        reminders = sms.queue_reminders(session, rings, today or clock.today(),
                                        lambda token: participant_link(config["SURVEY_BASE_URL"], token),
                                        in_language, config["SURVEY_SMS_REMINDERS"],
                                        config["SURVEY_SMS_REMINDER_DAYS"], config["SURVEY_T1_WORKING_DAYS"])
        if reminders:
            done["reminders queued"] = reminders
        for message_id in sms.claim(session, limit):
            status = sms.send(session, rings, message_id, sender, lambda message: (
                sms.text_wording(session, message.kind, message.language, in_language)))
            done[status] = done.get(status, 0) + 1
    return done


@click.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds to wait when nothing is due.")
@with_appcontext
def worker_command(once: bool, interval: float) -> None:
    """Send queued texts (with retries), as several processes at once if you like."""
    app = current_app._get_current_object()
    if sender_for(app) is None:
        click.echo("Twilio is not configured (or this is demo mode): texts are marked demo, none is sent.")
    while True:
        done = work_once(app)
        if done:
            click.echo(", ".join(f"{count} {status}" for status, count in sorted(done.items())))
        if once:
            return
        if not done:
            time.sleep(interval)
