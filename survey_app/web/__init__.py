"""The web layer: blueprints per kind of user, plus what every page shares."""

from __future__ import annotations

from flask import Flask, render_template

from survey_app.domain.access import ROLE_NAMES
from survey_app.web.permissions import NAVIGATION, init_guard


def init_web(app: Flask) -> None:
    from survey_app.web.session import current_staff

    init_guard(app)

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
