"""How evaluator exports grow with the records, in one run: time and peak memory, against pandas.

    .venv/bin/python bench/export.py [--sizes 1000 10000 100000] [--formats csv] [--layout wide] [--folder DIR]

For each size, bench/synthetic.py fills a fresh SQLite database with that many people in each cohort.
Each export then runs in a fresh process (so its peak resident memory is its own): the service-user
dataset in each format asked for, through the same service the page and `survey export` use. In
another fresh process, pandas reads the exported CSV into memory (not timed) and writes the same
rows with `DataFrame.to_csv` (timed): the baseline. It prints, for each size and format, the rows,
the export's time and peak memory, the ratio of the peak to the previous size's, and for CSV the
ratio of the export's time to pandas' `to_csv`. Aims: peak memory at 100,000 within 1.2x of that at
10,000 (CSV streams); CSV export at least as fast as pandas (a ratio of 1.0 or less).
A benchmark, not a test: it prints figures and never fails on speed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import fill  # noqa: E402

HERE = Path(__file__).resolve()


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def export_once(url: str, fmt: str, layout: str, out: Path) -> dict:
    """In this (fresh) process: one export of the service-user dataset; its time and this process's peak."""
    import os

    os.environ.update({"SURVEY_DATABASE_URL": url, "SURVEY_INSTANCE_PATH": str(out.parent / "instance")})
    from survey_app import create_app
    from survey_app.domain.catalogue import load_catalogue
    from survey_app.services import exports
    from survey_app.services.audit import COMMAND_LINE
    from survey_app.web.evaluator.datasets import codebook

    app = create_app({"SURVEY_DATABASE_URL": url})
    catalogue = load_catalogue(Path(app.config["SURVEY_INSTRUMENTS_DIR"]))
    before = peak_megabytes()
    with app.app_context(), app.extensions["survey_sessions"]() as session:
        start = time.perf_counter()
        done = exports.export(session, catalogue, app.config["SURVEY_KEYS"]["export"],
                              exports.ExportRequest("service_user", layout, fmt), out, COMMAND_LINE, codebook)
        seconds = time.perf_counter() - start
    return {"rows": done.rows, "seconds": seconds, "peak_mb": peak_megabytes(), "before_mb": before}


def pandas_once(csv_path: Path, out: Path) -> dict:
    """In this (fresh) process: the same rows read into a data frame, then written by pandas (timed)."""
    import pandas as pd

    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    start = time.perf_counter()
    frame.to_csv(out, index=False)
    return {"rows": len(frame), "seconds": time.perf_counter() - start, "peak_mb": peak_megabytes()}


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
    parser.add_argument("--child-pandas", nargs=2, metavar=("CSV", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_export:
        url, fmt, layout, out = args.child_export
        print(json.dumps(export_once(url, fmt, layout, Path(out))))
        return 0
    if args.child_pandas:
        print(json.dumps(pandas_once(Path(args.child_pandas[0]), Path(args.child_pandas[1]))))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-export-") as scratch:
        run(args, args.folder or Path(scratch))
    return 0


def run(args, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'per cohort':>10} {'format':>6} {'rows':>8} {'export s':>9} {'peak MB':>8} {'x prev':>7} "
          f"{'pandas s':>9} {'export/pandas':>14}")
    previous: dict[str, float] = {}
    for size in args.sizes:
        database = folder / f"export-{size}.sqlite3"
        database.unlink(missing_ok=True)
        filled = fill(f"sqlite:///{database}", size)
        print(f"  (filled {size:,} per cohort in {filled.seconds:.0f} s)", flush=True)
        for fmt in args.formats:
            out = folder / f"out-{size}-{fmt}"
            found = child("--child-export", f"sqlite:///{database}", fmt, args.layout, str(out))
            growth = found["peak_mb"] / previous[fmt] if fmt in previous else None
            previous[fmt] = found["peak_mb"]
            baseline = ratio = ""
            if fmt == "csv":
                pandas = child("--child-pandas", str(out / f"service_user_{args.layout}.csv"), str(out / "pandas.csv"))
                baseline, ratio = f"{pandas['seconds']:9.2f}", f"{found['seconds'] / pandas['seconds']:14.2f}"
            grew = "-" if growth is None else f"{growth:.2f}"
            print(f"{size:>10,} {fmt:>6} {found['rows']:>8,} {found['seconds']:9.2f} {found['peak_mb']:8.0f} "
                  f"{grew:>7} {baseline:>9} {ratio:>14}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
