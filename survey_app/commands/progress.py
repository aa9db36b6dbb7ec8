"""`survey progress`: the progression criteria (Table 10) on the command line.

    survey progress [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--site NAME] --format json|text

JSON: {"filters": {...}, "criteria": [{"number", "name", "numerator", "denominator", "percent",
"rating"}, ...], "recruitment_by_cohort": [{"cohort", and the same keys}, ...]}; `percent` and
`rating` are null while a criterion has no denominator, and numerator and denominator are null for
the barrier criteria (4 and 10), rated from the register. Criterion 5 is also given for each cohort.
Bad input goes to stderr with exit code 2.
"""

from __future__ import annotations

import json
from fractions import Fraction

import click
from flask import current_app
from flask.cli import with_appcontext

from survey_app.commands.arguments import day, fail
from survey_app.domain.progression import RATINGS
from survey_app.services import progress as progress_service
from survey_app.services.progress import COHORTS, Filters

FORMATS = ("json", "text")


@click.command("progress")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="Count people referred on or after this day.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Count people referred on or before this day.")
@click.option("--site", metavar="NAME", help="One site, by name (default: every site).")
@click.option("--format", "output", metavar="json|text", required=True, help="json or text.")
@with_appcontext
def progress_command(start: str | None, end: str | None, site: str | None, output: str) -> None:
    """Print every progression criterion with its figures and rating."""
    if output not in FORMATS:
        fail(f"--format must be json or text, not {output!r}.")
    filters = Filters(day("--from", start), day("--to", end))
    if filters.start and filters.end and filters.start > filters.end:
        fail("--from must be on or before --to.")
    with current_app.extensions["survey_sessions"]() as session:
        if site is not None:
            site_id = progress_service.site_named(session, site)
            if site_id is None:
                fail(f"There is no site called {site!r}.")
            filters = Filters(filters.start, filters.end, site_id)
        found = progress_service.progress(session, filters)
    rows = [_row(f) for f in found.criteria]
    by_cohort = [{"cohort": f.cohort, **_row(f)} for f in found.recruitment_by_cohort]
    if output == "json":
        click.echo(json.dumps({"filters": {"from": start, "to": end, "site": site}, "criteria": rows,
                               "recruitment_by_cohort": by_cohort}))
        return
    for row in rows:
        click.echo(_line(row))
    for row in by_cohort:
        click.echo(_line({**row, "name": f"  {COHORTS[row['cohort']]} only"}))


def _row(figure) -> dict:
    return {"number": figure.number, "name": figure.criterion.name, "numerator": _number(figure.numerator),
            "denominator": _number(figure.denominator), "percent": figure.percent, "rating": figure.rating}


def _line(row: dict) -> str:
    figures = "" if row["numerator"] is None else f"{row['numerator']} of {row['denominator']}"
    if row["rating"] is None:
        verdict = "no denominator yet"
    elif row["percent"] is None:
        verdict = RATINGS[row["rating"]]  # a barrier criterion: rated from the register
    else:
        verdict = f"{row['percent']}%  {RATINGS[row['rating']]}"
    return f"{row['number']:>2}  {row['name']:<40} {figures:>16}  {verdict}"


def _number(value: Fraction | int | None) -> int | float | None:
    """Whole numbers as they are; a fraction (a pro-rata target, a sum of item shares) to two decimals."""
    if value is None:
        return None
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else round(float(value), 2)
