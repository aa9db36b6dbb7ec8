"""Participant forms: one question per page, GOV.UK radios, messages that say what to do."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import HiddenField, IntegerField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Optional
from survey_app.domain import limits
from survey_app.web.widgets import Form, RadioInput, SubmitInput, max_length

from survey_app.web.once import SentOnce

# The answers a consent question offers (the decision they lead to is the domain's: consent.NOT_NOW...).
ANSWER_YES, ANSWER_NO, ANSWER_NOT_NOW = "yes", "no", "not_now"


class AccessCodeForm(Form):
    code = StringField(_l("Access code"), widget=GovTextInput(),
                       description=_l("The 6 numbers you were given, for example 123456"),
                       validators=[InputRequired(message=_l("Enter the access code")), max_length(limits.CODE)])
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class LanguageForm(Form):
    language = RadioField(_l("Which language would you like to use?"), widget=RadioInput(),
                          validators=[InputRequired(message=_l("Choose a language"))])
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class StatementForm(Form):
    """One consent question. The question itself comes from the consent document."""

    answer = RadioField(widget=RadioInput(), validators=[InputRequired(message=_l("Choose yes or no"))])
    submit = SubmitField(_l("Continue"), widget=SubmitInput())

    def offer(self, required: bool) -> None:
        """A required question also offers "not now"; saying no to it means not taking part."""
        self.answer.choices = [(ANSWER_YES, _l("Yes")), (ANSWER_NOT_NOW, _l("Not now, ask me another time")),
                               (ANSWER_NO, _l("No, I do not want to take part"))] if required else \
            [(ANSWER_YES, _l("Yes")), (ANSWER_NO, _l("No"))]


class ReasonForm(SentOnce, Form):
    reason = RadioField(_l("Would you like to tell us why?"), widget=RadioInput(), validators=[Optional()])
    submit = SubmitField(_l("Continue"), widget=SubmitInput())


class ConfirmForm(SentOnce, Form):
    submit = SubmitField(_l("Save my choices"), widget=SubmitInput())


class StopForm(SentOnce, Form):
    """Stopping, for a person who has given answers: what should happen to them."""

    keep = RadioField(_l("What should happen to the answers you have already given?"), widget=RadioInput(),
                      choices=[("keep", _l("Keep them")), ("delete", _l("Delete them, and my contact details"))],
                      validators=[InputRequired(message=_l("Choose whether to keep or delete your answers"))])
    submit = SubmitField(_l("Stop taking part"), widget=SubmitInput())


class StopWithoutAnswersForm(StopForm):
    """Stopping, for a person who has answered nothing: only whether to delete their contact details."""

    keep = RadioField(_l("Should we delete your contact details?"), widget=RadioInput(),
                      choices=[("keep", _l("No, keep them")), ("delete", _l("Yes, delete them"))],
                      validators=[InputRequired(message=_l("Choose whether to delete your contact details"))])


class QuestionForm(Form):
    """One questionnaire item. Its text is the legend; its scale labels are the choices."""

    answer = RadioField(widget=RadioInput(), validate_choice=False)
    seen = IntegerField(widget=HiddenField.widget, default=0)  # the answer's revision when the page was shown
    submit = SubmitField(_l("Continue"), widget=SubmitInput())
    skip = SubmitField(_l("Skip this question"), widget=SubmitInput())


class SubmitAnswersForm(Form):
    submit = SubmitField(_l("Send my answers"), widget=SubmitInput())
