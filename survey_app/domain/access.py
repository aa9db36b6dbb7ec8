"""Who may see what. One table of rules, used by every page, command and export.

Case managers work with service users and partner support workers with victim-survivors,
each only at their own sites; neither can reach the other store at all. Evaluators see no
individual records and no contact details. Admins manage configuration, not people's records.
"""

from __future__ import annotations

from survey_app.domain.text import N_

ADMIN, EVALUATOR, CASE_MANAGER, PARTNER_SUPPORT_WORKER = "admin", "evaluator", "case_manager", "partner_support_worker"
ROLES = (ADMIN, EVALUATOR, CASE_MANAGER, PARTNER_SUPPORT_WORKER)
PRACTITIONERS = (CASE_MANAGER, PARTNER_SUPPORT_WORKER)  # the roles that work with people's records
ROLE_NAMES = {ADMIN: N_("Admin"), EVALUATOR: N_("Evaluator"), CASE_MANAGER: N_("Case manager"),
              PARTNER_SUPPORT_WORKER: N_("Partner support worker")}

STORE_OF_ROLE = {CASE_MANAGER: "service_user", PARTNER_SUPPORT_WORKER: "victim_survivor"}

# Roles whose second factor is compulsory: they reach configuration or whole datasets.
TOTP_REQUIRED = frozenset({ADMIN, EVALUATOR})


def store_for(role: str) -> str | None:
    """The one record store this role works in, or None for roles that see no records."""
    return STORE_OF_ROLE.get(role)


def may_open(role: str, staff_sites: set[int], store: str, record_site: int) -> bool:
    return store_for(role) == store and record_site in staff_sites


def totp_required(role: str) -> bool:
    return role in TOTP_REQUIRED
