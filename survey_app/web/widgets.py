"""Small fixes on top of govuk-frontend-wtf's widgets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField


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
