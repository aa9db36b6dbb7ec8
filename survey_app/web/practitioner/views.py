from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey_app import clock
from survey_app.domain.access import store_for
from survey_app.domain.contact import InvalidPhone
from survey_app.domain.pathway import STAGES, stage
from survey_app.domain.study_ids import InvalidStudyId, normalise
from survey_app.domain.sms import DEFAULTS, INVITATION, UnsafeText
from survey_app.domain.windows import STATUS_NAMES
from survey_app.extensions import db_session
from survey_app.services import consent, due, instruments, invitations, questionnaires, records, sms
from survey_app.services.audit import Actor
from survey_app.store.staff import Site
from survey_app.web.loaded import consent_library, instrument_catalogue, wording_confirmation_required
from survey_app.web.practitioner import bp
from survey_app.web.practitioner.access import PRACTITIONERS, STORE_CONVERTER, STORE_NAMES, own_store, record_or_404
from survey_app.web.practitioner.forms import NewLinkForm, NewRecordForm, PathwayForm
from survey_app.web.qr import qr_svg
from survey_app.web.session import current_staff, staff_required
from survey_app.web.text import say

STATEMENT_NAMES = {"questionnaires": _l("Answer the questionnaires"),
                   "share_answers": _l("Share answers with the evaluator, without their name"),
                   "share_monitoring": _l("Share monitoring records with the evaluator, without their name"),
                   "interview_contact": _l("May be contacted about an interview"),
                   "link_partner": _l("Answers may be linked with the other person's in the case")}


@bp.get("/caseload")
@staff_required(*PRACTITIONERS)
def caseload():
    staff = current_staff()
    rings = records.keyrings(current_app.config)
    shown = records.visible_records(db_session(), staff)
    names = records.caseload_names(db_session(), rings, shown, Actor.staff(staff))
    today = clock.today()
    rows = [{"record": r, "name": names[r.id], "stage": STAGES[stage(records.pathway_of(r))],
             "due": due.due_for(db_session(), r, today, current_app.config["SURVEY_T1_WORKING_DAYS"])} for r in shown]
    db_session().commit()
    return render_template("practitioner/caseload.html", rows=rows, store_url=STORE_NAMES[store_for(staff.role)],
                           status_names=STATUS_NAMES)


@bp.route(f"/<{STORE_CONVERTER}:store_url>/new", methods=["GET", "POST"])
@staff_required(*PRACTITIONERS)
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
            record = records.create(db_session(), records.keyrings(current_app.config)[store], store, referral,
                                    Actor.staff(staff), demo=current_app.config["SURVEY_MODE"] == "demo")
        except InvalidPhone as error:
            form.phone.errors.append(say(error))
        except InvalidStudyId as error:
            form.linked_service_user.errors.append(say(error))
        else:
            db_session().commit()
            return redirect(url_for("practitioner.record", store_url=store_url, study_id=record.study_id))
    return render_template("practitioner/new_record.html", form=form)


@bp.get(f"/<{STORE_CONVERTER}:store_url>/<study_id>")
@staff_required(*PRACTITIONERS)
def record(store_url: str, study_id: str):
    store, staff, found = record_or_404(store_url, study_id)
    contact = records.contact_details(db_session(), records.keyrings(current_app.config)[store], found,
                                      Actor.staff(staff))
    db_session().commit()
    site = db_session().get(Site, found.site_id)
    return render_template("practitioner/record.html", record=found, contact=contact, site=site,
                           stage=STAGES[stage(records.pathway_of(found))], store_url=store_url,
                           links=invitations.of_record(db_session(), found), link_form=NewLinkForm(),
                           now=clock.now(), statement_names=STATEMENT_NAMES,
                           consent=consent.standing(db_session(), found, consent_library()),
                           scores=questionnaires.scores_for(db_session(), found, instrument_catalogue()),
                           due=due.due_for(db_session(), found, clock.today(), current_app.config["SURVEY_T1_WORKING_DAYS"]),
                           status_names=STATUS_NAMES,
                           safe_contact=sms.safe_contact(db_session(), records.keyrings(current_app.config)[store], found),
                           texts=sms.messages_for(db_session(), found), text_states=sms.STATE_NAMES,
                           unavailable=instruments.left_out(db_session(), instrument_catalogue(), store,
                                                            wording_confirmation_required()))


@bp.post(f"/<{STORE_CONVERTER}:store_url>/<study_id>/links")
@staff_required(*PRACTITIONERS)
def new_link(store_url: str, study_id: str):
    store, staff, found = record_or_404(store_url, study_id)
    form = NewLinkForm()
    if not form.validate_on_submit():
        return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))
    link = invitations.create(db_session(), found, form.timepoint.data, Actor.staff(staff), staff.id,
                              with_code=form.access_code.data == "yes", days=current_app.config["SURVEY_LINK_DAYS"])
    url = url_for("participant.entry", token=link.token, _external=True)
    if form.channel.data == "sms":
        return _send_by_text(store, staff, found, link, url)
    invitations.record_share(db_session(), link.invitation, form.channel.data, staff.id)
    db_session().commit()
    return render_template("practitioner/new_link.html", url=url, code=link.access_code, record=found,
                           store_url=store_url, qr=qr_svg(url) if form.channel.data == "qr" else None)


def _send_by_text(store: str, staff, found, link, url: str):
    """Queue the new link as a text; the page says when it will go, or why it cannot (and then
    no link is made, since nobody could receive it). An access code is never texted with it."""
    keyring = records.keyrings(current_app.config)[store]
    language = current_app.config["BABEL_DEFAULT_LOCALE"]
    try:
        message = sms.queue(db_session(), keyring, found, link.invitation, url,
                            language, sms.wording(db_session(), INVITATION, language) or _(DEFAULTS[INVITATION]),
                            staff.id)
    except (sms.CannotText, UnsafeText) as error:
        db_session().rollback()
        return render_template("practitioner/text_result.html", record=found, store_url=STORE_NAMES[store],
                               problem=say(error))
    db_session().commit()
    return render_template("practitioner/text_result.html", record=found, store_url=STORE_NAMES[store],
                           send_after=message.send_after, code=link.access_code)


@bp.post(f"/<{STORE_CONVERTER}:store_url>/<study_id>/links/<int:invitation_id>/revoke")
@staff_required(*PRACTITIONERS)
def revoke_link(store_url: str, study_id: str, invitation_id: int):
    _store, staff, found = record_or_404(store_url, study_id)
    invitation = next((i for i in invitations.of_record(db_session(), found) if i.id == invitation_id), None)
    if invitation is None:
        abort(404)
    invitations.revoke(db_session(), invitation, Actor.staff(staff))
    db_session().commit()
    return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))


@bp.route(f"/<{STORE_CONVERTER}:store_url>/<study_id>/pathway", methods=["GET", "POST"])
@staff_required(*PRACTITIONERS)
def pathway(store_url: str, study_id: str):
    _store, staff, found = record_or_404(store_url, study_id)
    form = PathwayForm(obj=found)
    if form.validate_on_submit():
        changes = {name: getattr(form, name).data or None for name in
                   ("eligibility_date", "first_session_date", "closure_date", "closure_outcome", "closure_reason")}
        changes["eligibility"] = form.eligibility.data or "pending"
        problems = records.update_pathway(db_session(), found, changes, Actor.staff(staff), clock.today())
        if not problems:
            db_session().commit()
            return redirect(url_for("practitioner.record", store_url=store_url, study_id=found.study_id))
        db_session().rollback()
        for name, message in problems.items():
            getattr(form, name).errors.append(say(message))
    return render_template("practitioner/pathway.html", form=form, record=found, store_url=store_url)
