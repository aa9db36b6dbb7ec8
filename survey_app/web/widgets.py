"""Small fixes on top of govuk-frontend-wtf's widgets, and the base of every form."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSubmitInput
from markupsafe import Markup
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import Length, NumberRange

from survey_app.domain import limits

NUL_MESSAGE = _l("This contains a character that cannot be saved (a null character). Type it again.")


def too_long(maximum: int):
    return _l("Enter %(count)s characters or fewer", count=maximum)


def max_length(maximum: int) -> Length:
    """A text field's limit, with GOV.UK's wording."""
    return Length(max=maximum, message=too_long(maximum))


def whole_number(minimum: int = limits.INTEGER_MIN, maximum: int = limits.INTEGER_MAX) -> NumberRange:
    return NumberRange(min=minimum, max=maximum,
                       message=_l("Enter a whole number from %(min)s to %(max)s", min=minimum, max=maximum))


class Form(FlaskForm):
    """Every form's base. Whatever a field declares, a value holding a null character (PostgreSQL
    refuses them in text) is an error and its value is dropped, so even a form that is read without
    being validated (a GET filter) never passes it on; a text field with no length limit of its own
    gets `limits.TEXT`; a whole number is kept to what an INTEGER column holds."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField) and not any(isinstance(v, Length) for v in field.validators):
                field.validators = [*field.validators, max_length(limits.TEXT)]
            if isinstance(field, IntegerField) and not any(isinstance(v, NumberRange) for v in field.validators):
                field.validators = [*field.validators, whole_number()]
            return field

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)
        for field in self:
            raw = field.raw_data or ()
            if any(isinstance(value, str) and "\x00" in value for value in raw):
                field.raw_data = [value.replace("\x00", "") if isinstance(value, str) else value for value in raw]
                field.data = None
                field.process_errors.append(NUL_MESSAGE)


class DateInput(GovDateInput):
    """GOV.UK's day, month and year boxes. A request that sent none of the three boxes (not a
    browser, which always sends all three) is shown as empty instead of failing."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None
        return super().map_gov_params(field, **kwargs)


class RealDateField(DateField):
    """A date in GOV.UK's three boxes; one that is not a real date gets GOV.UK's wording for the error."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a real date, for example 30 4 2025.")) from None


# --- participant widgets, rendered once per distinct look ------------------------------------------
# A question page's radios and buttons go through GOV.UK Frontend's general macros, which cost more
# than everything else on the page together. What they produce depends on their parameters alone, and
# a participant's page has few distinct ones (a question's text and scale, the answer chosen, an
# error), so each distinct set is rendered once per process and kept. Only participant forms use
# these: their parameters hold the platform's own words and a point on a scale, never text a person
# typed (a name kept in this cache would outlive its deletion).
RENDERED_WIDGETS = 4096  # distinct looks kept per process; the least recently used goes first


def _frozen(value):
    """The parameters as a hashable key that tells apart everything the macros could tell apart:
    Markup from plain text, a lazy translation by the words it gives now, a list from a dict."""
    if isinstance(value, dict):
        return ("dict", tuple((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(_frozen(item) for item in value))
    if value is None or isinstance(value, (bool, int, float, str)):
        return (type(value).__name__, value)  # Markup is a str: its type name keeps it apart
    if hasattr(value, "__html__"):
        return ("html", type(value).__name__, str(value), value.__html__())
    raise TypeError(f"cannot keep a widget rendered with a {type(value).__name__}")


class _Parameters:
    """A widget's parameters and how to render them, compared by their frozen key (lru_cache hashes
    its arguments)."""

    __slots__ = ("key", "render")

    def __init__(self, template: str, params: dict, render: Callable[[], Markup]):
        self.key, self.render = (template, _frozen(params)), render

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Parameters) and self.key == other.key


def _rendered_widgets() -> Callable[[_Parameters], Markup]:
    """This app's cache (one per app: the tests build many)."""
    cache = current_app.extensions.get("survey_rendered_widgets")
    if cache is None:
        cache = current_app.extensions["survey_rendered_widgets"] = \
            lru_cache(maxsize=RENDERED_WIDGETS)(lambda parameters: parameters.render())
    return cache


class _RenderedOnce:
    def render(self, params):
        render = lambda: super(_RenderedOnce, self).render(params)  # noqa: E731 (the library's own render)
        return _rendered_widgets()(_Parameters(self.template, params, render))


class RadioInput(_RenderedOnce, GovRadioInput):
    """GOV.UK radios for participant forms (see above)."""


class SubmitInput(_RenderedOnce, GovSubmitInput):
    """A GOV.UK button for participant forms (see above)."""
