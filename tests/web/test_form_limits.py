"""Every form field has a limit, and a field whose value lands in a column of its own has exactly
that column's limit: walked over every form class and read from the store's columns, so neither can
drift from the other."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import Length, NumberRange

import survey_app.web
from survey_app.domain import limits
from survey_app.store.answers import Administration
from survey_app.store.audit import AuditEntry
from survey_app.store.barriers import Barrier
from survey_app.store.consent import ConsentEventRow
from survey_app.store.sms import SmsTemplate
from survey_app.store.staff import ReferralTarget, Site, Staff
from survey_app.web.widgets import Form


def every_form_class() -> list[type]:
    for module in pkgutil.walk_packages(survey_app.web.__path__, "survey_app.web."):
        importlib.import_module(module.name)
    found, waiting = [], list(FlaskForm.__subclasses__())
    while waiting:
        form = waiting.pop()
        found.append(form)
        waiting += form.__subclasses__()
    return [form for form in found if form.__module__.startswith("survey_app.")]


FORMS = every_form_class()


def column_length(column) -> int:
    return column.property.columns[0].type.length


# (form, field) -> the most its column (or columns) can hold of what is typed.
STORED = {
    ("SiteForm", "name"): min(column_length(Site.name), column_length(AuditEntry.subject) - len(limits.SITE_PREFIX)),
    ("InviteForm", "name"): column_length(Staff.name),
    ("InviteForm", "email"): column_length(Staff.email),
    ("SignInForm", "email"): column_length(Staff.email),
    ("WordingForm", "text"): column_length(SmsTemplate.text),
    ("BarrierForm", "description"): column_length(Barrier.description),
    ("ChangeBarrierForm", "description"): column_length(Barrier.description),
    ("AssistedStartForm", "interpreter"): column_length(Administration.interpreter),
    ("VerbalConsentForm", "interpreter"): column_length(ConsentEventRow.interpreter),
}
WHOLE_NUMBERS = {("TargetForm", "target"): ReferralTarget.target, ("QuestionForm", "seen"): None}


def bound_fields(app, form_class):
    with app.test_request_context():
        return list(form_class(meta={"csrf": False}))


def test_the_walk_finds_the_forms():
    names = {form.__name__ for form in FORMS}
    assert {"SiteForm", "SignInForm", "VerbalConsentForm", "QuestionForm", "PlanForm", "DatasetForm"} <= names
    assert {name for name, _field in [*STORED, *WHOLE_NUMBERS]} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: form.__name__)
def test_every_form_has_the_shared_base(form_class):
    assert issubclass(form_class, Form), f"{form_class.__name__} should inherit survey_app.web.widgets.Form"


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: form.__name__)
def test_every_text_field_has_a_length_limit_and_every_stored_one_matches_its_column(app, form_class):
    for field in bound_fields(app, form_class):
        if not isinstance(field, StringField):
            continue
        maxima = [v.max for v in field.validators if isinstance(v, Length) and v.max > 0]
        assert maxima, f"{form_class.__name__}.{field.name} has no length limit"
        stored = STORED.get((form_class.__name__, field.name))
        if stored is not None:
            assert min(maxima) == stored, f"{form_class.__name__}.{field.name}: {min(maxima)}, column {stored}"


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: form.__name__)
def test_every_whole_number_field_fits_an_integer_column(app, form_class):
    for field in bound_fields(app, form_class):
        if isinstance(field, IntegerField):
            ranges = [v for v in field.validators if isinstance(v, NumberRange)]
            assert ranges and all(limits.INTEGER_MIN <= (r.min if r.min is not None else limits.INTEGER_MIN)
                                  and (r.max if r.max is not None else limits.INTEGER_MAX + 1) <= limits.INTEGER_MAX
                                  for r in ranges[:1]), f"{form_class.__name__}.{field.name} is not bounded"
            assert (form_class.__name__, field.name) in WHOLE_NUMBERS


def test_the_limits_that_name_a_column_match_it():
    assert column_length(Staff.email) == limits.EMAIL
    assert column_length(Administration.interpreter) == column_length(ConsentEventRow.interpreter) \
        == limits.INTERPRETER_ID
    assert column_length(Barrier.description) == limits.BARRIER
    assert column_length(SmsTemplate.text) == limits.SMS_WORDING
