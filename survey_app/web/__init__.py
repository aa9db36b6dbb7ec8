"""The web layer: blueprints per kind of user, plus what every page shares."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l

from survey_app.domain.access import ROLE_NAMES

NAVIGATION = {
    "admin": [("admin.sites", _l("Sites")), ("admin.staff_list", _l("Staff")), ("admin.targets", _l("Targets")),
              ("admin.audit_log", _l("Audit log"))],
    "evaluator": [("evaluator.index", _l("Progress"))],
    "case_manager": [("practitioner.caseload", _l("Caseload")), ("auth.add_code", _l("Sign-in codes"))],
    "partner_support_worker": [("practitioner.caseload", _l("Caseload")), ("auth.add_code", _l("Sign-in codes"))],
}


def init_web(app: Flask) -> None:
    from survey_app.web.session import current_staff

    @app.context_processor
    def staff_context() -> dict:
        staff = current_staff()
        return {"current_staff": staff, "role_names": ROLE_NAMES,
                "staff_navigation": NAVIGATION.get(staff.role, []) if staff else []}

    # Plain pages that say nothing about what exists or why.
    @app.errorhandler(403)
    def forbidden(_error):
        return render_template("errors/403.html"), 403

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("errors/404.html"), 404
