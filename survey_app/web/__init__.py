"""The web layer: blueprints per kind of user, plus what every page shares."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

from survey_app.domain import limits

from survey_app.domain.access import ROLE_NAMES
from survey_app.web.permissions import NAVIGATION, init_guard


class WholeNumberConverter(IntegerConverter):
    """`<int:…>` in a route matches only what an INTEGER id column holds; a bigger number is a 404,
    not a query the database refuses."""

    def __init__(self, map, fixed_digits=0, min=None, max=limits.INTEGER_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_web(app: Flask) -> None:
    from survey_app.web.errors import register_errorhandlers
    from survey_app.web.form_translations import init_form_translations
    from survey_app.web.formatting import register_filters
    from survey_app.web.session import current_staff

    init_form_translations(app)
    init_guard(app)

    @app.context_processor
    def staff_context() -> dict:
        staff = current_staff()
        return {"current_staff": staff, "role_names": ROLE_NAMES,
                "staff_navigation": NAVIGATION.get(staff.role, []) if staff else []}

    register_errorhandlers(app)
    register_filters(app)
