"""The sample-size planner page: the study's Table F1 reproduced, and a plan for any other inputs.

It shows numbers only, counted across the whole platform; nothing about anyone's record.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import ROUND_HALF_UP, Decimal

from flask import render_template, request
from flask_babel import format_percent, lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import DecimalField, RadioField, SubmitField
from wtforms.validators import InputRequired

from survey_app.domain.planning import NOT_A_NUMBER, STUDY_DEFAULTS, PlanInputs
from survey_app.extensions import db_session
from survey_app.services.planning import planner_page
from survey_app.web.evaluator import bp
from survey_app.web.formatting import number_text
from survey_app.web.text import say
from survey_app.web.widgets import Form

PERCENT_FIELDS = ("attrition", "conversion")  # typed as percentages (20), planned as fractions (0.2)


class NumberField(DecimalField):
    """A number typed as text (GOV.UK asks for numbers in text inputs); infinity and NaN are not numbers."""

    def __init__(self, label, missing: str, **kwargs):
        # The form names the field (kwargs["name"]) after the planner's input, whose words it borrows.
        super().__init__(label, widget=GovTextInput(), places=None, validators=[InputRequired(message=missing)],
                         invalid_value_message=_l(NOT_A_NUMBER[kwargs["name"]]), **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.invalid_value_message)


class PlanForm(Form):
    mdes = NumberField(_l("Minimum detectable effect size"), _l("Enter the minimum detectable effect size"),
                       description=_l("In standard deviations of the outcome, like 0.2"))
    rho = NumberField(_l("Pre-test to post-test correlation"), _l("Enter the correlation"),
                      description=_l("More than -1 and less than 1, like 0.5"))
    alpha = NumberField(_l("Alpha (significance level)"), _l("Enter alpha"), description=_l("Like 0.05"))
    power = NumberField(_l("Power"), _l("Enter the power"), description=_l("Like 0.8"))
    sides = RadioField(_l("One-sided or two-sided test?"), coerce=int, widget=GovRadioInput(),
                       choices=[(2, _l("Two-sided")), (1, _l("One-sided"))], description=_l("Table F1 is two-sided"),
                       validators=[InputRequired(message=_l("Choose one-sided or two-sided"))])
    attrition = NumberField(_l("Attrition from engagement to completion"), _l("Enter the attrition"),
                            description=_l("The percentage of people recruited who do not complete, like 20"))
    conversion = NumberField(_l("Conversion from referral to engagement"), _l("Enter the conversion"),
                             description=_l("The percentage of eligible referrals who engage, like 55"))
    submit = SubmitField(_l("Calculate"), widget=GovSubmitInput())

    def values(self) -> dict[str, float]:
        """The planner's inputs, from what was typed: percentages become fractions."""
        return {name: int(field.data) if name == "sides"
                else float(field.data / 100 if name in PERCENT_FIELDS else field.data)
                for name, field in self._fields.items() if name in PlanInputs.__dataclass_fields__}


def _study_inputs() -> dict[str, object]:
    """The form's first values: the study's own (Appendix F), shown as typed (0.2, 20)."""
    return {name: value if name == "sides" else Decimal(f"{value * 100 if name in PERCENT_FIELDS else value:g}")
            for name, value in asdict(STUDY_DEFAULTS).items()}


def rounded(value: float, places: int = 0) -> str:
    """A number to `places` decimal places, halves up, in the reader's language (1,502; 9.2)."""
    return number_text(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), places)


def as_typed(value: float) -> str:
    """An input as it would be typed, with its own decimal places (0.05 stays 0.05), in the reader's language."""
    exact = Decimal(str(value))
    return number_text(exact, max(0, -exact.as_tuple().exponent))


def percent(value: float) -> str:
    """A fraction as a percentage, in the reader's language (0.55 is 55%; 0.205 is 20.5%)."""
    return format_percent(value, "#,##0.##%")


@bp.route("/plan", methods=["GET", "POST"])
def plan():
    """Sample sizes for a trial of the intervention; the study's inputs until others are sent."""
    if request.method == "POST":
        form = PlanForm()
        values = form.values() if form.validate() else None  # nothing is planned from input the form refused
    else:
        form = PlanForm(data=_study_inputs())
        values = form.values()
    page = planner_page(db_session(), values)
    for name, message in page.problems.items():
        form[name].errors = [*form[name].errors, say(message)]
    return render_template("evaluator/plan.html", form=form, page=page, number=rounded, as_typed=as_typed,
                           percent=percent)
