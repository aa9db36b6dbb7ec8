"""`survey score`: the stable command-line contract for scoring one administration.

    survey score INSTRUMENT [--version V] --responses JSON

Prints one JSON object {"instrument", "version", "scores"}; a score that cannot be computed
is null. Bad input goes to stderr with exit code 2 and never produces a score.
"""

from __future__ import annotations

import json
import sys

import click

from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from survey_app.domain.scoring import InvalidResponses, contract_json, score

BAD_INPUT = 2
MAX_ITEM_DIGITS = 4  # no instrument has 10,000 items


class BadInput(Exception):
    """Input the contract rejects; the message is shown to the caller as it is."""


@click.command("score", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("instrument")
@click.option("--version", "version", default=None, help="Instrument version (default: the latest published).")
@click.option("--responses", required=True, metavar="JSON",
              help='Answers by item number, e.g. \'{"1": 4, "2": null}\'. Use - to read them from stdin.')
@click.option("--details", is_flag=True, help="Also print each score's status and the items answered and missing.")
def score_command(instrument: str, version: str | None, responses: str, details: bool) -> None:
    """Score one administration and print the scores as JSON."""
    try:
        definition = _definition(instrument, version)
        answers = parse_responses(sys.stdin.read() if responses == "-" else responses)
        result = score(definition, answers)
    except BadInput as error:
        _fail(str(error))
    except InvalidResponses as error:
        _fail("\n".join(error.problems))
    click.echo(contract_json(result, details=details))


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(BAD_INPUT)


def _definition(instrument: str, version: str | None):
    catalogue = load_catalogue(instruments_dir())
    definition = catalogue.get(instrument, version)
    if definition is not None:
        return definition
    expected = next((e for e in catalogue.expected if e.id == instrument), None)
    if expected is not None and expected.missing and not catalogue.versions(instrument):
        raise BadInput(f"{instrument} cannot be scored yet. {expected.missing}")
    if catalogue.versions(instrument):
        known = ", ".join(d.version for d in catalogue.versions(instrument))
        raise BadInput(f"{instrument} has no published version {version}. Published versions: {known}.")
    known = ", ".join(sorted({d.id for d in catalogue.published.values()}))
    raise BadInput(f"There is no published instrument {instrument!r}. Instruments: {known}.")


def parse_responses(text: str) -> dict[int, int | None]:
    """JSON object of item number strings to whole numbers or null; anything else is refused."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(f"--responses is not valid JSON ({error.msg} at character {error.pos}).") from None
    except RecursionError:
        raise BadInput("--responses is nested too deeply; give one object of item numbers to answers.") from None
    except ValueError:  # a number longer than Python reads (sys.get_int_max_str_digits, 4,300 digits)
        raise BadInput("--responses holds a number too long to be an answer.") from None
    if not isinstance(data, dict):
        raise BadInput('--responses must be a JSON object of item numbers to answers, e.g. {"1": 4}.')
    answers: dict[int, int | None] = {}
    for key, value in data.items():
        if not key.isascii() or not key.isdigit() or len(key) > MAX_ITEM_DIGITS or key != str(int(key)):
            shown = key if len(key) <= 20 else key[:20] + "…"
            raise BadInput(f"{shown!r} is not an item number; use item numbers as strings, \"1\", \"2\", ….")
        if value is not None and type(value) is not int:
            raise BadInput(f"Item {key}: {json.dumps(value)} is not a whole-number answer (or null for missing).")
        answers[int(key)] = value
    return answers

