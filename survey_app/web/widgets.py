"""Small fixes on top of govuk-frontend-wtf's widgets."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovDateInput


class DateInput(GovDateInput):
    """GOV.UK's day, month and year boxes. A request that sent none of the three boxes (not a
    browser, which always sends all three) is shown as empty instead of failing."""

    def map_gov_params(self, field, **kwargs):
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = None
        return super().map_gov_params(field, **kwargs)
