"""How evaluator exports grow with the records, in one run: time and peak memory, against pandas.

    .venv/bin/python bench/export.py [--sizes 1000 10000 100000] [--formats csv] [--layout wide] [--folder DIR]
                                     [--reuse]

For each size, bench/synthetic.py fills a fresh SQLite database with that many people in each cohort
(--reuse keeps a database already in --folder). Each export then runs in a fresh process (so its
peak resident memory is its own): the service-user dataset in each format asked for, through the
same service the page and `survey export` use. The holiday calendar (working days from closure) is
loaded before the clock starts: it is loaded once a process, and a server has it already. In another
fresh process, pandas reads the exported CSV into memory (not timed) and writes the same rows with
`DataFrame.to_csv` (timed): the baseline. It prints, for each size and format, the rows, the
export's time (wall-clock and CPU: the steadier on a shared machine) and peak memory, the ratio of
the peak to the previous size's, and for CSV the ratio of the export's time to pandas' `to_csv`.

For CSV it then prints where the time goes, from a third process that runs the export's phases one
after the other, the rows held in memory between them: reading (the database's rows into people,
sittings and answers), making the rows, and writing the rows already in memory to CSV, each with
its ratio to pandas' `to_csv`; and a bare SELECT of the same answers and scores (iterated, nothing
done with them): what reading alone costs, the floor under the export's time. (Not run for the long
layout above 10,000 a cohort: it would hold millions of rows.)

Aims: peak memory at 100,000 within 1.2x of that at 10,000 (CSV streams); CSV export at least as
fast as pandas (a ratio of 1.0 or less). A benchmark, not a test: it prints figures and never fails
on speed.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import fill  # noqa: E402

HERE = Path(__file__).resolve()


def peak_megabytes() -> float:
    """This process's peak resident memory. On Linux, VmHWM: getrusage's ru_maxrss is not this process's
    own peak, since Linux carries it over from the parent across fork and exec, so a child started by a
    parent that had just filled a database (about 380 MB at 10,000 a cohort) reported the parent's peak,
    not its own."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux; bytes on macOS
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE).group(1)) / 1024


def _app(url: str, out: Path):
    import os

    os.environ.update({"SURVEY_DATABASE_URL": url, "SURVEY_INSTANCE_PATH": str(out.parent / "instance")})
    from survey_app import create_app
    from survey_app.domain.catalogue import load_catalogue
    from survey_app.domain.windows import working_days_between

    app = create_app({"SURVEY_DATABASE_URL": url})
    working_days_between(date(2026, 1, 1), date(2026, 1, 5))  # loads the holiday calendar, once a process
    return app, load_catalogue(Path(app.config["SURVEY_INSTRUMENTS_DIR"]))


class Timer:
    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def figures(self, name: str) -> dict:
        return {f"{name}_s": self.wall, f"{name}_cpu": self.cpu}


def export_once(url: str, fmt: str, layout: str, out: Path) -> dict:
    """In this (fresh) process: one export of the service-user dataset; its time and this process's peak."""
    from survey_app.services import exports
    from survey_app.services.audit import COMMAND_LINE
    from survey_app.web.evaluator.datasets import codebook

    app, catalogue = _app(url, out)
    before = peak_megabytes()
    with app.app_context(), app.extensions["survey_sessions"]() as session, Timer() as timer:
        done = exports.export(session, catalogue, app.config["SURVEY_KEYS"]["export"],
                              exports.ExportRequest("service_user", layout, fmt), out, COMMAND_LINE, codebook)
    return {"rows": done.rows, "seconds": timer.wall, "cpu": timer.cpu, "peak_mb": peak_megabytes(),
            "before_mb": before}


def phases_once(url: str, layout_name: str, out: Path) -> dict:
    """In this (fresh) process: the CSV export's phases one after the other, each timed, the rows held in
    memory between them; and a bare SELECT of the same answers and scores."""
    from sqlalchemy import select

    from survey_app.domain.datasets import Layout
    from survey_app.services import dataset_files, exports
    from survey_app.store.answers import Administration, Answer
    from survey_app.store.scores import AdministrationScore

    app, catalogue = _app(url, out)
    request = exports.ExportRequest("service_user", layout_name, "csv")
    layout = Layout(request.cohort, request.layout, exports.measures_given(catalogue, request.cohort))
    key = exports.export_key(app.config["SURVEY_KEYS"]["export"])
    found = {}
    with app.app_context(), app.extensions["survey_sessions"]() as session:
        with Timer() as read:
            batches = list(exports.participants(session, catalogue, key, request, None, exports.Tally()))
        with Timer() as made:
            rows = [row for batch in batches for participant in batch for row in layout.rows(participant)]
        out.mkdir(parents=True, exist_ok=True)
        with Timer() as written:
            dataset_files.write_data(layout, [rows], "csv", out)
        sent = (Administration.service_user_id.is_not(None), Administration.submitted_at.is_not(None))
        connection = session.connection()
        with Timer() as bare:
            for _ in connection.execute(
                    select(Answer.administration_id, Answer.instrument_id, Answer.item_number, Answer.value,
                           Answer.missing_reason, Answer.mode, Answer.recorded_by, Answer.translation,
                           Answer.translation_status).join(Administration).where(*sent)
                    .order_by(Answer.administration_id, Answer.instrument_id, Answer.item_number)):
                pass
            for _ in connection.execute(
                    select(AdministrationScore.administration_id, AdministrationScore.instrument_id,
                           AdministrationScore.score_id, AdministrationScore.numerator,
                           AdministrationScore.denominator, AdministrationScore.status)
                    .join(Administration).where(*sent)):
                pass
    for name, timer in (("read", read), ("rows", made), ("write", written), ("bare", bare)):
        found.update(timer.figures(name))
    return {"rows": len(rows), **found}


def pandas_once(csv_path: Path, out: Path) -> dict:
    """In this (fresh) process: the same rows read into a data frame, then written by pandas (timed)."""
    import pandas as pd

    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    with Timer() as timer:
        frame.to_csv(out, index=False)
    return {"rows": len(frame), "seconds": timer.wall, "cpu": timer.cpu, "peak_mb": peak_megabytes()}


def child(*args: str) -> dict:
    found = subprocess.run([sys.executable, str(HERE), *args], check=True, capture_output=True, text=True)
    return json.loads(found.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["csv"], choices=["csv", "sav", "dta"])
    parser.add_argument("--layout", default="wide", choices=["wide", "long"])
    parser.add_argument("--folder", type=Path, default=None, help="Where the databases go (default: a temp folder).")
    parser.add_argument("--child-export", nargs=4, metavar=("URL", "FORMAT", "LAYOUT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--child-phases", nargs=3, metavar=("URL", "LAYOUT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--child-pandas", nargs=2, metavar=("CSV", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--reuse", action="store_true", help="Keep a database already filled in --folder.")
    args = parser.parse_args()
    if args.child_export:
        url, fmt, layout, out = args.child_export
        print(json.dumps(export_once(url, fmt, layout, Path(out))))
        return 0
    if args.child_phases:
        url, layout, out = args.child_phases
        print(json.dumps(phases_once(url, layout, Path(out))))
        return 0
    if args.child_pandas:
        print(json.dumps(pandas_once(Path(args.child_pandas[0]), Path(args.child_pandas[1]))))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-export-") as scratch:
        run(args, args.folder or Path(scratch))
    return 0


def run(args, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    print(f"service-user dataset, {args.layout} layout; times in seconds, wall-clock (CPU)")
    print(f"{'per cohort':>10} {'format':>6} {'rows':>8} {'export s':>15} {'peak MB':>8} {'x prev':>7} "
          f"{'pandas s':>13} {'export/pandas':>15}")
    previous: dict[str, float] = {}
    phases = []
    for size in args.sizes:
        database = folder / f"export-{size}.sqlite3"
        if not (args.reuse and database.exists()):
            database.unlink(missing_ok=True)
            filled = fill(f"sqlite:///{database}", size)
            print(f"  (filled {size:,} per cohort in {filled.seconds:.0f} s)", flush=True)
        for fmt in args.formats:
            out = folder / f"out-{size}-{fmt}-{args.layout}"
            shutil.rmtree(out, ignore_errors=True)
            found = child("--child-export", f"sqlite:///{database}", fmt, args.layout, str(out))
            growth = found["peak_mb"] / previous[fmt] if fmt in previous else None
            previous[fmt] = found["peak_mb"]
            baseline = ratio = ""
            if fmt == "csv":
                pandas = child("--child-pandas", str(out / f"service_user_{args.layout}.csv"), str(out / "pandas.csv"))
                baseline = _time(pandas["seconds"], pandas["cpu"])
                ratio = _time(found["seconds"] / pandas["seconds"], found["cpu"] / pandas["cpu"])
                if args.layout == "wide" or size <= 10_000:
                    phases.append((size, pandas, child("--child-phases", f"sqlite:///{database}", args.layout,
                                                       str(folder / f"phases-{size}"))))
            grew = "-" if growth is None else f"{growth:.2f}"
            print(f"{size:>10,} {fmt:>6} {found['rows']:>8,} {_time(found['seconds'], found['cpu']):>15} "
                  f"{found['peak_mb']:8.0f} {grew:>7} {baseline:>13} {ratio:>15}", flush=True)
    if phases:
        print("\nwhere a CSV export's time goes (a separate run of its phases); ratio to pandas' to_csv, wall (CPU)")
        print(f"{'per cohort':>10} {'read s':>13} {'rows s':>13} {'write s':>13} {'write/pandas':>14} "
              f"{'read/pandas':>14} {'bare SELECT s':>14} {'bare/pandas':>14}")
        for size, pandas, found in phases:
            def versus(name, found=found, pandas=pandas):
                return _time(found[f"{name}_s"] / pandas["seconds"], found[f"{name}_cpu"] / pandas["cpu"])

            print(f"{size:>10,} {_time(found['read_s'], found['read_cpu']):>13} "
                  f"{_time(found['rows_s'], found['rows_cpu']):>13} {_time(found['write_s'], found['write_cpu']):>13} "
                  f"{versus('write'):>14} {versus('read'):>14} {_time(found['bare_s'], found['bare_cpu']):>14} "
                  f"{versus('bare'):>14}", flush=True)


def _time(wall: float, cpu: float) -> str:
    return f"{wall:.2f} ({cpu:.2f})"


if __name__ == "__main__":
    sys.exit(main())
