from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from survey_app.domain.access import ADMIN
from survey_app.domain.sms import DEFAULTS, TEXT_KINDS, UnsafeText
from survey_app.extensions import db_session
from survey_app.services import audit, sms, staff as staff_service
from survey_app.services.audit import Actor
from survey_app.store.audit import AuditEntry
from survey_app.store.staff import ReferralTarget, Site, Staff
from survey_app.web.admin import bp
from survey_app.web.admin.forms import InviteForm, SiteForm, StaffForm, TargetForm, WordingForm
from survey_app.web.languages import language_name
from survey_app.web.session import current_staff, staff_required
from survey_app.web.text import say

AUDIT_PAGE = 100


def _actor() -> Actor:
    return Actor.staff(current_staff())


def _site_choices() -> list[tuple[int, str]]:
    return [(s.id, s.name) for s in db_session().scalars(select(Site).order_by(Site.name))]


@bp.get("/")
@staff_required(ADMIN)
def index():
    return render_template("admin/index.html")


@bp.route("/sites", methods=["GET", "POST"])
@staff_required(ADMIN)
def sites():
    form = SiteForm()
    if form.validate_on_submit():
        name = form.name.data.strip()
        if db_session().scalars(select(Site).where(Site.name == name)).first():
            form.name.errors.append(_("There is already a site with this name"))
        else:
            db_session().add(Site(name=name, active=True))
            audit.record(db_session(), _actor(), "site.create", f"site:{name}")
            db_session().commit()
            return redirect(url_for("admin.sites"))
    return render_template("admin/sites.html", form=form, sites=db_session().scalars(select(Site).order_by(Site.name)))


@bp.get("/staff")
@staff_required(ADMIN)
def staff_list():
    people = db_session().scalars(select(Staff).order_by(Staff.email)).all()
    return render_template("admin/staff.html", people=people)


@bp.route("/staff/invite", methods=["GET", "POST"])
@staff_required(ADMIN)
def invite():
    form = InviteForm()
    form.sites.choices = _site_choices()
    if form.validate_on_submit():
        if staff_service.by_email(db_session(), form.email.data):
            form.email.errors.append(_("This email address already has an account"))
        else:
            person = staff_service.create(db_session(), email=form.email.data, name=form.name.data,
                                          role=form.role.data, site_ids=form.sites.data, actor=_actor())
            token = staff_service.new_reset_link_token(db_session(), person, _actor())
            db_session().commit()
            link = url_for("auth.set_password", token=token, _external=True)
            return render_template("admin/invited.html", person=person, link=link)
    return render_template("admin/invite.html", form=form)


@bp.route("/staff/<int:staff_id>", methods=["GET", "POST"])
@staff_required(ADMIN)
def staff_member(staff_id: int):
    person = db_session().get(Staff, staff_id)
    if person is None:
        abort(404)
    form = StaffForm(data=None if request.method == "POST" else
                     {"role": person.role, "sites": [s.id for s in person.sites],
                      "status": "active" if person.active else "inactive"})
    form.sites.choices = _site_choices()
    if form.validate_on_submit():
        if person.id == current_staff().id and (form.role.data != ADMIN or form.status.data != "active"):
            form.role.errors.append(_("You cannot remove your own admin role or deactivate yourself"))
        else:
            person.role = form.role.data
            person.sites = list(db_session().scalars(select(Site).where(Site.id.in_(form.sites.data or []))))
            person.active = form.status.data == "active"
            audit.record(db_session(), _actor(), "staff.update", f"staff:{person.id}",
                         {"role": person.role, "sites": sorted(form.sites.data or []), "active": person.active})
            db_session().commit()
            return redirect(url_for("admin.staff_list"))
    return render_template("admin/staff_member.html", form=form, person=person)


@bp.route("/targets", methods=["GET", "POST"])
@staff_required(ADMIN)
def targets():
    form = TargetForm()
    form.site.choices = _site_choices()
    if form.validate_on_submit():
        if form.period_end.data < form.period_start.data:
            form.period_end.errors.append(_("The end must be after the start"))
        else:
            db_session().add(ReferralTarget(site_id=form.site.data, period_start=form.period_start.data,
                                            period_end=form.period_end.data, target=form.target.data))
            audit.record(db_session(), _actor(), "target.set", f"site:{form.site.data}", {"target": form.target.data})
            db_session().commit()
            return redirect(url_for("admin.targets"))
    rows = db_session().execute(select(ReferralTarget, Site).join(Site).order_by(Site.name,
                                                                               ReferralTarget.period_start)).all()
    return render_template("admin/targets.html", form=form, rows=rows)


@bp.get("/texts")
@staff_required(ADMIN)
def texts():
    """The wording of each kind of text in each language: the admin's, or the default."""
    rows = [{"kind": kind, "language": language, "name": _(TEXT_KINDS[kind]), "language_name": language_name(language),
             "text": sms.wording(db_session(), kind, language) or _default(kind, language),
             "custom": sms.wording(db_session(), kind, language) is not None}
            for kind in DEFAULTS for language in current_app.config["SURVEY_LOCALES"]]
    return render_template("admin/texts.html", rows=rows)


@bp.route("/texts/<any(invitation, reminder):kind>/<language>", methods=["GET", "POST"])
@staff_required(ADMIN)
def text_wording(kind: str, language: str):
    if language not in current_app.config["SURVEY_LOCALES"]:
        abort(404)
    form = WordingForm()
    if form.validate_on_submit():
        try:
            sms.save_wording(db_session(), kind, language, form.text.data, current_staff().id, _actor())
        except UnsafeText as error:
            form.text.errors.append(say(error))
        else:
            db_session().commit()
            return redirect(url_for("admin.texts"))
    elif not form.is_submitted():
        form.text.data = sms.wording(db_session(), kind, language) or _default(kind, language)
    return render_template("admin/text_wording.html", form=form, name=_(TEXT_KINDS[kind]),
                           language_name=language_name(language))


def _default(kind: str, language: str) -> str:
    with force_locale(language):
        return _(DEFAULTS[kind])


@bp.get("/audit")
@staff_required(ADMIN)
def audit_log():
    query = select(AuditEntry).order_by(AuditEntry.sequence.desc()).limit(AUDIT_PAGE)
    action, actor = request.args.get("action", "").strip(), request.args.get("actor", "").strip()
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if actor:
        query = query.where(AuditEntry.actor == actor)
    entries = db_session().scalars(query).all()
    audit.record(db_session(), _actor(), "audit.view", "audit", {"action": action, "actor": actor})
    db_session().commit()
    return render_template("admin/audit.html", entries=entries, action=action, actor=actor)
