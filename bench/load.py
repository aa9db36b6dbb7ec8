"""Answer saving under load, against a bare Flask endpoint, on SQLite and PostgreSQL, in one run.

    .venv/bin/python bench/load.py [--engine sqlite|postgresql|both] [--participants 200]
                                   [--max-seconds 300] [--workers 4] [--own-cluster] [--no-kill]

For each engine: a fresh database (SQLite in a temporary folder; on PostgreSQL a throwaway database on
the server at SURVEY_TEST_PG_URL, dropped afterwards, or with --own-cluster a cluster of its own made
with initdb in a temporary folder, restarted mid-run, never the shared server) with N people, each
with a link (half service users: URICA's 32 questions; half (ex-)partners: SWEMWBS's 7). gunicorn
serves the platform on 127.0.0.1 (with the repository's gunicorn.conf.py when there is one, else
--workers sync workers), and N simulated participants, one thread each, go through consent and
the whole questionnaire with a pause of 0.05-0.25 s before each step (far quicker than people, to
stress it); a failed request (a 5xx, a dropped connection) is tried again after a pause, as a
person would. Mid-run one worker is SIGKILLed. Then the same N clients ask a bare Flask endpoint
on the same server (bench/load_wsgi.py) as many times as their participant made requests, with
the same pauses.

Printed per engine: requests, errors by status, answers acknowledged (a 2xx or 3xx reply to the
answer's post, not a page showing an error) and answers stored with the acknowledged value, exactly
once; p50/p95/p99 latency of every request and of answer posts; and answer saving as a ratio of the
bare endpoint (requests per second of the participant run over the bare run; 1.0 = the platform
keeps up with a server doing nothing). The load average of the machine is printed too: its cores
are shared. A benchmark, not a test: it fails (exit 1) only when an acknowledged answer is lost.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import requests
from requests.compat import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("SURVEY_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-load-" + "k" * 40
ANSWER_PATH = re.compile(r"/q/[^/]+/questions/([a-z0-9_]+)/(\d+)$")
MAX_STEPS = 200
PAUSES = (0.05, 0.25)  # seconds between a participant's steps, drawn uniformly
PAUSE_MEAN = sum(PAUSES) / 2
RETRIES = 6


# --- the server ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(url: str, instance: Path) -> dict:
    return {**os.environ, "SURVEY_MODE": "development", "SURVEY_DATABASE_URL": url, "SURVEY_SECRET_KEY": SECRET,
            "SURVEY_INSTANCE_PATH": str(instance), "SURVEY_BASE_URL": "http://127.0.0.1"}


class Server:
    """gunicorn on 127.0.0.1, started and stopped by this process alone."""

    def __init__(self, url: str, instance: Path, workers: int | None):
        self.port = free_port()
        command = [str(Path(sys.executable).with_name("gunicorn"))]
        config = ROOT / "gunicorn.conf.py"
        if config.exists():  # the repository's own configuration, when it has one
            command += ["-c", str(config)]
        if workers or not config.exists():
            command += ["--workers", str(workers or 4)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--chdir", str(ROOT), "--pythonpath", str(ROOT / "bench"),
                    "--log-level", "warning", "load_wsgi:application"]
        self.log = open(instance / "gunicorn.log", "w")  # noqa: SIM115 - open while the server runs; closed in stop()
        self.process = subprocess.Popen(command, env=environment(url, instance), stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 300  # a busy machine can take minutes to start 4 workers
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/bench-bare/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start:\n" + (instance / "gunicorn.log").read_text()[-3000:])

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def kill_a_worker(self) -> int | None:
        workers = self.workers()
        if not workers:
            return None
        os.kill(workers[0], signal.SIGKILL)
        return workers[0]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# --- databases -------------------------------------------------------------------------------------

class OwnCluster:
    """A PostgreSQL cluster of this run's own (initdb in a temporary folder, its own port and socket),
    which can be restarted mid-run without touching the shared server."""

    def __init__(self, folder: Path):
        binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not binaries:
            raise SystemExit("--own-cluster needs PostgreSQL's initdb (/usr/lib/postgresql/*/bin).")
        self.bin = binaries[-1].parent
        self.data, self.port = folder / "cluster", free_port()
        self.data.mkdir()
        self.as_owner = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: run it as the postgres account
            shutil.chown(folder, "postgres")
            shutil.chown(self.data, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(folder / "postgres.log"), "-w", "-o",
                  f"-p {self.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=on", "start")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *arguments: str) -> None:
        subprocess.run([*self.as_owner, str(self.bin / program), *arguments], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def restart(self, mode: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "restart")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "fast", "stop")


def throwaway_postgres() -> tuple[str, callable]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_load_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False), drop


@dataclass
class Person:
    token: str
    invitation_id: int


def prepare(url: str, instance: Path, count: int) -> list[Person]:
    """Migrate the database, make the instance's keys, and give `count` people a link each."""
    os.environ.update({k: v for k, v in environment(url, instance).items() if k.startswith("SURVEY_")})
    from survey_app import create_app
    from survey_app.services import invitations, records
    from survey_app.services.audit import COMMAND_LINE
    from survey_app.store.migrations import upgrade
    from survey_app.store.staff import Site

    app = create_app()
    engine = app.extensions["survey_engine"]
    upgrade(engine)
    rings = records.keyrings(app.config)
    people = []
    with app.extensions["survey_sessions"]() as session:
        site = Site(name="Load")
        session.add(site)
        session.flush()
        for number in range(count):
            store = "service_user" if number % 2 == 0 else "victim_survivor"
            referral = records.Referral(site.id, f"Person {number}", None, date(2026, 11, 2), "other")
            record = records.create(session, rings[store], store, referral, COMMAND_LINE)
            made = invitations.create(session, record, "T1", COMMAND_LINE, None, with_code=False)
            people.append(Person(made.token, made.invitation.id))
        session.commit()
    engine.dispose()
    return people


def stored_answers(url: str) -> dict[tuple[int, str, int], list[int | None]]:
    """Every stored answer, by (invitation, instrument, item): a list, so a duplicate would show."""
    from sqlalchemy import create_engine, select

    from survey_app.store.answers import Administration, Answer

    engine = create_engine(url)
    found: dict[tuple[int, str, int], list] = {}
    with engine.connect() as connection:
        rows = connection.execute(select(Administration.invitation_id, Answer.instrument_id, Answer.item_number,
                                         Answer.value).join(Administration, Answer.administration_id == Administration.id))
        for invitation_id, instrument, item, value in rows:
            found.setdefault((invitation_id, instrument, item), []).append(value)
    engine.dispose()
    return found


# --- the simulated people --------------------------------------------------------------------------

@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[tuple[str, float]] = field(default_factory=list)  # (kind, seconds)
    statuses: Counter = field(default_factory=Counter)
    acknowledged: dict[tuple[int, str, int], int] = field(default_factory=dict)
    steps: int = 0
    requests_by_client: dict[int, tuple[int, int]] = field(default_factory=dict)  # client -> (requests, pauses)

    def record(self, kind: str, status: str, seconds: float) -> None:
        with self.lock:
            self.latencies.append((kind, seconds))
            self.statuses[status] += 1


ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def attributes(tag: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in ATTRIBUTE.findall(tag)}


def next_step(page: str, rng: random.Random) -> tuple[str, str | None, dict | None] | None:
    """What a person does next on a participant page: ("post", action, fields), ("get", href, None),
    or None on the last page. Yes to every consent choice; any answer on a questionnaire's scale."""
    start, end = page.find("<main"), page.find("</main>")
    main = page[start:end] if start >= 0 else page
    form = re.search(r"<form([^>]*)>(.*?)</form>", main, re.DOTALL)
    if form:
        fields, radios = {}, {}
        for tag in re.findall(r"<input[^>]*>", form.group(2)):
            found = attributes(tag)
            kind, name = found.get("type", "text"), found.get("name")
            if not name:
                continue
            if kind == "radio":
                radios.setdefault(name, []).append(found.get("value", ""))
            elif kind in ("hidden", "submit"):
                fields[name] = found.get("value", "")
        for name, values in radios.items():
            fields[name] = "yes" if "yes" in values else rng.choice(values)
        if radios or not re.search(r'<a[^>]*class="[^"]*govuk-button', main):
            return "post", attributes(form.group(1)).get("action"), fields
    link = re.search(r'<a([^>]*class="govuk-button[^"]*"[^>]*)>', main)
    if link:
        return "get", attributes(link.group(1))["href"], None
    return None


def request(client: requests.Session, tally: Tally, method: str, url: str, kind: str, data=None, pause=None):
    """One request, tried again after a failure (a 5xx or a dropped connection), as a person would."""
    for attempt in range(RETRIES):
        started = time.perf_counter()
        try:
            response = client.request(method, url, data=data, allow_redirects=False, timeout=30)
        except requests.RequestException as error:
            tally.record(kind, type(error).__name__, time.perf_counter() - started)
            time.sleep(pause() if pause else 0.2)
            continue
        tally.record(kind, str(response.status_code), time.perf_counter() - started)
        if response.status_code < 500:
            return response
        time.sleep(max(pause() if pause else 0.2, 0.5 * attempt))  # longer each time: a restart takes seconds
    return None


def walk(index: int, person: Person, base: str, tally: Tally, deadline: float, seed: int) -> None:
    rng = random.Random(seed * 1000 + index)
    pause = lambda: rng.uniform(*PAUSES)
    client = requests.Session()
    made, pauses = 0, 0
    method, url, data = "GET", f"{base}/q/{person.token}", None
    for _ in range(MAX_STEPS):
        if time.monotonic() > deadline:
            break
        time.sleep(pause())
        pauses += 1
        answer = ANSWER_PATH.search(url) if method == "POST" else None
        response = request(client, tally, method, url, "answer" if answer else "page", data, pause)
        made += 1
        if response is None:
            break
        if answer and (response.status_code < 300 and "govuk-error-summary" not in response.text
                       or 300 <= response.status_code < 400):
            with tally.lock:
                tally.acknowledged[(person.invitation_id, answer.group(1), int(answer.group(2)))] = int(data["answer"])
        while 300 <= response.status_code < 400:  # a browser follows at once
            url = urljoin(url, response.headers["Location"])
            response = request(client, tally, "GET", url, "page", None, pause)
            made += 1
            if response is None:
                break
        if response is None:
            break
        with tally.lock:
            tally.steps += 1
        step = next_step(response.text, rng)
        if step is None:
            break
        action, target, data = step
        method = action.upper()
        url = urljoin(url, target) if target else url
    tally.requests_by_client[index] = (made, pauses)
    client.close()


def bare(index: int, base: str, tally: Tally, made: int, pauses: int, seed: int) -> None:
    rng = random.Random(seed * 1000 + index)
    client = requests.Session()
    pause_before = set(rng.sample(range(made), min(pauses, made)))
    for number in range(made):
        if number in pause_before:
            time.sleep(rng.uniform(*PAUSES))
        request(client, tally, "GET", f"{base}/bench-bare/", "bare")
    client.close()


def run_threads(targets: list) -> float:
    threads = [threading.Thread(target=target, daemon=True) for target in targets]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=100)
    return f"p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms"


# --- one engine ------------------------------------------------------------------------------------

def run_engine(engine: str, args) -> bool:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-load-{engine}-"))
    instance = folder / "instance"
    instance.mkdir()
    cluster, drop = None, None
    try:
        if engine == "sqlite":
            url = f"sqlite:///{folder / 'survey.sqlite3'}"
        elif args.own_cluster:
            cluster = OwnCluster(folder)
            url = cluster.url
        else:
            url, drop = throwaway_postgres()
        people = prepare(url, instance, args.participants)
        server = Server(url, instance, args.workers)
        try:
            return measure(engine, args, people, server, cluster, url)
        finally:
            server.stop()
            if args.server_log:
                shutil.copyfile(instance / "gunicorn.log", args.server_log)
            failures = Counter(re.findall(r"^(?:\w+\.)*\w+(?:Error|Exception): [^\n]{0,120}",
                                          (instance / "gunicorn.log").read_text(errors="replace"), re.MULTILINE))
            for line, count in failures.most_common(5):
                print(f"   server log, {count}x: {line}")
    finally:
        if drop:
            drop()
        if cluster:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def measure(engine: str, args, people: list[Person], server: Server, cluster: OwnCluster | None, url: str) -> bool:
    tally = Tally()
    deadline = time.monotonic() + args.max_seconds
    expected_steps = sum(46 if n % 2 == 0 else 21 for n in range(len(people)))  # pages of each walk, roughly
    events: list[str] = []
    began, all_done = time.monotonic(), threading.Event()

    def disrupt() -> None:
        """SIGKILL a worker once 40% of the steps are done (or 40% of the time allowed has passed, on a machine
        too busy to finish); with a cluster of its own, restart it at 60% and 80%."""
        plan = [(0.4, "kill")] if args.kill else []
        if cluster:
            plan += [(0.6, "fast"), (0.8, "immediate")]
        for share, what in plan:
            due = began + share * args.max_seconds
            while tally.steps < share * expected_steps and time.monotonic() < due:
                time.sleep(0.05)
            if all_done.is_set():  # every walk has ended: nothing left to disrupt
                return
            if what == "kill":
                events.append(f"SIGKILLed worker {server.kill_a_worker()} after {tally.steps} steps")
            else:
                restarting = time.perf_counter()
                cluster.restart(what)
                events.append(f"restarted PostgreSQL ({what}) after {tally.steps} steps, "
                              f"down {time.perf_counter() - restarting:.1f} s")

    load_before = os.getloadavg()
    disruptor = threading.Thread(target=disrupt, daemon=True)
    disruptor.start()
    walking = run_threads([lambda i=i, p=p: walk(i, p, server.base, tally, deadline, args.seed)
                           for i, p in enumerate(people)])
    all_done.set()
    disruptor.join(timeout=1)
    bare_tally = Tally()
    barely = run_threads([lambda i=i: bare(i, server.base, bare_tally, *tally.requests_by_client.get(i, (0, 0)),
                                           args.seed) for i in range(len(people))])
    load_after = os.getloadavg()

    stored = stored_answers(url)
    duplicates = sum(1 for values in stored.values() if len(values) > 1)
    kept = sum(1 for key, value in tally.acknowledged.items() if stored.get(key) == [value])
    lost = len(tally.acknowledged) - kept
    page_requests = len(tally.latencies)
    bare_requests = len(bare_tally.latencies)
    rate, bare_rate = page_requests / walking, bare_requests / barely if barely else 0
    answers = [s for kind, s in tally.latencies if kind == "answer"]
    print(f"\n== {engine}{' (own cluster)' if cluster else ''}: {len(people)} participants, "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after (2 cores, shared)")
    for event in events:
        print(f"   {event}")
    print(f"   requests {page_requests} in {walking:.1f} s ({rate:.0f}/s); by status "
          f"{dict(sorted(tally.statuses.items()))}")
    print(f"   answers acknowledged {len(tally.acknowledged)}, stored with that value once {kept}, "
          f"lost or changed {lost}, stored twice {duplicates}; answer rows {sum(map(len, stored.values()))}")
    print(f"   every request: {percentiles([s for _, s in tally.latencies])}")
    print(f"   answer posts:  {percentiles(answers)}")
    print(f"   bare endpoint: {bare_requests} requests in {barely:.1f} s ({bare_rate:.0f}/s), "
          f"{percentiles([s for _, s in bare_tally.latencies])}; by status {dict(bare_tally.statuses)}")
    print(f"   answer saving at {rate / bare_rate if bare_rate else 0:.2f} of the bare endpoint")
    forced = [1000 * queueing_floor(len(people), r) for r in (rate, bare_rate)]
    print(f"   waiting this load shape forces (Little's law, mean): platform {forced[0]:.0f} ms, "
          f"bare endpoint {forced[1]:.0f} ms")
    return lost == 0 and duplicates == 0


def queueing_floor(clients: int, rate: float) -> float:
    """The mean time a request takes when `clients` people, each waiting for a reply and then pausing
    PAUSE_MEAN seconds, are served `rate` requests a second: clients / rate - pause (Little's law).
    While the server is the bottleneck, no tuning of the app alone brings latency below this; only a
    faster server (a higher rate) does. Saturation only: an idle server's latency is its own."""
    return max(clients / rate - PAUSE_MEAN, 0.0) if rate else float("inf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=300, help="no participant goes on after this")
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers (default: the repository's gunicorn.conf.py, else 4)")
    parser.add_argument("--own-cluster", action="store_true",
                        help="PostgreSQL: a cluster of this run's own, restarted mid-run (never the shared server)")
    parser.add_argument("--no-kill", dest="kill", action="store_false", help="do not SIGKILL a worker mid-run")
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--server-log", help="keep gunicorn's log (access and errors) in this file")
    args = parser.parse_args()
    engines = ("sqlite", "postgresql") if args.engine == "both" else (args.engine,)
    safe = [run_engine(engine, args) for engine in engines]
    if not all(safe):
        print("\nAn acknowledged answer was lost, changed or stored twice.")
        return 1
    print("\nEvery acknowledged answer is stored, once, with the value acknowledged.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
