"""`survey plan`: the stable command-line contract of the sample-size planner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from survey_app.commands.plan import plan_command

SURVEY = Path(sys.executable).parent / "survey"


def plan(*args: str):
    return CliRunner().invoke(plan_command, list(args), catch_exceptions=False)


def test_the_installed_command_prints_exactly_the_documented_shape():
    completed = subprocess.run([str(SURVEY), "plan", "--mdes", "0.2", "--rho", "0.4"],
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == '{"analytic_sample": 661, "recruited": 828, "referrals": 1502}\n'
    assert completed.stderr == ""


@pytest.mark.parametrize("rho, printed", [("0.4", [661, 828, 1502]), ("0.5", [591, 740, 1343]),
                                          ("0.6", [504, 630, 1145])])
def test_every_option_spelled_out_reproduces_table_f1(rho, printed):
    result = plan("--mdes", "0.2", "--rho", rho, "--alpha", "0.05", "--power", "0.8", "--sides", "2",
                  "--attrition", "0.2", "--conversion", "0.55")
    assert result.exit_code == 0
    output = json.loads(result.stdout)
    assert list(output) == ["analytic_sample", "recruited", "referrals"]
    assert all(type(value) is int for value in output.values())
    assert list(output.values()) == printed


def test_a_one_sided_test_needs_fewer_people():
    one_sided = json.loads(plan("--mdes", "0.2", "--rho", "0.4", "--sides", "1").stdout)
    assert one_sided["analytic_sample"] < 661


@pytest.mark.parametrize("args, message", [
    (["--rho", "1"], "The correlation must be more than -1 and less than 1."),
    (["--rho", "-1.2"], "The correlation must be more than -1 and less than 1."),
    (["--rho", "0.5", "--power", "1.2"], "The power must be more than 0 and less than 1"),
    (["--rho", "0.5", "--alpha", "0"], "Alpha must be more than 0 and less than 1"),
    (["--rho", "0.5", "--sides", "3"], "The test must be one-sided (1) or two-sided (2)."),
    (["--rho", "0.5", "--attrition", "1"], "Attrition must be at least 0% and less than 100%."),
    (["--rho", "0.5", "--conversion", "0"], "Conversion must be more than 0% and no more than 100%."),
    (["--rho", "nan"], "The correlation must be a number."),
    (["--rho", "half"], "'half' is not a valid float"),
    (["--rho", "0.5", "--sides", "two"], "'two' is not a valid integer"),
])
def test_bad_input_is_a_plain_message_on_stderr_with_exit_code_2(args, message):
    result = plan("--mdes", "0.2", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_the_effect_and_the_correlation_are_required():
    result = plan("--mdes", "0.2")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "Missing option '--rho'" in result.stderr
