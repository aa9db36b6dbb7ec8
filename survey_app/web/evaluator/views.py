"""The progression dashboard (Table 10) and the evaluator's register of barriers.

Counts only: no one's record or contact details. The filters come with GET; each change to the
register is one use case in services/barriers.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import groupby
from operator import attrgetter

from flask import abort, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext as _, lazy_gettext as _l

from survey_app.domain.instruments import Definition
from survey_app.domain.paired_change import RELIABLE
from survey_app.domain.pathway import STAGES
from survey_app.domain.progression import RATINGS
from survey_app.extensions import db_session
from survey_app.services import barriers as barrier_service, progress as progress_service, progress_change, questionnaires
from survey_app.services.audit import Actor
from survey_app.services.progress import COHORTS, FIGURES, REASONS, Breakdown, Filters, Progress
from survey_app.services.progress_change import MeasureChange
from survey_app.services.refusal import Refused
from survey_app.web.evaluator import bp
from survey_app.web.evaluator.forms import BarrierForm, ChangeBarrierForm, FilterForm, RemoveBarrierForm
from survey_app.web.languages import language_name
from survey_app.web.loaded import instrument_catalogue
from survey_app.web.session import current_staff
from survey_app.web.text import say

# How the answers were given, in the reader's language.
MODES = {mode: _l(words) for mode, words in questionnaires.MODE_NAMES.items()}


@bp.get("/")
def index():
    """Table 10's criteria for the chosen people, the breakdowns, and the register of barriers."""
    return _dashboard(BarrierForm(formdata=None))


@bp.post("/barriers")
def add_barrier():
    form = BarrierForm()
    if form.validate_on_submit():
        try:
            barrier_service.add_barrier(db_session(), int(form.criterion.data), form.description.data,
                                        form.surmountable.data == "yes", _actor())
        except Refused as refusal:
            getattr(form, refusal.field or "description").errors.append(say(refusal.message))
        else:
            return redirect(url_for("evaluator.index", _anchor="barriers"))
    return _dashboard(form)


@bp.route("/barriers/<int:barrier_id>", methods=["GET", "POST"])
def barrier(barrier_id: int):
    found = barrier_service.barrier(db_session(), barrier_id)
    if found is None:
        abort(404)
    form = ChangeBarrierForm(data=None if request.method == "POST" else
                             {"description": found.description, "surmountable": "yes" if found.surmountable else "no"})
    if form.validate_on_submit():
        try:
            barrier_service.change_barrier(db_session(), barrier_id, form.description.data,
                                           form.surmountable.data == "yes", _actor())
        except Refused as refusal:
            form.description.errors.append(say(refusal.message))
        else:
            return redirect(url_for("evaluator.index", _anchor="barriers"))
    return render_template("evaluator/barrier.html", form=form, remove=RemoveBarrierForm(), barrier=found)


@bp.post("/barriers/<int:barrier_id>/remove")
def remove_barrier(barrier_id: int):
    if RemoveBarrierForm().validate_on_submit():
        try:
            barrier_service.remove_barrier(db_session(), barrier_id, _actor())
        except Refused:
            abort(404)
    return redirect(url_for("evaluator.index", _anchor="barriers"))


def _dashboard(barrier_form: BarrierForm):
    filters_form = FilterForm(formdata=request.args)
    filters = _filters(filters_form)
    page = progress_service.progress(db_session(), filters)
    changes = progress_change.change(db_session(), instrument_catalogue(), filters)
    filters_form.site.choices = [("", _("All sites"))] + [(str(site.id), site.name) for site in page.sites]
    return render_template("evaluator/index.html", page=page, filters=filters_form, barrier_form=barrier_form,
                           stages=STAGES, ratings=RATINGS, figures=FIGURES, cohorts=COHORTS, tables=_tables(page),
                           changes=_by_measure(changes),
                           reliable={key: say(text) for key, text in RELIABLE.items()})


def _by_measure(changes: list[MeasureChange]) -> list[tuple[Definition, list[MeasureChange]]]:
    """The change of each score, grouped by questionnaire: one table (and chart) each."""
    return [(definition, list(scores)) for definition, scores in groupby(changes, key=attrgetter("definition"))]


@dataclass(frozen=True)
class _Table:
    """A breakdown as the page shows it: its title, the words for its rows and columns, its counts."""

    title: str
    first_heading: str
    names: dict[str, str]
    counts: Breakdown

    @property
    def headings(self) -> list[str]:
        return [say(heading) for heading in self.counts.columns.values()]


def _tables(page: Progress) -> list[_Table]:
    translated = {key: say(text) for key, text in {**COHORTS, **REASONS}.items()}
    return [
        _Table(_("People by site"), _("Site"), {}, page.by_site),
        _Table(_("People by cohort"), _("Cohort"), translated, page.by_cohort),
        _Table(_("Questionnaires sent, by language"), _("Language"),
               {key: language_name(key) for key, _cells in page.by_language.rows}, page.by_language),
        _Table(_("Questionnaires sent, by how they were answered"), _("How"),
               {key: str(text) for key, text in MODES.items()}, page.by_mode),
        _Table(_("Reasons given for not now or no (anonymous)"), _("Reason"), translated, page.reasons),
    ]


@bp.app_template_filter()
def progress_number(value) -> str:
    """A whole number as it is; a fraction (a pro-rata target, a sum of shares) to one decimal place."""
    if value is None:
        return "–"
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else format_decimal(round(float(value), 1))


@bp.app_template_filter()
def change_number(value) -> str:
    """A change, an interval's end or an effect size, to two decimal places."""
    return format_decimal(round(float(value), 2), format="#,##0.00")


@bp.context_processor
def _words() -> dict:
    return {"say": say}


def _filters(form: FilterForm) -> Filters:
    """The filters asked for. A date that is not a real date is shown as an error and left out; so is an end
    before the start. The site list is only known once the page is read, so the site is taken as sent."""
    for field in (form.start, form.end):
        field.errors = [_("Enter a real date, for example 30 4 2025.")] if field.process_errors else []
    start, end = form.start.data, form.end.data
    if start and end and start > end:
        form.end.errors.append(_("The end date must be on or after the start date."))
        end = None
    site = int(form.site.data) if (form.site.data or "").isdigit() else None
    return Filters(start, end, site, form.cohort.data if form.cohort.data in COHORTS else None)


def _actor() -> Actor:
    return Actor.staff(current_staff())
