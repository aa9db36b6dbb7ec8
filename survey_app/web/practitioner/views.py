from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l

from survey_app import clock
from survey_app.domain.contact import InvalidPhone
from survey_app.domain.sms import UnsafeText
from survey_app.domain.study_ids import InvalidStudyId, normalise
from survey_app.domain.windows import STATUS_NAMES
from survey_app.extensions import db_session
from survey_app.services import links, record_pages, records, sms
from survey_app.services.audit import Actor
from survey_app.web.loaded import consent_library, instrument_catalogue, wording_confirmation_required
from survey_app.web.practitioner import bp
from survey_app.web.practitioner.access import STORE_CONVERTER, STORE_NAMES, own_store, record_or_404
from survey_app.web.practitioner.forms import NewLinkForm, NewRecordForm, PathwayForm
from survey_app.web.qr import qr_svg
from survey_app.web.session import current_staff
from survey_app.web.text import in_language, say

STATEMENT_NAMES = {"questionnaires": _l("Answer the questionnaires"),
                   "share_answers": _l("Share answers with the evaluator, without their name"),
                   "share_monitoring": _l("Share monitoring records with the evaluator, without their name"),
                   "interview_contact": _l("May be contacted about an interview"),
                   "link_partner": _l("Answers may be linked with the other person's in the case")}


@bp.get("/caseload")
def caseload():
    page = record_pages.caseload_page(db_session(), current_staff(), current_app.config, clock.today())
    return render_template("practitioner/caseload.html", rows=page.rows, store_url=STORE_NAMES[page.store],
                           status_names=STATUS_NAMES)


@bp.route(f"/<{STORE_CONVERTER}:store_url>/new", methods=["GET", "POST"])
def new_record(store_url: str):
    store = own_store(store_url)
    staff = current_staff()
    form = NewRecordForm()
    form.site.choices = [(s.id, s.name) for s in staff.sites]
    if store != "victim_survivor":
        del form.linked_service_user
    if form.validate_on_submit():
        try:
            linked = normalise(form.linked_service_user.data) if store == "victim_survivor" and \
                form.linked_service_user.data else None
            referral = records.Referral(form.site.data, form.name.data.strip(), form.phone.data or None,
                                        form.referral_date.data, form.referral_source.data, linked)
            record = records.add_referral(db_session(), records.keyrings(current_app.config)[store], store, referral,
                                          Actor.staff(staff), demo=current_app.config["SURVEY_MODE"] == "demo")
        except InvalidPhone as error:
            form.phone.errors.append(say(error))
        except InvalidStudyId as error:
            form.linked_service_user.errors.append(say(error))
        else:
            return redirect(url_for("practitioner.record", store_url=store_url, study_id=record.study_id))
    return render_template("practitioner/new_record.html", form=form)


@bp.get(f"/<{STORE_CONVERTER}:store_url>/<study_id>")
def record(store_url: str, study_id: str):
    page = record_pages.record_page(db_session(), current_staff(), own_store(store_url), study_id, current_app.config,
                                    consent_library(), instrument_catalogue(), wording_confirmation_required(),
                                    clock.today())
    if page is None:
        abort(404)
    return render_template("practitioner/record.html", **vars(page), store_url=store_url, link_form=NewLinkForm(),
                           now=clock.now(), statement_names=STATEMENT_NAMES, status_names=STATUS_NAMES,
                           text_states=sms.STATE_NAMES)


@bp.post(f"/<{STORE_CONVERTER}:store_url>/<study_id>/links")
def new_link(store_url: str, study_id: str):
    _store, staff, found = record_or_404(store_url, study_id)
    form = NewLinkForm()
    if not form.validate_on_submit():
        return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))
    try:
        shared = links.share_new_link(db_session(), found, staff, form.timepoint.data, form.access_code.data == "yes",
                                      form.channel.data, current_app.config, in_language)
    except (sms.CannotText, UnsafeText) as error:
        # By text, and a text cannot go: no link was made, since nobody could receive it.
        return render_template("practitioner/text_result.html", record=found, store_url=store_url,
                               problem=say(error))
    if form.channel.data == "sms":
        return render_template("practitioner/text_result.html", record=found, store_url=store_url,
                               send_after=shared.send_after, code=shared.access_code)
    return render_template("practitioner/new_link.html", url=shared.url, code=shared.access_code, record=found,
                           store_url=store_url, qr=qr_svg(shared.url) if form.channel.data == "qr" else None)


@bp.post(f"/<{STORE_CONVERTER}:store_url>/<study_id>/links/<int:invitation_id>/revoke")
def revoke_link(store_url: str, study_id: str, invitation_id: int):
    _store, staff, found = record_or_404(store_url, study_id)
    if not links.revoke_link(db_session(), found, invitation_id, Actor.staff(staff)):
        abort(404)
    return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))


@bp.post(f"/<{STORE_CONVERTER}:store_url>/<study_id>/links/<int:invitation_id>/reopen")
def reopen_link(store_url: str, study_id: str, invitation_id: int):
    """A link paused by the quick exit opens again (the person asked, or it was pressed by mistake)."""
    _store, staff, found = record_or_404(store_url, study_id)
    if not links.reopen_link(db_session(), found, invitation_id, Actor.staff(staff)):
        abort(404)
    return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))


@bp.route(f"/<{STORE_CONVERTER}:store_url>/<study_id>/pathway", methods=["GET", "POST"])
def pathway(store_url: str, study_id: str):
    _store, staff, found = record_or_404(store_url, study_id)
    form = PathwayForm(obj=found)
    if form.validate_on_submit():
        changes = {name: getattr(form, name).data or None for name in
                   ("eligibility_date", "first_session_date", "closure_date", "closure_outcome", "closure_reason")}
        changes["eligibility"] = form.eligibility.data or "pending"
        problems = records.update_pathway(db_session(), found, changes, Actor.staff(staff), clock.today())
        if not problems:
            return redirect(url_for("practitioner.record", store_url=store_url, study_id=found.study_id))
        for name, message in problems.items():
            getattr(form, name).errors.append(say(message))
    return render_template("practitioner/pathway.html", form=form, record=found, store_url=store_url)
