from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Optional

from survey_app.domain import limits
from survey_app.web.widgets import DateInput, Form, max_length

YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


class FilterForm(Form):
    """The dashboard's filters, sent with GET so a filtered view can be bookmarked; no CSRF token is needed
    because nothing changes."""

    class Meta:
        csrf = False

    start = DateField(_l("Referred from"), widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    end = DateField(_l("Referred up to"), widget=DateInput(), format="%d %m %Y", validators=[Optional()])
    site = SelectField(_l("Site"), widget=GovSelect(), validators=[Optional()])
    cohort = SelectField(_l("Cohort"), widget=GovSelect(), validators=[Optional()],
                         choices=[("", _l("Both cohorts")), ("service_user", _l("Service users")),
                                  ("victim_survivor", _l("(Ex-)partners"))])
    submit = SubmitField(_l("Show figures"), widget=GovSubmitInput())


class BarrierForm(Form):
    criterion = RadioField(_l("Which criterion is it a barrier to?"), widget=GovRadioInput(),
                           choices=[("4", _l("4: implementation and support")), ("10", _l("10: the impact evaluation"))],
                           validators=[InputRequired(message=_l("Choose which criterion the barrier is for."))])
    description = StringField(_l("Barrier"), widget=GovTextInput(),
                              description=_l("A short description. Never name a person."),
                              validators=[InputRequired(message=_l("Describe the barrier.")), max_length(limits.BARRIER)])
    surmountable = RadioField(_l("Does it look likely to be surmountable?"), widget=GovRadioInput(), choices=YES_NO,
                              validators=[InputRequired(message=_l("Say whether it looks surmountable."))])
    submit = SubmitField(_l("Add barrier"), widget=GovSubmitInput())


class ChangeBarrierForm(Form):
    description = BarrierForm.description
    surmountable = BarrierForm.surmountable
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())


class RemoveBarrierForm(Form):
    submit = SubmitField(_l("Remove barrier"), widget=GovSubmitInput())
