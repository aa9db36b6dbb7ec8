"""How the evaluator's dashboard render time grows with the records, in one run.

    .venv/bin/python bench/dashboard.py [--sizes 1000 10000 100000] [--repeats 5] [--folder DIR]

For each size, bench/synthetic.py fills a fresh SQLite database with that many people in each
cohort; then an evaluator, signed in, asks for /evaluator/ through the Flask test client, so the
time is the whole render: every query of the criteria, breakdowns and change from T1 to T2, and the
template. It prints the fill time, the best render time of `--repeats` (after one warm-up), the
SQL statements one render runs, and each render time as a ratio to the first size's, measured in
the same run. A benchmark, not a test: it prints figures and never fails on speed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from bench.synthetic import fill  # noqa: E402
from survey_app import clock, create_app  # noqa: E402
from survey_app.services import staff as staff_service  # noqa: E402
from survey_app.services.audit import COMMAND_LINE  # noqa: E402
from survey_app.web.session import SIGNED_IN  # noqa: E402


def signed_in_evaluator(app):
    """A test client with an evaluator's signed-in session, as the sign-in pages leave it."""
    with app.extensions["survey_sessions"]() as session:
        evaluator = staff_service.create(session, email="evaluator@example.org", name="Bench Evaluator",
                                         role="evaluator", site_ids=[], actor=COMMAND_LINE)
        session.commit()
        staff_id = evaluator.id
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie.update({"staff_id": staff_id, "stage": SIGNED_IN, "seen_at": clock.seconds()})
    return client


def render(client) -> float:
    start = time.perf_counter()
    response = client.get("/evaluator/")
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"/evaluator/ answered {response.status_code}; figures would be meaningless.")
    return elapsed


def statements_per_render(app, client) -> int:
    seen = []
    engine = app.extensions["survey_engine"]
    listener = lambda *args: seen.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        render(client)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def measure(url: str, repeats: int) -> tuple[float, int]:
    """(best render time in seconds, SQL statements per render) on the filled database at `url`."""
    app = create_app({"TESTING": True, "SURVEY_MODE": "development", "SURVEY_DATABASE_URL": url,
                      "SECRET_KEY": "bench-dashboard"})
    try:
        client = signed_in_evaluator(app)
        render(client)  # warm-up: templates compiled, catalogue loaded, database pages cached
        best = min(render(client) for _ in range(repeats))
        return best, statements_per_render(app, client)
    finally:
        app.extensions["survey_engine"].dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000],
                        help="people in each cohort; the first is the baseline of the ratios")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--folder", type=Path, help="where to keep the databases (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.folder or Path(temporary)
        print(f"{'per cohort':>10} {'fill s':>8} {'render ms':>10} {'statements':>10} {'ratio':>7}")
        baseline = None
        for size in args.sizes:
            url = f"sqlite:///{folder / f'dashboard-{size}.db'}"
            filled = fill(url, size)
            seconds, statements = measure(url, args.repeats)
            baseline = baseline or seconds
            print(f"{size:>10,} {filled.seconds:>8.1f} {seconds * 1000:>10.1f} {statements:>10} "
                  f"{seconds / baseline:>7.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
