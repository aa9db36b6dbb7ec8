"""The command line on input built to break it: deeply nested JSON or YAML, numbers thousands of digits
long, and one broken draft among good files. Each gets a plain message and the documented exit code,
never a traceback, and a broken draft never stops the rest from loading."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from survey_app.cli import main
from survey_app.config import instruments_dir

DEEP = 5000
SWEMWBS_ANSWERS = {str(n): 3 for n in range(1, 8)}


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


@pytest.fixture
def instruments(tmp_path, monkeypatch):
    root = tmp_path / "instruments"
    shutil.copytree(instruments_dir(), root)
    monkeypatch.setenv("SURVEY_INSTRUMENTS_DIR", str(root))
    return root


@pytest.mark.parametrize("text", [
    "a: " + "[" * DEEP + "]" * DEEP + "\n",
    "title: " + "[" * DEEP + "]" * DEEP + "\n",
    "items: " + "- " * DEEP + "x\n",
], ids=["unknown-field", "known-field", "block"])
def test_validate_reports_a_5000_deep_yaml_file_as_a_problem(instruments, text):
    path = instruments / "swemwbs" / "9.0.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("instruments", "validate", str(path))
    assert result.exit_code == 1
    assert "instruments/swemwbs/9.0.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def laughs(levels: int = 9) -> str:
    """"Billion laughs": each line repeats the one before nine times, so a few hundred bytes stand
    for 9 ** levels values to whatever walks the data."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\ntitle: *a{levels}\n"


def test_validate_refuses_anchors_and_aliases_at_once(instruments):
    path = instruments / "swemwbs" / "9.0.yaml"
    path.write_text(laughs(), encoding="utf-8")
    result = run("instruments", "validate", str(path))
    assert result.exit_code == 1
    assert "anchors and aliases" in result.stderr and "Traceback" not in result.stderr
    listed = run("instruments", "list")  # and the rest still load
    assert listed.exit_code == 0 and "SWEMWBS 1.0" in listed.stdout


@pytest.mark.parametrize("responses", [
    "[" * DEEP + "]" * DEEP,
    '{"1": ' + "[" * DEEP + "]" * DEEP + "}",
    '{"1": ' + "9" * DEEP + "}",
    '{"' + "1" * DEEP + '": 3}',
], ids=["nested", "nested-answer", "long-number", "long-item-number"])
def test_score_refuses_hostile_json_with_a_plain_message_and_exit_2(responses):
    result = run("score", "swemwbs", "--responses", "-", stdin=responses)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert len(result.stderr) < 500


@pytest.mark.parametrize("content", [
    "a: " + "[" * DEEP + "]" * DEEP + "\n",
    "id: swemwbs\nversion: '9.0'\nitems: " + "- " * 2000 + "x\n",
    "id: swemwbs\nversion: '9.0'\nrevision: " + "7" * DEEP + "\n",
], ids=["nested-flow", "nested-block", "long-number"])
def test_one_broken_draft_never_stops_list_or_score(instruments, content):
    (instruments / "swemwbs" / "9.0.yaml").write_text(content, encoding="utf-8")
    listed = run("instruments", "list")
    assert listed.exit_code == 0, listed.output
    assert "SWEMWBS 1.0" in listed.stdout
    scored = run("score", "swemwbs", "--responses", json.dumps(SWEMWBS_ANSWERS))
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["scores"]["raw"] == 21


def test_a_site_name_too_long_for_its_audit_entry_is_refused_on_the_command_line(app):
    result = app.test_cli_runner().invoke(main, ["sites", "add", "N" * 96])
    assert result.exit_code == 1
    assert "Enter 95 characters or fewer" in result.output
    assert "Traceback" not in result.output
