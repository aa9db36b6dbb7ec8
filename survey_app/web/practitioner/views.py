from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from survey_app import clock
from survey_app.domain.contact import InvalidPhone
from survey_app.domain.measures import MISSING_REASONS
from survey_app.domain.sms import UnsafeText
from survey_app.domain.study_ids import InvalidStudyId, normalise
from survey_app.domain.windows import NEEDS, STATUS_NAMES
from survey_app.extensions import db_session
from survey_app.services import links, questionnaires, record_pages, records, sms
from survey_app.services.audit import Actor
from survey_app.web.loaded import consent_library, instrument_catalogue, wording_confirmation_required
from survey_app.web.practitioner import bp
from survey_app.web.practitioner.access import STORE_CONVERTER, STORE_NAMES, own_store, record_or_404
from survey_app.web.practitioner.forms import CaseloadForm, NewLinkForm, NewRecordForm, PathwayForm
from survey_app.web.qr import qr_svg
from survey_app.web.session import current_staff
from survey_app.web.text import in_language, say

LINK_READY_KEY = "link_ready"  # the link just made, until its page shows it
STATEMENT_NAMES = {"questionnaires": _l("Answer the questionnaires"),
                   "share_answers": _l("Share answers with the evaluator, without their name"),
                   "share_monitoring": _l("Share monitoring records with the evaluator, without their name"),
                   "interview_contact": _l("May be contacted about an interview"),
                   "link_partner": _l("Answers may be linked with the other person's in the case")}


@bp.get("/caseload")
def caseload():
    form = CaseloadForm(formdata=request.args)
    # An unknown choice (a hand-edited address) is ignored: everyone, newest referral first.
    page = record_pages.caseload_page(db_session(), current_staff(), current_app.config, clock.today(),
                                      need=form.need.data if form.need.data in NEEDS else None,
                                      by_need=form.order.data == "need")
    return render_template("practitioner/caseload.html", rows=page.rows, everyone=page.everyone, form=form,
                           store_url=STORE_NAMES[page.store], status_names=STATUS_NAMES)


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
                                          Actor.staff(staff), demo=current_app.config["SURVEY_MODE"] == "demo",
                                          once=form.once.data)
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
                           text_states=sms.STATE_NAMES, mode_names=questionnaires.MODE_NAMES,
                           missing_reasons=MISSING_REASONS)


@bp.post(f"/<{STORE_CONVERTER}:store_url>/<study_id>/links")
def new_link(store_url: str, study_id: str):
    _store, staff, found = record_or_404(store_url, study_id)
    form = NewLinkForm()
    if not form.validate_on_submit():
        return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))
    try:
        shared = links.share_new_link(db_session(), found, staff, form.timepoint.data, form.access_code.data == "yes",
                                      form.channel.data, current_app.config, in_language,
                                      early_confirmed=form.early.data == "yes", once=form.once.data)
    except links.AlreadyMade:
        flash(_("That link was made already. A new link is shown once only. If it was not copied, revoke it "
                "and make a new one."))
        return redirect(url_for("practitioner.record", store_url=store_url, study_id=study_id))
    except links.NotYetDue as not_yet:
        return render_template("practitioner/early_link.html", form=form, record=found, store_url=store_url,
                               window=not_yet.window)
    except (sms.CannotText, UnsafeText) as error:
        # By text, and a text cannot go: no link was made, since nobody could receive it.
        return render_template("practitioner/text_result.html", record=found, store_url=store_url,
                               problem=say(error))
    # Shown by the page the browser is sent to, so reloading it cannot make a second link.
    session[LINK_READY_KEY] = {"study_id": found.study_id, "channel": form.channel.data, "code": shared.access_code,
                               "url": None if form.channel.data == "sms" else shared.url,
                               "send_after": shared.send_after.isoformat() if shared.send_after else None}
    return redirect(url_for("practitioner.link_ready", store_url=store_url, study_id=found.study_id))


@bp.get(f"/<{STORE_CONVERTER}:store_url>/<study_id>/links/ready")
def link_ready(store_url: str, study_id: str):
    """The new link, once. It waits in the (signed, HttpOnly) session cookie only from the redirect
    to this page, and leaves it as it is shown; the platform keeps only its hash."""
    _store, _staff, found = record_or_404(store_url, study_id)
    ready = session.pop(LINK_READY_KEY, None)
    record_url = url_for("practitioner.record", store_url=store_url, study_id=found.study_id)
    if ready is None or ready["study_id"] != found.study_id:
        flash(_("A new link is shown once only. If it was not copied, revoke it and make a new one."))
        return redirect(record_url)
    if ready["channel"] == "sms":
        return render_template("practitioner/text_result.html", record=found, store_url=store_url,
                               send_after=datetime.fromisoformat(ready["send_after"]), code=ready["code"])
    return render_template("practitioner/new_link.html", url=ready["url"], code=ready["code"], record=found,
                           store_url=store_url, qr=qr_svg(ready["url"]) if ready["channel"] == "qr" else None)


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
    store, staff, found = record_or_404(store_url, study_id)
    keyring = records.keyrings(current_app.config)[store]
    # The form is filled from the pathway (its closure reason decrypted), never from the stored bytes.
    form = PathwayForm(obj=records.pathway_of(found, records.closure_reason(keyring, found)))
    if form.validate_on_submit():
        changes = {name: getattr(form, name).data or None for name in
                   ("eligibility_date", "first_session_date", "closure_date", "closure_outcome", "closure_reason")}
        changes["eligibility"] = form.eligibility.data or "pending"
        problems = records.update_pathway(db_session(), keyring, found, changes, Actor.staff(staff), clock.today())
        if not problems:
            return redirect(url_for("practitioner.record", store_url=store_url, study_id=found.study_id))
        for name, message in problems.items():
            getattr(form, name).errors.append(say(message))
    return render_template("practitioner/pathway.html", form=form, record=found, store_url=store_url)
