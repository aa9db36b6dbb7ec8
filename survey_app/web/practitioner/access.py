"""Which records a practitioner may open: the one store their role works in, at their sites.

Every practitioner page finds its record through `record_or_404`, so every reason a record
cannot be shown gives the same plain 404.
"""

from __future__ import annotations

from flask import abort

from survey_app.domain.access import store_for
from survey_app.extensions import db_session
from survey_app.services import records
from survey_app.web.session import current_staff

STORE_URLS = {"service-users": "service_user", "victim-survivors": "victim_survivor"}
STORE_NAMES = {"service_user": "service-users", "victim_survivor": "victim-survivors"}
STORE_CONVERTER = 'any("service-users", "victim-survivors")'


def own_store(store_url: str) -> str:
    """The store behind a URL, if it is this person's; otherwise a plain 404."""
    store = STORE_URLS.get(store_url)
    if store is None or store != store_for(current_staff().role):
        abort(404)
    return store


def record_or_404(store_url: str, study_id: str):
    """The record this person may open, or the same plain 404 for every reason it cannot be shown."""
    store = own_store(store_url)
    staff = current_staff()
    found = records.find(db_session(), staff, store, study_id)
    if found is None:
        abort(404)
    return store, staff, found
