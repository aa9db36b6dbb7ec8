"""One clock: every rule reads the time through survey_app.clock, so tests can fix it."""

from __future__ import annotations

import ast
from datetime import date, datetime, timezone
from pathlib import Path

import survey_app
from survey_app import clock

PACKAGE = Path(survey_app.__file__).parent
# Calls that read the machine's clock directly.
WALL_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time"),
              ("datetime", "today")}


def wall_clock_reads(path: Path, root: Path = PACKAGE) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and (node.func.value.id, node.func.attr) in WALL_CLOCK:
            found.append(f"{path.relative_to(root)}:{node.lineno} {node.func.value.id}.{node.func.attr}()")
    return found


def test_only_the_clock_module_reads_the_wall_clock():
    offenders = [hit for path in PACKAGE.rglob("*.py") if path.name != "clock.py" for hit in wall_clock_reads(path)]
    assert offenders == []


def test_the_check_sees_a_wall_clock_read(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import time\nfrom datetime import date\nx = date.today()\ny = time.time()\n")
    assert wall_clock_reads(sample, tmp_path) == ["sample.py:3 date.today()", "sample.py:4 time.time()"]


def test_a_set_clock_runs_on_from_the_moment_it_is_set_to():
    moment = datetime(2027, 12, 27, 23, 30, tzinfo=timezone.utc)
    with clock.set_to(moment):
        first = clock.now()
        assert moment <= first < moment.replace(minute=31)
        assert clock.now() >= first
        assert clock.today() == date(2027, 12, 27)
    assert abs(clock.now() - datetime.now(timezone.utc)).total_seconds() < 5, "the block's end puts it back"


def test_a_stopped_clock_stays_and_today_is_the_date_in_england():
    # 23:30 UTC on 30 June is already 1 July in London (summer time).
    with clock.set_to(datetime(2027, 6, 30, 23, 30), running=False):
        assert clock.now() == datetime(2027, 6, 30, 23, 30, tzinfo=timezone.utc)
        assert clock.today() == date(2027, 7, 1)
        assert clock.seconds() == int(datetime(2027, 6, 30, 23, 30, tzinfo=timezone.utc).timestamp())
