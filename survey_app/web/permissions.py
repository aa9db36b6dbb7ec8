"""The role wall, in one place: who may reach each page, where each role starts, and what its
navigation offers.

`ACCESS` names, for every endpoint, the roles that may reach it (or `EVERYONE` for pages that need
no sign-in). A guard run before every request enforces it, and tests/web/test_every_route.py reads
it, so a page cannot be added without deciding who may see it: an endpoint missing from the table
is refused to everyone.
"""

from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l

from survey_app.domain.access import ADMIN, EVALUATOR, PRACTITIONERS, ROLES
from survey_app.web.session import current_staff, sign_in_redirect

EVERYONE = "everyone"  # no sign-in needed: the page guards itself, or shows nothing private
ANY_STAFF = ROLES
ADMINS = (ADMIN,)
EVALUATORS = (EVALUATOR,)

# Endpoint (or, for a blueprint whose every page is open by design, the blueprint) -> who may reach it.
ACCESS: dict[str, str | tuple[str, ...]] = {
    "main.index": EVERYONE,
    "static": EVERYONE,
    # Participants come with a link, never an account: each page checks its token itself.
    "participant": EVERYONE,
    # Only Twilio may call it: the view checks Twilio's signature.
    "webhooks.twilio_status": EVERYONE,
    "auth.sign_in": EVERYONE,
    "auth.code": EVERYONE,  # the code and set-up pages need a checked password, and check it themselves
    "auth.set_up_code": EVERYONE,
    "auth.sign_out": EVERYONE,
    "auth.signed_out": EVERYONE,
    "auth.forgotten_password": EVERYONE,
    "auth.set_password": EVERYONE,  # the one-time link is the proof
    "auth.reset_codes": EVERYONE,  # so is this one
    "auth.add_code": ANY_STAFF,
    "practitioner.caseload": PRACTITIONERS,
    "practitioner.new_record": PRACTITIONERS,
    "practitioner.record": PRACTITIONERS,
    "practitioner.pathway": PRACTITIONERS,
    "practitioner.new_link": PRACTITIONERS,
    "practitioner.link_ready": PRACTITIONERS,
    "practitioner.revoke_link": PRACTITIONERS,
    "practitioner.reopen_link": PRACTITIONERS,
    "practitioner.safe_contact": PRACTITIONERS,
    "practitioner.verbal_consent": PRACTITIONERS,
    "practitioner.record_stop": PRACTITIONERS,
    "practitioner.information_sheet": PRACTITIONERS,
    "practitioner.assisted_start": PRACTITIONERS,
    "practitioner.assisted_introduction": PRACTITIONERS,
    "practitioner.assisted_question": PRACTITIONERS,
    "practitioner.assisted_check": PRACTITIONERS,
    "practitioner.assisted_pause": PRACTITIONERS,
    "practitioner.screen_pause": PRACTITIONERS,
    "practitioner.screen_introduction": PRACTITIONERS,
    "practitioner.screen_question": PRACTITIONERS,
    "practitioner.screen_check": PRACTITIONERS,
    "admin.index": ADMINS,
    "admin.sites": ADMINS,
    "admin.staff_list": ADMINS,
    "admin.invite": ADMINS,
    "admin.staff_member": ADMINS,
    "admin.reset_link": ADMINS,
    "admin.targets": ADMINS,
    "admin.texts": ADMINS,
    "admin.text_wording": ADMINS,
    "admin.audit_log": ADMINS,
    "admin.translations": ADMINS,
    "admin.check_translation": ADMINS,
    "admin.publish_translation": ADMINS,
    "evaluator.index": EVALUATORS,
    "evaluator.plan": EVALUATORS,
    "evaluator.datasets": EVALUATORS,
    "evaluator.add_barrier": EVALUATORS,
    "evaluator.barrier": EVALUATORS,
    "evaluator.remove_barrier": EVALUATORS,
}

# Where each role lands after signing in, and the links its pages offer.
START_PAGES = {ADMIN: "admin.index", EVALUATOR: "evaluator.index",
               **{role: "practitioner.caseload" for role in PRACTITIONERS}}
_PRACTITIONER_NAVIGATION = [("practitioner.caseload", _l("Caseload")), ("auth.add_code", _l("Sign-in codes"))]
NAVIGATION = {
    ADMIN: [("admin.sites", _l("Sites")), ("admin.staff_list", _l("Staff")), ("admin.targets", _l("Targets")),
            ("admin.audit_log", _l("Audit log"))],
    EVALUATOR: [("evaluator.index", _l("Progress")), ("evaluator.datasets", _l("Datasets")),
                ("evaluator.plan", _l("Sample-size planner"))],
    **{role: _PRACTITIONER_NAVIGATION for role in PRACTITIONERS},
}


def who_may_reach(endpoint: str) -> str | tuple[str, ...] | None:
    """The entry for an endpoint: its own, else its blueprint's; None when the table has neither."""
    if endpoint in ACCESS:
        return ACCESS[endpoint]
    return ACCESS.get(endpoint.rpartition(".")[0]) if "." in endpoint else None


def init_guard(app: Flask) -> None:
    app.before_request(guard)


def guard():
    """Signed-out visitors go to sign-in; a signed-in person without the role gets a plain 403."""
    if request.endpoint is None:  # no such page: the 404 follows
        return None
    allowed = who_may_reach(request.endpoint)
    if allowed == EVERYONE:
        return None
    staff = current_staff()
    if staff is None:
        return sign_in_redirect()
    if allowed is None or staff.role not in allowed:
        abort(403)
    return None
