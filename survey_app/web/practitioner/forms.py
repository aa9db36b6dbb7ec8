from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect, GovSubmitInput, \
    GovTextArea, GovTextInput
from survey_app.domain import limits
from survey_app.web.widgets import DateInput, Form, max_length
from wtforms import (BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, SubmitField,
                     TextAreaField, TimeField)
from wtforms.validators import InputRequired, Optional, ValidationError

from survey_app.domain import pathway, windows
from survey_app.domain.invitations import CHANNELS
from survey_app.domain.measures import TIMEPOINTS
from survey_app.domain.spoken_languages import spoken_language_tag
from survey_app.web.once import SentOnce


def choices(names: dict[str, str]) -> list[tuple[str, str]]:
    """Form choices from a domain table of value -> words (marked with N_), in the reader's language."""
    return [(value, _l(words)) for value, words in names.items()]


REFERRAL_SOURCES = choices(pathway.REFERRAL_SOURCES)
ELIGIBILITY = choices(pathway.ELIGIBILITY)
OUTCOMES = [("", _l("Not closed")), *choices(pathway.CLOSURE_OUTCOMES)]
TIMEPOINT_NAMES = {"T1": _l("Start of support (T1)"), "T2": _l("End of support (T2)")}
CHANNEL_NAMES = {"copy": _l("Copy it to send"), "qr": _l("Show a QR code to someone with me"),
                 "sms": _l("Send it by text message")}


class CaseloadForm(Form):
    """Which people the caseload shows and in what order, sent with GET so it works without script
    and can be bookmarked; no CSRF token is needed because nothing changes."""

    class Meta:
        csrf = False

    need = SelectField(_l("Who to show"), widget=GovSelect(), validators=[Optional()],
                       choices=[("", _l("Everyone")), *choices(windows.NEED_NAMES)])
    order = SelectField(_l("Order"), widget=GovSelect(), validators=[Optional()],
                        choices=[("referral", _l("Newest referral first")), ("need", _l("What needs doing first"))])
    submit = SubmitField(_l("Update the list"), widget=GovSubmitInput())


class NewRecordForm(SentOnce, Form):
    name = StringField(_l("Full name"), widget=GovTextInput(), validators=[InputRequired(message=_l("Enter their name")),
                                                                          max_length(limits.PERSON_NAME)])
    phone = StringField(_l("Mobile phone number (optional)"), widget=GovTextInput(),
                        validators=[Optional(), max_length(limits.PHONE)])
    site = SelectField(_l("Site"), widget=GovSelect(), coerce=int)
    referral_date = DateField(_l("Date of referral"), widget=DateInput(), format="%d %m %Y",
                              description=_l("For example, 27 3 2026"),
                              validators=[InputRequired(message=_l("Enter the date of referral"))])
    referral_source = RadioField(_l("Who referred them?"), choices=REFERRAL_SOURCES, widget=GovRadioInput(),
                                 validators=[InputRequired(message=_l("Choose who referred them"))])
    linked_service_user = StringField(_l("Study id of the linked service user's case (optional)"),
                                      widget=GovTextInput(), description=_l("For example, K7M4-QX2P"),
                                      validators=[Optional(), max_length(limits.STUDY_ID_TYPED)])
    submit = SubmitField(_l("Save referral"), widget=GovSubmitInput())


class PathwayForm(Form):
    eligibility = RadioField(_l("Eligibility"), choices=ELIGIBILITY, widget=GovRadioInput())
    eligibility_date = DateField(_l("Date eligibility was decided"), widget=DateInput(), format="%d %m %Y",
                                 validators=[Optional()])
    first_session_date = DateField(_l("Date of the first support session"), widget=DateInput(), format="%d %m %Y",
                                   validators=[Optional()])
    closure_date = DateField(_l("Date the case closed"), widget=DateInput(), format="%d %m %Y",
                             validators=[Optional()])
    closure_outcome = RadioField(_l("How did the case close?"), choices=OUTCOMES, widget=GovRadioInput(),
                                 validators=[Optional()])
    closure_reason = TextAreaField(_l("Reason (if other)"), widget=GovTextArea(),
                                   validators=[Optional(), max_length(limits.CLOSURE_REASON)])
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class NewLinkForm(SentOnce, Form):
    timepoint = RadioField(_l("Which questionnaires?"), choices=[(t, TIMEPOINT_NAMES[t]) for t in TIMEPOINTS],
                           widget=GovRadioInput(), validators=[InputRequired(message=_l("Choose T1 or T2"))])
    access_code = RadioField(_l("Ask for an access code?"), choices=[("yes", _l("Yes: I will read it out to them")),
                                                                    ("no", _l("No"))],
                             default="yes", widget=GovRadioInput())
    channel = RadioField(_l("How will you share the link?"), choices=[(c, CHANNEL_NAMES[c]) for c in CHANNELS],
                         default="copy", widget=GovRadioInput())
    # "yes" once the practitioner has confirmed a T2 link before T2 is due.
    early = HiddenField()
    submit = SubmitField(_l("Create link"), widget=GovSubmitInput())


YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


class SafeContactForm(Form):
    """Asked before any text is sent. Times are 24-hour, like 18:00; both blank means any time."""

    may_text = RadioField(_l("May we send a text message to this number?"), choices=YES_NO, widget=GovRadioInput(),
                          validators=[InputRequired(message=_l("Choose yes or no"))])
    text_from = TimeField(_l("Texts only from (optional)"), widget=GovTextInput(), validators=[Optional()],
                          description=_l("A time like 18:00"))
    text_until = TimeField(_l("Texts only until (optional)"), widget=GovTextInput(), validators=[Optional()],
                           description=_l("A time like 20:00"))
    never_say = TextAreaField(_l("Is there anything a text must never say? (optional)"), widget=GovTextArea(),
                              validators=[Optional(), max_length(limits.NEVER_SAY)],
                              description=_l("Their own words, separated by commas. No text will use them."))
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (self.text_from.data is None) != (self.text_until.data is None):
            self.text_until.errors = [*self.text_until.errors, _l("Give both times, or neither")]
            return False
        return valid


class AssistedStartForm(Form):
    # The choices are the view's: the languages every measure of this link can be given in.
    language = RadioField(_l("Language of the questions"), widget=GovRadioInput(), validators=[Optional()])
    interpreter = StringField(_l("Interpreter's id (if an interpreter is helping)"), widget=GovTextInput(),
                              description=_l("The id from your interpreter booking, for example INT-0042"),
                              validators=[Optional(), max_length(limits.INTERPRETER_ID)])
    spoken_language = StringField(_l("Language the interpreter speaks with them (if an interpreter is helping)"),
                                  widget=GovTextInput(),
                                  description=_l("For example Sylheti, Pashto or Tamil. The questions on screen stay "
                                                 "in the written language; this records what was spoken."),
                                  validators=[Optional(), max_length(limits.SPOKEN_LANGUAGE)])
    submit = SubmitField(_l("Start the questions"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        """The interpreter and the language they speak are given together, the language as a
        name or tag the platform knows (it keeps the tag)."""
        valid = super().validate(extra_validators)
        interpreter, spoken = (self.interpreter.data or "").strip(), (self.spoken_language.data or "").strip()
        if interpreter and not spoken:
            self.spoken_language.errors = [*self.spoken_language.errors,
                                           _l("Enter the language the interpreter speaks with them")]
        elif spoken and not interpreter:
            self.interpreter.errors = [*self.interpreter.errors,
                                       _l("Enter the interpreter's id, or leave the language empty")]
        elif spoken and spoken_language_tag(spoken) is None:
            self.spoken_language.errors = [*self.spoken_language.errors,
                                           _l("Enter a language's name in English, for example Sylheti, or its "
                                              "code, for example syl")]
        return valid and not (self.interpreter.errors or self.spoken_language.errors)


class VerbalConsentForm(SentOnce, Form):
    """What a person decided on a call, recorded by the practitioner who asked them."""

    outcome = RadioField(_l("What did they decide?"), widget=GovRadioInput(),
                         choices=[("given", _l("They agreed to answer the questions")),
                                  ("not_now", _l("Not now: ask again later")), ("declined", _l("No"))],
                         validators=[InputRequired(message=_l("Choose what they decided"))])
    # The labels are the consent document's questions, set by the view in the language used.
    questionnaires = RadioField(choices=YES_NO, widget=GovRadioInput(), validators=[Optional()])
    share_answers = RadioField(choices=YES_NO, widget=GovRadioInput(), validators=[Optional()])
    share_monitoring = RadioField(choices=YES_NO, widget=GovRadioInput(), validators=[Optional()])
    interview_contact = RadioField(choices=YES_NO, widget=GovRadioInput(), validators=[Optional()])
    link_partner = RadioField(choices=YES_NO, default="no", widget=GovRadioInput(), validators=[Optional()])
    ask_again_on = DateField(_l("When may you ask again? (optional)"), widget=DateInput(), format="%d %m %Y",
                             description=_l("For example, 7 12 2026"), validators=[Optional()])
    reason = RadioField(_l("Did they say why? (optional)"), widget=GovRadioInput(), validators=[Optional()])
    language = SelectField(_l("Language the information was given in"), widget=GovSelect(),
                           validate_choice=False,  # checked by validate_language, with words that say what to do
                           validators=[InputRequired(message=_l("Choose a language the consent document is published "
                                                                "in"))])
    interpreter = StringField(_l("Interpreter's id (if an interpreter was used)"), widget=GovTextInput(),
                              description=_l("The id from your interpreter booking, for example INT-0042"),
                              validators=[Optional(), max_length(limits.INTERPRETER_ID)])
    read_out = BooleanField(_l("I read out or explained the summary, and offered every section"),
                            widget=GovCheckboxInput())
    submit = SubmitField(_l("Save their decision"), widget=GovSubmitInput())

    def validate_language(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose a language the consent document is published in"))


class PractitionerStopForm(SentOnce, Form):
    keep = RadioField(_l("What should happen to the answers they have already given?"), widget=GovRadioInput(),
                      choices=[("keep", _l("Keep them")), ("delete", _l("Delete them, and their contact details"))],
                      validators=[InputRequired(message=_l("Choose whether to keep or delete their answers"))])
    submit = SubmitField(_l("Record that they have stopped"), widget=GovSubmitInput())
