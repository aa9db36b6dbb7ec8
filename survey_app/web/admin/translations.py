"""Admins' translation pages: the translations there are and their status; upload a file, see the
validation report and the preview beside the original, then publish. The files go where the CLI
puts them (SURVEY_INSTRUMENTS_DIR, SURVEY_CONSENT_DIR), checked by the same rules."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from survey_app.domain.datafiles import PublishError
from survey_app.domain.translation_uploads import Upload
from survey_app.extensions import db_session
from survey_app.services import translations as translation_service
from survey_app.services.audit import Actor
from survey_app.web.admin import bp
from survey_app.web.admin.forms import TranslationPublishForm, TranslationUploadForm
from survey_app.web.languages import TRANSLATION_STATUS_NAMES, language_direction, language_name
from survey_app.web.loaded import consent_library, instrument_catalogue
from survey_app.web.session import current_staff



def _roots() -> tuple[Path, Path]:
    return Path(current_app.config["SURVEY_INSTRUMENTS_DIR"]), Path(current_app.config["SURVEY_CONSENT_DIR"])


@bp.get("/translations")
def translations():
    return _list_page(TranslationUploadForm())


def _list_page(form: TranslationUploadForm, published: Upload | None = None):
    listed = translation_service.listing(instrument_catalogue(), consent_library())
    return render_template("admin/translations.html", form=form, listed=listed, published=published,
                           status_name=_status_name, language_name=language_name)


@bp.post("/translations/check")
def check_translation():
    """The validation report of an uploaded file and, when it is sound, the preview and the publish button."""
    form = TranslationUploadForm()
    if not form.validate_on_submit():
        return _list_page(form)
    content = form.file.data.read()
    upload = translation_service.check(content, *_roots())
    publish_form = TranslationPublishForm(formdata=None, content=base64.b64encode(content).decode("ascii"))
    return _report(upload, publish_form)


@bp.post("/translations/publish")
def publish_translation():
    form = TranslationPublishForm()
    content = _decoded(form.content.data) if form.validate_on_submit() else None
    if content is None:
        return _list_page(TranslationUploadForm())
    try:
        upload = translation_service.publish(db_session(), content, *_roots(), Actor.staff(current_staff()))
    except PublishError:
        return _report(translation_service.check(content, *_roots()), form)
    return _list_page(TranslationUploadForm(formdata=None), published=upload)


def _decoded(content: str | None) -> bytes | None:
    try:
        return base64.b64decode(content or "", validate=True) or None
    except (binascii.Error, ValueError):
        return None


def _report(upload: Upload, form: TranslationPublishForm):
    errors = [{"text": str(problem), "href": "#problems"} for problem in upload.problems]
    return render_template("admin/translation_report.html", upload=upload, form=form, errors=errors,
                           status_name=_status_name, language_name=language_name,
                           direction=language_direction(upload.language) if upload.language else "ltr",
                           upload_again=url_for("admin.translations"))


def _status_name(status: str) -> str:
    return _(TRANSLATION_STATUS_NAMES[status]) if status in TRANSLATION_STATUS_NAMES else status
