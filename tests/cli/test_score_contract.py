"""`survey score`: the stable contract tools outside the code base rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey_app.commands.score import score_command

SURVEY = Path(sys.executable).parent / "survey"


def score(*args: str, stdin: str | None = None):
    return CliRunner().invoke(score_command, list(args), input=stdin, catch_exceptions=False)


def responses(values: list) -> str:
    return json.dumps({str(n): v for n, v in enumerate(values, start=1)})


def test_the_installed_command_prints_exactly_the_documented_shape():
    completed = subprocess.run([str(SURVEY), "score", "swemwbs", "--responses", responses([4, 3, 3, 4, 4, 3, 2])],
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == '{"instrument": "swemwbs", "version": "1.0", "scores": {"raw": 23, "metric": 20.73}}\n'


def test_urica_decimals_keep_two_places_and_negative_readiness():
    result = score("urica", "--responses",
                   responses([5, 2, 1, 3, 5, 1, 1, 2, 3, 1, 5, 2, 5, 1, 2, 1, 1, 1, 2, 3, 2, 1, 5, 2, 1, 5, 1, 1, 5, 1, 3, 1]))
    assert result.exit_code == 0
    assert result.stdout == ('{"instrument": "urica", "version": "1.0", "scores": {"precontemplation": 5.00, '
                             '"contemplation": 2.00, "action": 1.00, "maintenance": 1.00, "readiness": -1.00}}\n')


def test_a_missing_item_gives_null_for_the_scores_that_need_it():
    answers = {str(n): 3 for n in range(1, 13)}
    answers["3"] = None  # a bond item
    result = score("wai_sr", "--version", "1.0", "--responses", json.dumps(answers))
    assert json.loads(result.stdout)["scores"] == {"goal": 12, "task": 12, "bond": None, "total": None}
    absent = {k: v for k, v in answers.items() if k != "3"}
    assert score("wai_sr", "--responses", json.dumps(absent)).stdout == result.stdout


def test_details_show_status_and_missing_items():
    result = score("swemwbs", "--details", "--responses", responses([4, 3, None, 4, 4, 3, 2]))
    output = json.loads(result.stdout)
    assert output["scores"] == {"raw": None, "metric": None}
    assert output["details"]["raw"] == {"status": "insufficient", "answered": [1, 2, 4, 5, 6, 7], "missing": [3]}


def test_responses_can_come_from_stdin():
    result = score("swemwbs", "--responses", "-", stdin=responses([1] * 7))
    assert json.loads(result.stdout)["scores"] == {"raw": 7, "metric": 7.0}


@pytest.mark.parametrize("args, message", [
    (["swemwbs", "--responses", "{1: 4}"], "--responses is not valid JSON"),
    (["swemwbs", "--responses", "[4, 3]"], "--responses must be a JSON object of item numbers to answers"),
    (["swemwbs", "--responses", '{"8": 3}'], "SWEMWBS 1.0 has no item 8 (items are numbered 1 to 7)."),
    (["swemwbs", "--responses", '{"0": 3}'], "SWEMWBS 1.0 has no item 0"),
    (["swemwbs", "--responses", '{"one": 3}'], "'one' is not an item number"),
    (["swemwbs", "--responses", '{"01": 3}'], "'01' is not an item number"),
    (["swemwbs", "--responses", '{"1": 6}'], "Item 1: 6 is not an answer on its scale (1, 2, 3, 4, 5)."),
    (["swemwbs", "--responses", '{"1": 0}'], "Item 1: 0 is not an answer on its scale"),
    (["swemwbs", "--responses", '{"1": 3.5}'], "Item 1: 3.5 is not a whole-number answer"),
    (["swemwbs", "--responses", '{"1": "3"}'], 'Item 1: "3" is not a whole-number answer'),
    (["swemwbs", "--responses", '{"1": true}'], "Item 1: true is not a whole-number answer"),
    (["swemwbs", "--version", "9.9", "--responses", "{}"], "swemwbs has no published version 9.9"),
    (["phq9", "--responses", "{}"], "There is no published instrument 'phq9'"),
    (["sdps", "--responses", '{"1": 3}'], "sdps cannot be scored yet. SDPS has no published version."),
])
def test_bad_input_is_an_error_on_stderr_with_exit_code_2(args, message):
    result = score(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
