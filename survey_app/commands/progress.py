"""`survey progress`: the progression criteria (Table 10) on the command line.

    survey progress [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--site NAME] --format json|text

JSON: {"filters": {...}, "criteria": [{"number", "name", "numerator", "denominator", "percent",
"rating"}, ...], "recruitment_by_cohort": [{"cohort", and the same keys}, ...]}; `percent` and
`rating` are null while a criterion has no denominator, and numerator and denominator are null for
the barrier criteria (4 and 10), rated from the register. Criterion 5 is also given for each cohort.
`change` lists the change from T1 to T2 of every score given at both (services/progress_change.py):
{"instrument", "version", "score", "label", "pairs", "mean", "ci_low", "ci_high", "sd", "effect_size",
"reliable_change_index", "reliable_increase", "no_reliable_change", "reliable_decrease"}. `pairs` is
null when there are 1 to 4 (hidden), and then so is every figure; `effect_size` is Cohen's d_z (null
when every change is the same); the three counts are null when hidden or when the definition gives
no standard error (`reliable_change_index` false). Figures are rounded to 4 decimal places.
Bad input goes to stderr with exit code 2.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from survey_app.commands.arguments import day, fail
from survey_app.domain.catalogue import Catalogue, load_catalogue
from survey_app.domain.paired_change import DECREASE, INCREASE, NO_CHANGE
from survey_app.domain.progression import RATINGS
from survey_app.services import progress as progress_service, progress_change
from survey_app.services.progress import COHORTS, Filters
from survey_app.services.progress_change import MeasureChange

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
        changes = [_change_row(c) for c in progress_change.change(session, _catalogue(), filters)]
    rows = [_row(f) for f in found.criteria]
    by_cohort = [{"cohort": f.cohort, **_row(f)} for f in found.recruitment_by_cohort]
    if output == "json":
        click.echo(json.dumps({"filters": {"from": start, "to": end, "site": site}, "criteria": rows,
                               "recruitment_by_cohort": by_cohort, "change": changes}))
        return
    for row in rows:
        click.echo(_line(row))
    for row in by_cohort:
        click.echo(_line({**row, "name": f"  {COHORTS[row['cohort']]} only"}))
    click.echo("\nChange from T1 to T2 (pairs, mean change [95% CI], d_z; reliable increase / none / decrease)")
    for row in changes:
        click.echo(_change_line(row))


def _row(figure) -> dict:
    return {"number": figure.number, "name": figure.criterion.name, "numerator": _number(figure.numerator),
            "denominator": _number(figure.denominator), "percent": figure.percent, "rating": figure.rating}


def _change_row(measure: MeasureChange) -> dict:
    summary = measure.summary
    counts = summary.reliable or {}
    return {"instrument": measure.definition.id, "version": measure.definition.version, "score": measure.score.name,
            "label": measure.score.label, "pairs": summary.pairs, "mean": _figure(summary.mean),
            "ci_low": _figure(summary.low), "ci_high": _figure(summary.high), "sd": _figure(summary.sd),
            "effect_size": _figure(summary.effect_size), "reliable_change_index": measure.has_rci,
            "reliable_increase": counts.get(INCREASE), "no_reliable_change": counts.get(NO_CHANGE),
            "reliable_decrease": counts.get(DECREASE)}


def _figure(value) -> float | None:
    return None if value is None else round(float(value), 4)


def _change_line(row: dict) -> str:
    name = f"{row['instrument']}/{row['version']} {row['score']}"
    if row["pairs"] is None:
        return f"{name:<36} fewer than 5 pairs"
    if row["mean"] is None:
        return f"{name:<36} no pairs yet"
    effect = "not defined" if row["effect_size"] is None else f"{row['effect_size']:.2f}"
    line = f"{name:<36} {row['pairs']:>6}  {row['mean']:.2f} [{row['ci_low']:.2f}, {row['ci_high']:.2f}]  d_z {effect}"
    if row["reliable_change_index"]:
        counts = [row[key] for key in ("reliable_increase", "no_reliable_change", "reliable_decrease")]
        line += "  " + " / ".join("fewer than 5" if count is None else str(count) for count in counts)
    return line


def _catalogue() -> Catalogue:
    return load_catalogue(Path(current_app.config["SURVEY_INSTRUMENTS_DIR"]))


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
