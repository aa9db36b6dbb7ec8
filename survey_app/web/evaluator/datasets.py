"""The datasets page: choose a cohort, layout, format, period and site; download a zip of the data,
its codebook and its data package. Every download is audited by the service."""

from __future__ import annotations

from flask import current_app, render_template, send_file
from flask_babel import gettext as _, lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput
from wtforms import RadioField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional, ValidationError

from survey_app.extensions import db_session
from survey_app.services import exports, progress as progress_service
from survey_app.services.audit import Actor
from survey_app.services.exports import ExportRefused, ExportRequest
from survey_app.web.evaluator import bp
from survey_app.web.loaded import instrument_catalogue
from survey_app.web.session import current_staff
from survey_app.web.widgets import DateInput, Form, RealDateField


def codebook(**context) -> str:
    """The export's codebook page, a file of its own: no request, no site layout, no context processors,
    so the command line renders it the same way."""
    return current_app.jinja_env.get_template("exports/codebook.html").render(**context)


class DatasetForm(Form):
    cohort = RadioField(_l("Whose answers?"), widget=GovRadioInput(),
                        choices=[("service_user", _l("Service users")), ("victim_survivor", _l("(Ex-)partners"))],
                        validators=[InputRequired(message=_l("Choose whose answers to download."))])
    layout = RadioField(_l("Layout"), widget=GovRadioInput(),
                        choices=[("wide", _l("Wide: one row per person, each timepoint side by side")),
                                 ("long", _l("Long: one row per answer to a question"))],
                        validators=[InputRequired(message=_l("Choose a layout."))])
    format = RadioField(_l("Format"), widget=GovRadioInput(),
                        choices=[("csv", _l("CSV (UTF-8)")), ("sav", _l("SPSS (.sav)")), ("dta", _l("Stata (.dta)"))],
                        validators=[InputRequired(message=_l("Choose a format."))])
    start = RealDateField(_l("Sent from"), widget=DateInput(), format="%d %m %Y", validators=[Optional()],
                      description=_l("For example, 1 4 2026. Leave empty for no start."))
    end = RealDateField(_l("Sent up to"), widget=DateInput(), format="%d %m %Y", validators=[Optional()],
                    description=_l("Leave empty for no end."))
    site = SelectField(_l("Site"), widget=GovSelect(), validators=[Optional()])
    submit = SubmitField(_l("Download the dataset"), widget=GovSubmitInput())

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_("The end date must be on or after the start date."))


@bp.route("/datasets", methods=["GET", "POST"])
def datasets():
    form = DatasetForm()
    form.site.choices = [("", _("All sites"))] + [(site.name, site.name)
                                                  for site in progress_service.all_sites(db_session())]
    if form.validate_on_submit():
        request = ExportRequest(form.cohort.data, form.layout.data, form.format.data, form.start.data, form.end.data,
                                form.site.data or None)
        try:
            path, _exported = exports.export_zip(db_session(), instrument_catalogue(),
                                                 current_app.config["SURVEY_KEYS"]["export"], request,
                                                 Actor.staff(current_staff()), codebook)
        except ExportRefused as refusal:  # e.g. the site was renamed while the form was open
            form.site.errors.append(str(refusal))
        else:
            response = send_file(path, mimetype="application/zip", as_attachment=True,
                                 download_name=exports.zip_name(request))
            response.call_on_close(path.unlink)
            return response
    return render_template("evaluator/datasets.html", form=form)
