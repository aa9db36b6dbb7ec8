"""`survey plan`: the stable command-line contract for the sample-size planner (Table F1).

    survey plan --mdes D --rho R [--alpha 0.05] [--power 0.8] [--sides 1|2] [--attrition 0.2] [--conversion 0.55]

Prints one JSON object {"analytic_sample", "recruited", "referrals"}, all whole numbers. Input out of
range goes to stderr with exit code 2, and nothing is printed on stdout. Needs no database.
"""

from __future__ import annotations

import json
import sys

import click

from survey_app.domain.planning import STUDY_DEFAULTS, InvalidPlan, PlanInputs, plan

BAD_INPUT = 2


@click.command("plan", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--mdes", type=float, required=True, help="Minimum detectable effect size, e.g. 0.2.")
@click.option("--rho", type=float, required=True, help="Pre-test/post-test correlation, more than -1 and less than 1.")
@click.option("--alpha", type=float, default=STUDY_DEFAULTS.alpha, show_default=True,
              help="Significance level (chance of a false positive).")
@click.option("--power", type=float, default=STUDY_DEFAULTS.power, show_default=True,
              help="Chance of detecting the effect when it is there.")
@click.option("--sides", type=int, default=STUDY_DEFAULTS.sides, show_default=True,
              help="1 for a one-sided test, 2 for two-sided.")
@click.option("--attrition", type=float, default=STUDY_DEFAULTS.attrition, show_default=True,
              help="Share of recruits lost before completion, as a fraction (0.2 for 20%).")
@click.option("--conversion", type=float, default=STUDY_DEFAULTS.conversion, show_default=True,
              help="Share of eligible referrals who engage, as a fraction (0.55 for 55%).")
def plan_command(**values: float) -> None:
    """Size a two-arm trial analysed by ANCOVA on the pre-test (PowerUp!) and print it as JSON."""
    try:
        found = plan(PlanInputs(**values))
    except InvalidPlan as refusal:
        click.echo("\n".join(f"Error: {problem}" for problem in refusal.problems.values()), err=True)
        sys.exit(BAD_INPUT)
    click.echo(json.dumps({"analytic_sample": found.analytic_sample, "recruited": found.recruited,
                           "referrals": found.referrals}))
