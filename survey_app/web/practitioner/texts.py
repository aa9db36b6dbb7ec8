"""The safe-contact questions, asked before any text is sent."""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for

from survey_app.domain.sms import SafeContact
from survey_app.extensions import db_session
from survey_app.services import records, sms
from survey_app.services.audit import Actor
from survey_app.web.practitioner import bp
from survey_app.web.practitioner.forms import SafeContactForm
from survey_app.web.practitioner.access import STORE_CONVERTER, record_or_404
from survey_app.web.text import say

RECORD = f"/<{STORE_CONVERTER}:store_url>/<study_id>"


@bp.route(f"{RECORD}/safe-contact", methods=["GET", "POST"])
def safe_contact(store_url: str, study_id: str):
    store, staff, found = record_or_404(store_url, study_id)
    keyring = records.keyrings(current_app.config)[store]
    form = SafeContactForm()
    if form.validate_on_submit():
        answers = SafeContact(form.may_text.data == "yes", form.text_from.data, form.text_until.data,
                              (form.never_say.data or "").strip())
        try:
            sms.record_safe_contact(db_session(), keyring, found, answers, staff.id, Actor.staff(staff))
        except sms.CannotText as refusal:
            form.may_text.errors.append(say(refusal))
        else:
            return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))
    current = sms.safe_contact(db_session(), keyring, found)
    if current is not None and not form.is_submitted():
        form.may_text.data = "yes" if current.may_text else "no"
        form.text_from.data, form.text_until.data, form.never_say.data = \
            current.text_from, current.text_until, current.never_say
    return render_template("practitioner/safe_contact.html", form=form, record=found, store_url=store_url)
