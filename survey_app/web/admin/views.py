"""Admins' pages: sites, staff, referral targets, the wording of texts, the audit log. Each change is
one use case in the services; a refusal comes back as words for the form."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from survey_app.domain.access import ROLE_NAMES
from survey_app.domain.sms import TEXT_KINDS, UnsafeText
from survey_app.extensions import db_session
from survey_app.services import audit_log as audit_log_service, sites as site_service, sms, \
    staff as staff_service
from survey_app.services.audit import Actor
from survey_app.services.audit_log import AuditFilters, AuditPage
from survey_app.services.refusal import Refused
from survey_app.web.admin import bp
from survey_app.web.admin.forms import AuditFilterForm, InviteForm, ResetLinkForm, SiteForm, StaffForm, TargetForm, \
    WordingForm
from survey_app.web.languages import language_name
from survey_app.web.session import current_staff
from survey_app.web.text import in_language, say


def _actor() -> Actor:
    return Actor.staff(current_staff())


def _choices(sites) -> list[tuple[int, str]]:
    return [(site.id, site.name) for site in sites]


def _show_refusal(form, refusal: Refused) -> None:
    getattr(form, refusal.field).errors.append(say(refusal.message))


@bp.get("/")
def index():
    return render_template("admin/index.html")


@bp.route("/sites", methods=["GET", "POST"])
def sites():
    form = SiteForm()
    if form.validate_on_submit():
        try:
            site_service.add_site(db_session(), form.name.data, _actor())
        except Refused as refusal:
            _show_refusal(form, refusal)
        else:
            return redirect(url_for("admin.sites"))
    return render_template("admin/sites.html", form=form, sites=site_service.all_sites(db_session()))


@bp.get("/staff")
def staff_list():
    return render_template("admin/staff.html", people=staff_service.staff_list(db_session()))


@bp.route("/staff/invite", methods=["GET", "POST"])
def invite():
    form = InviteForm()
    form.sites.choices = _choices(site_service.all_sites(db_session()))
    if form.validate_on_submit():
        try:
            invited = staff_service.invite(db_session(), email=form.email.data, name=form.name.data,
                                           role=form.role.data, site_ids=form.sites.data, actor=_actor())
        except Refused as refusal:
            _show_refusal(form, refusal)
        else:
            link = url_for("auth.set_password", token=invited.token, _external=True)
            return render_template("admin/invited.html", person=invited.staff, link=link)
    return render_template("admin/invite.html", form=form)


@bp.route("/staff/<int:staff_id>", methods=["GET", "POST"])
def staff_member(staff_id: int):
    page = staff_service.staff_member_page(db_session(), staff_id)
    if page is None:
        abort(404)
    person = page.staff
    form = StaffForm(data=None if request.method == "POST" else
                     {"role": person.role, "sites": [s.id for s in person.sites],
                      "status": "active" if person.active else "inactive"})
    form.sites.choices = _choices(page.sites)
    if form.validate_on_submit():
        try:
            staff_service.change_staff(db_session(), staff_id, _actor(), role=form.role.data,
                                       site_ids=form.sites.data or [], active=form.status.data == "active")
        except Refused as refusal:
            _show_refusal(form, refusal)
        else:
            return redirect(url_for("admin.staff_list"))
    return render_template("admin/staff_member.html", form=form, person=person)


# What each kind of one-time link is for, and the page its holder opens.
RESET_LINKS = {staff_service.PASSWORD: "auth.set_password", staff_service.CODES: "auth.reset_codes"}


@bp.route("/staff/<int:staff_id>/reset/<any(password, codes):purpose>", methods=["GET", "POST"])
def reset_link(staff_id: int, purpose: str):
    """Ask, then make a one-time link to hand over. The link comes back once: the POST keeps it in the
    session for the page it redirects to, which takes it out, so a reload cannot show it or make another."""
    page = staff_service.staff_member_page(db_session(), staff_id)
    if page is None:
        abort(404)
    form = ResetLinkForm()
    if form.validate_on_submit():
        try:
            token = staff_service.reset_link(db_session(), staff_id, purpose, _actor())
        except Refused as refusal:
            form.submit.errors.append(say(refusal.message))
        else:
            session["reset_link"] = {"staff_id": staff_id, "purpose": purpose, "token": token}
            return redirect(url_for("admin.reset_link", staff_id=staff_id, purpose=purpose))
    made = session.pop("reset_link", None)
    if made is not None and (made["staff_id"], made["purpose"]) == (staff_id, purpose):
        link = url_for(RESET_LINKS[purpose], token=made["token"], _external=True)
        return render_template("admin/reset_link_made.html", person=page.staff, purpose=purpose, link=link)
    return render_template("admin/reset_link.html", person=page.staff, purpose=purpose, form=form)


@bp.route("/targets", methods=["GET", "POST"])
def targets():
    page = site_service.targets_page(db_session())
    form = TargetForm()
    form.site.choices = _choices(page.sites)
    if form.validate_on_submit():
        try:
            site_service.set_target(db_session(), form.site.data, form.period_start.data, form.period_end.data,
                                    form.target.data, _actor())
        except Refused as refusal:
            _show_refusal(form, refusal)
        else:
            return redirect(url_for("admin.targets"))
    return render_template("admin/targets.html", form=form, rows=page.rows)


@bp.get("/texts")
def texts():
    """The wording of each kind of text in each language: the admin's, or the default."""
    rows = [{"kind": found.kind, "language": found.language, "name": _(TEXT_KINDS[found.kind]),
             "language_name": language_name(found.language), "text": found.text, "custom": found.custom}
            for found in sms.wordings(db_session(), current_app.config["SURVEY_LOCALES"], in_language)]
    return render_template("admin/texts.html", rows=rows)


@bp.route("/texts/<any(invitation, reminder):kind>/<language>", methods=["GET", "POST"])
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
            return redirect(url_for("admin.texts"))
    elif not form.is_submitted():
        form.text.data = sms.text_wording(db_session(), kind, language, in_language)
    return render_template("admin/text_wording.html", form=form, name=_(TEXT_KINDS[kind]),
                           language_name=language_name(language))


@bp.get("/audit")
def audit_log():
    form = AuditFilterForm(formdata=request.args)
    page = audit_log_service.audit_page(db_session(), _actor(), _audit_filters(form),
                                        request.args.get("page", 1, type=int))
    people = [(actor_id, f"{person.name} ({_(ROLE_NAMES[person.role])})") for actor_id, person in page.staff.items()]
    form.person.choices = [("", _("Anyone")), *people, *_others().items()]
    form.action.choices = [("", _("Any action"))] + [(action, action) for action in page.actions]
    return render_template("admin/audit.html", form=form, page=page, pagination=_pagination(page),
                           who=lambda actor_id: _who(actor_id, page.staff))


def _audit_filters(form: AuditFilterForm) -> AuditFilters:
    """The filters asked for. A date that is not a real date is shown as an error and left out; so is
    an end before the start."""
    for field in (form.person, form.action):
        field.errors = list(field.process_errors)  # a value that cannot be searched for (Form.process)
    for field in (form.start, form.end):
        field.errors = [_("Enter a real date, for example 30 11 2026.")] if field.process_errors else []
    start, end = form.start.data, form.end.data
    if start and end and start > end:
        form.end.errors.append(_("The end date must be on or after the start date."))
        end = None
    return AuditFilters(actor=form.person.data or "", action=form.action.data or "", start=start, end=end)


def _others() -> dict[str, str]:
    """Who else acts in the log, by the id it uses for them."""
    return {"cli": _("The command line"), "system": _("The platform")}


def _who(actor_id: str, staff: dict) -> str:
    """A name for an id the log uses: the account's name, or who else it is; any other id as it is."""
    if actor_id in staff:
        return staff[actor_id].name
    if actor_id.startswith("participant:"):
        return _("A participant")
    return _others().get(actor_id, actor_id)


def _pagination(page: AuditPage) -> dict | None:
    """GOV.UK pagination: the first, last, current and neighbouring pages, with gaps between."""
    if page.pages == 1:
        return None
    arguments = request.args.to_dict(flat=False)

    def link(number: int) -> str:
        return url_for("admin.audit_log", **{**arguments, "page": number})

    shown = sorted({1, page.pages, page.number - 1, page.number, page.number + 1} & set(range(1, page.pages + 1)))
    items, previous = [], 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": link(number), "current": number == page.number})
        previous = number
    return {"items": items, "landmarkLabel": _("Pages of the audit log"),
            **({"previous": {"href": link(page.number - 1)}} if page.number > 1 else {}),
            **({"next": {"href": link(page.number + 1)}} if page.number < page.pages else {})}
