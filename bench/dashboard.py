"""How the evaluator's dashboard render time grows with the records, in one run.

    .venv/bin/python bench/dashboard.py [--sizes 1000 10000 100000] [--repeats 5] [--folder DIR]

For each size, bench/synthetic.py fills a fresh SQLite database with that many people in each
cohort; then an evaluator, signed in, asks for /evaluator/ through the Flask test client, so the
time is the whole render: every query of the criteria, breakdowns and change from T1 to T2, and the
template. It prints the fill time (wall-clock/CPU seconds), the best render time of `--repeats`
(after one warm-up), wall-clock and CPU (the steadier on a shared machine), each as a ratio to the
first size's measured in the same run, and the SQL statements one render runs. A benchmark, not a
test: it prints figures and never fails on speed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select  # noqa: E402

from bench.synthetic import fill  # noqa: E402
from survey_app import clock, create_app  # noqa: E402
from survey_app.services import staff as staff_service  # noqa: E402
from survey_app.services.audit import COMMAND_LINE  # noqa: E402
from survey_app.store.staff import Staff  # noqa: E402
from survey_app.web.session import SIGNED_IN  # noqa: E402

EVALUATOR = "evaluator@example.org"


def signed_in_evaluator(app):
    """A test client with an evaluator's signed-in session, as the sign-in pages leave it."""
    with app.extensions["survey_sessions"]() as session:
        staff_id = session.scalar(select(Staff.id).where(Staff.email == EVALUATOR))  # a database kept from before
        if staff_id is None:
            staff_id = staff_service.create(session, email=EVALUATOR, name="Bench Evaluator", role="evaluator",
                                            site_ids=[], actor=COMMAND_LINE).id
            session.commit()
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie.update({"staff_id": staff_id, "stage": SIGNED_IN, "seen_at": clock.seconds()})
    return client


def render(client) -> tuple[float, float]:
    """(wall-clock, CPU) seconds for one page. SQLite runs in this process, so the CPU time holds the
    queries too, and is the steadier figure on a busy machine."""
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get("/evaluator/")
    elapsed = time.perf_counter() - start, time.process_time() - cpu
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


def measure(url: str, repeats: int) -> tuple[tuple[float, float], int]:
    """((best wall-clock, best CPU) seconds of a render, SQL statements per render) on the database at `url`."""
    app = create_app({"TESTING": True, "SURVEY_MODE": "development", "SURVEY_DATABASE_URL": url,
                      "SECRET_KEY": "bench-dashboard"})
    try:
        client = signed_in_evaluator(app)
        render(client)  # warm-up: templates compiled, catalogue loaded, database pages cached
        times = [render(client) for _ in range(repeats)]
        return (min(wall for wall, _ in times), min(cpu for _, cpu in times)), statements_per_render(app, client)
    finally:
        app.extensions["survey_engine"].dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000],
                        help="people in each cohort; the first is the baseline of the ratios")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--folder", type=Path,
                        help="where to keep the databases (default: a temporary folder); one already there is "
                             "used as it is, so a second run skips the filling")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.folder or Path(temporary)
        print(f"{'per cohort':>10} {'fill s/CPU':>11} {'render ms':>10} {'ratio':>7} {'CPU ms':>9} {'ratio':>7} "
              f"{'statements':>10}")
        baseline = None
        for size in args.sizes:
            path = folder / f"dashboard-{size}.db"
            filled = None if path.exists() else fill(f"sqlite:///{path}", size)
            (wall, cpu), statements = measure(f"sqlite:///{path}", args.repeats)
            baseline = baseline or (wall, cpu)
            fill_time = "kept" if filled is None else f"{filled.seconds:.0f}/{filled.cpu_seconds:.0f}"
            print(f"{size:>10,} {fill_time:>11} {wall * 1000:>10.1f} {wall / baseline[0]:>7.2f} {cpu * 1000:>9.1f} "
                  f"{cpu / baseline[1]:>7.2f} {statements:>10}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
