"""The web layer: blueprints per kind of user, plus what every page shares."""

from __future__ import annotations

from flask import Flask
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
    from survey_app.web.errors import register_errorhandlers
    from survey_app.web.formatting import register_filters
    from survey_app.web.session import current_staff

    @app.context_processor
    def staff_context() -> dict:
        staff = current_staff()
        return {"current_staff": staff, "role_names": ROLE_NAMES,
                "staff_navigation": NAVIGATION.get(staff.role, []) if staff else []}
    register_errorhandlers(app)
    register_filters(app)
