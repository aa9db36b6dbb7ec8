from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, InputRequired

from survey_app.services.staff import MIN_PASSWORD_LENGTH
from survey_app.domain import limits
from survey_app.web.widgets import Form, max_length


class SignInForm(Form):
    email = StringField(_l("Email address"), widget=GovTextInput(),
                        validators=[InputRequired(message=_l("Enter your email address")), max_length(limits.EMAIL)])
    password = PasswordField(_l("Password"), widget=GovPasswordInput(),
                             validators=[InputRequired(message=_l("Enter your password")), max_length(limits.PASSWORD)])
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class CodeForm(Form):
    code = StringField(_l("Code from your authenticator app"), widget=GovTextInput(),
                       description=_l("The 6-digit code, for example 123456"),
                       validators=[InputRequired(message=_l("Enter the 6-digit code")), max_length(limits.CODE)])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class SetPasswordForm(Form):
    password = PasswordField(_l("New password"), widget=GovPasswordInput(),
                             description=_l("At least %(count)s characters. Three random words make a strong "
                                            "password.", count=MIN_PASSWORD_LENGTH),
                             # How long it must be is the service's rule (use_reset), shown from there.
                             validators=[InputRequired(message=_l("Enter a new password")), max_length(limits.PASSWORD)])
    confirm = PasswordField(_l("Type the new password again"), widget=GovPasswordInput(),
                            validators=[EqualTo("password", message=_l("The two passwords do not match")),
                                        max_length(limits.PASSWORD)])
    submit = SubmitField(_l("Set password"), widget=GovSubmitInput())
