from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovFileInput, GovRadioInput, GovSelect, \
    GovSubmitInput, GovTextArea, GovTextInput
from survey_app.domain import limits
from survey_app.web.widgets import DateInput, Form, max_length, whole_number
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, \
    SubmitField, TextAreaField
from wtforms.validators import Email, InputRequired, Optional

from survey_app.domain.access import ROLE_NAMES

ROLE_CHOICES = [(role, _l(name)) for role, name in ROLE_NAMES.items()]


class SiteForm(Form):
    name = StringField(_l("Site name"), widget=GovTextInput(), validators=[InputRequired(message=_l("Enter a name")),
                                                                          max_length(limits.SITE_NAME)])
    submit = SubmitField(_l("Add site"), widget=GovSubmitInput())


class InviteForm(Form):
    name = StringField(_l("Full name"), widget=GovTextInput(), validators=[InputRequired(message=_l("Enter their name")),
                                                                                   max_length(limits.STAFF_NAME)])
    email = StringField(_l("Email address"), widget=GovTextInput(),
                        validators=[InputRequired(message=_l("Enter their email address")),
                                    max_length(limits.EMAIL),
                                    Email(message=_l("Enter an email address like name@example.org"))])
    role = RadioField(_l("Role"), choices=ROLE_CHOICES, widget=GovRadioInput(),
                      validators=[InputRequired(message=_l("Choose a role"))])
    sites = SelectMultipleField(_l("Sites"), coerce=int, widget=GovCheckboxesInput(), validators=[Optional()])
    submit = SubmitField(_l("Invite"), widget=GovSubmitInput())


class StaffForm(Form):
    role = RadioField(_l("Role"), choices=ROLE_CHOICES, widget=GovRadioInput())
    sites = SelectMultipleField(_l("Sites"), coerce=int, widget=GovCheckboxesInput(), validators=[Optional()])
    status = RadioField(_l("Account"), choices=[("active", _l("Can sign in")), ("inactive", _l("Deactivated"))],
                        widget=GovRadioInput())
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())


class TargetForm(Form):
    site = SelectField(_l("Site"), coerce=int, widget=GovSelect())
    period_start = DateField(_l("Start of the period"), widget=DateInput(), format="%d %m %Y",
                             validators=[InputRequired(message=_l("Enter the start date"))])
    period_end = DateField(_l("End of the period"), widget=DateInput(), format="%d %m %Y",
                           validators=[InputRequired(message=_l("Enter the end date"))])
    target = IntegerField(_l("Referral target"), widget=GovTextInput(),
                          validators=[InputRequired(message=_l("Enter a whole number")), whole_number(minimum=0)])
    submit = SubmitField(_l("Set target"), widget=GovSubmitInput())


class WordingForm(Form):
    text = TextAreaField(_l("Wording"), widget=GovTextArea(),
                         description=_l("Put {link} where the link goes. Never name anyone, the service, or what the "
                                        "questions are about: anyone may see the phone."),
                         validators=[InputRequired(message=_l("Enter the wording")), max_length(limits.SMS_WORDING)])
    submit = SubmitField(_l("Save wording"), widget=GovSubmitInput())


class AuditFilterForm(Form):
    """The audit log's filters, sent with GET so a filtered view can be bookmarked; nothing changes, so
    no CSRF token. The people and actions to choose from are the view's to fill in."""

    class Meta:
        csrf = False

    person = SelectField(_l("Who"), widget=GovSelect(), validators=[Optional()])
    action = SelectField(_l("Action"), widget=GovSelect(), validators=[Optional()])
    start = DateField(_l("From"), widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    end = DateField(_l("Up to"), widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    submit = SubmitField(_l("Filter"), widget=GovSubmitInput())


class ResetLinkForm(Form):
    submit = SubmitField(_l("Make a one-time link"), widget=GovSubmitInput())


class TranslationUploadForm(Form):
    file = FileField(_l("Translation file"), widget=GovFileInput(),
                     description=_l("A YAML file: a translation of an instrument version (for example "
                                    "1.0.ur.yaml) or of a consent document (for example ur.yaml)."),
                     validators=[FileRequired(message=_l("Choose a translation file"))])
    submit = SubmitField(_l("Check the translation"), widget=GovSubmitInput())


class TranslationPublishForm(Form):
    """The checked file travels with the form, so nothing is kept between checking and publishing;
    it is checked again before anything is written."""

    content = HiddenField(validators=[InputRequired(message=_l("Upload the translation again")),
                                   max_length(limits.TRANSLATION_FILE)])
    submit = SubmitField(_l("Publish this translation"), widget=GovSubmitInput())
