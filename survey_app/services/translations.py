"""Admins adding translations from the pages: check an upload, publish it (audited), and list the
translations there are with their status. The rules themselves live in the domain
(domain/translation_uploads.py), shared with `survey instruments publish` and `survey consent publish`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from survey_app.domain.catalogue import Catalogue
from survey_app.domain.consent_documents import BASE_LANGUAGE, ConsentLibrary
from survey_app.domain.translation_uploads import CONSENT, INSTRUMENT, Upload, check_upload, publish_upload
from survey_app.services import audit
from survey_app.services.audit import Actor
from survey_app.services.unit_of_work import transaction


@dataclass(frozen=True)
class Listed:
    """One translation as the admin list shows it."""

    kind: str  # INSTRUMENT or CONSENT
    translates: str  # swemwbs/1.0, service_user/1.0
    language: str
    revision: int
    status: str
    status_source: str
    published: bool


def check(content: bytes, instruments_root: Path, consent_root: Path) -> Upload:
    """The validation report and side-by-side preview of an upload; nothing is written."""
    return check_upload(content, instruments_root, consent_root)


def publish(session: Session, content: bytes, instruments_root: Path, consent_root: Path, actor: Actor) -> Upload:
    """Write and publish a sound upload, and audit it; PublishError, changing nothing, if it is not sound."""
    with transaction(session):
        upload = publish_upload(content, instruments_root, consent_root)
        audit.record(session, actor, "translation.published", upload.key,
                     {"kind": upload.kind, "language": upload.language, "status": upload.status})
    return upload


def listing(catalogue: Catalogue, library: ConsentLibrary) -> list[Listed]:
    """Every instrument and consent translation there is, published or draft, with its status."""
    found = [Listed(INSTRUMENT, f"{t.instrument_id}/{t.version}", t.language, t.revision, t.status, t.status_source,
                    published)
             for published, group in ((True, catalogue.translations), (False, catalogue.draft_translations))
             for t in group.values()]
    found += [Listed(CONSENT, f"{d.audience}/{d.version}", d.language, d.revision, d.status, d.status_source,
                     published)
              for published, group in ((True, library.published), (False, library.drafts))
              for d in group.values() if d.language != BASE_LANGUAGE]
    return sorted(found, key=lambda t: (t.kind != INSTRUMENT, t.translates, t.language))
