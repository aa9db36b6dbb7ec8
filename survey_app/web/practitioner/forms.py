from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, \
    GovTextArea, GovTextInput
from survey_app.web.widgets import DateInput
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Optional

REFERRAL_SOURCES = [("childrens_social_care", _l("Children's social care")), ("early_help", _l("Early Help")),
                    ("housing", _l("Housing")), ("other", _l("Other"))]
ELIGIBILITY = [("pending", _l("Not decided yet")), ("eligible", _l("Eligible")), ("ineligible", _l("Not eligible"))]
OUTCOMES = [("", _l("Not closed")), ("completed", _l("Completed")), ("disengaged", _l("Disengaged")),
            ("other", _l("Other"))]


class NewRecordForm(FlaskForm):
    name = StringField(_l("Full name"), widget=GovTextInput(), validators=[InputRequired(message=_l("Enter their name"))])
    phone = StringField(_l("Mobile phone number (optional)"), widget=GovTextInput(), validators=[Optional()])
    site = SelectField(_l("Site"), widget=GovSelect(), coerce=int)
    referral_date = DateField(_l("Date of referral"), widget=DateInput(), format="%d %m %Y",
                              description=_l("For example, 27 3 2026"),
                              validators=[InputRequired(message=_l("Enter the date of referral"))])
    referral_source = RadioField(_l("Who referred them?"), choices=REFERRAL_SOURCES, widget=GovRadioInput(),
                                 validators=[InputRequired(message=_l("Choose who referred them"))])
    linked_service_user = StringField(_l("Study id of the linked service user's case (optional)"),
                                      widget=GovTextInput(), description=_l("For example, K7M4-QX2P"),
                                      validators=[Optional()])
    submit = SubmitField(_l("Save referral"), widget=GovSubmitInput())


class PathwayForm(FlaskForm):
    eligibility = RadioField(_l("Eligibility"), choices=ELIGIBILITY, widget=GovRadioInput())
    eligibility_date = DateField(_l("Date eligibility was decided"), widget=DateInput(), format="%d %m %Y",
                                 validators=[Optional()])
    first_session_date = DateField(_l("Date of the first support session"), widget=DateInput(), format="%d %m %Y",
                                   validators=[Optional()])
    closure_date = DateField(_l("Date the case closed"), widget=DateInput(), format="%d %m %Y",
                             validators=[Optional()])
    closure_outcome = RadioField(_l("How did the case close?"), choices=OUTCOMES, widget=GovRadioInput(),
                                 validators=[Optional()])
    closure_reason = TextAreaField(_l("Reason (if other)"), widget=GovTextArea(), validators=[Optional()])
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class NewLinkForm(FlaskForm):
    timepoint = RadioField(_l("Which questionnaires?"), choices=[("T1", _l("Start of support (T1)")),
                                                                 ("T2", _l("End of support (T2)"))],
                           widget=GovRadioInput(), validators=[InputRequired(message=_l("Choose T1 or T2"))])
    access_code = RadioField(_l("Ask for an access code?"), choices=[("yes", _l("Yes: I will read it out to them")),
                                                                    ("no", _l("No"))],
                             default="yes", widget=GovRadioInput())
    channel = RadioField(_l("How will you share the link?"), choices=[("copy", _l("Copy it to send")),
                                                                     ("qr", _l("Show a QR code to someone with me"))],
                         default="copy", widget=GovRadioInput())
    submit = SubmitField(_l("Create link"), widget=GovSubmitInput())
