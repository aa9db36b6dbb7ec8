"""Helpers any test may use: parsed pages, the raw bytes a database holds, revealing words.

Test modules import from here (or from tests/factories.py), never from each other.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyotp
import yaml
from bs4 import BeautifulSoup
from sqlalchemy import event, text

from survey_app import clock
from survey_app.store.models import all_metadata

# Words that would tell an onlooker what the questions are about; no neutral page or text may hold one.
ABUSE_WORDS = re.compile(r"abus|violen|perpetrat|victim|survivor|harm|offend|partner", re.IGNORECASE)


def empty_tables(engine) -> None:
    """Delete every row of every table, keeping the schema: what each test leaves behind."""
    with engine.begin() as connection:
        for metadata in all_metadata():
            for table in reversed(metadata.sorted_tables):
                connection.execute(table.delete())


@contextmanager
def statements_run(app) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block, as a list filled as they run."""
    engine = app.extensions["survey_engine"]
    seen: list[str] = []

    def count(_connection, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def main_text(response) -> str:
    return soup(response).select_one("main").get_text(" ", strip=True)


def raw_bytes(app, session) -> bytes:
    """Everything the database holds for the two stores, as the engine stores it."""
    engine = app.extensions["survey_engine"]
    if engine.dialect.name == "sqlite":
        engine.dispose()  # close connections so the file and its WAL are complete on disk
        path = Path(engine.url.database)
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    rows = session.execute(text("SELECT s::text FROM service_user s UNION ALL SELECT v::text FROM victim_survivor v"))
    return "\n".join(r[0] for r in rows).encode("utf-8")


# --- page weight: what a participant's phone downloads, as Chromium counts it ------------------------

@dataclass
class Weight:
    """What arrived over the wire for one step: requests made and bytes received (response headers
    plus encoded, that is compressed, bodies: DevTools' "transferred" figure), by resource type."""

    requests: int = 0
    received: int = 0
    kinds: Counter = field(default_factory=Counter)
    received_by_kind: Counter = field(default_factory=Counter)

    def add(self, kind: str, received: int) -> None:
        self.requests += 1
        self.received += received
        self.kinds[kind] += 1
        self.received_by_kind[kind] += received


class WireMeter:
    """Counts what a page receives through Chromium's DevTools protocol, as the Network panel does:
    redirects included, requests answered from the browser's memory or disk cache not counted
    (nothing is sent for them; Chromium reports them loaded, with 0 bytes).
    Give it a page from a new browser context for a cold cache; routing (page.route) must not be on,
    because Chromium then bypasses its cache."""

    QUIET = 0.15

    def __init__(self, page):
        self.page = page
        self._step = Weight()
        self._kinds: dict[str, str] = {}
        self._pending: set[str] = set()
        self._cached: set[str] = set()
        self._last_event = time.monotonic()
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.send("Network.enable")

    def _sent(self, event) -> None:
        if "redirectResponse" in event:  # the 302 that led here has finished
            self._step.add("Redirect", int(event["redirectResponse"]["encodedDataLength"]))
        self._kinds[event["requestId"]] = event.get("type", "Other")
        self._pending.add(event["requestId"])
        self._last_event = time.monotonic()

    def _from_cache(self, event) -> None:
        """Answered from Blink's memory cache. Chromium still reports the request as loaded (with
        0 bytes): a font the next page reuses came through here, and counting it as a request
        made the "font downloaded once" test fail whenever its load fell inside the measured step."""
        self._cached.add(event["requestId"])

    def _received(self, event) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache") or response.get("fromServiceWorker"):
            self._cached.add(event["requestId"])

    def _finished(self, event) -> None:
        if event["requestId"] not in self._cached:
            self._step.add(self._kinds.get(event["requestId"], "Other"), int(event["encodedDataLength"]))
        self._failed(event)

    def _failed(self, event) -> None:
        self._pending.discard(event["requestId"])
        self._last_event = time.monotonic()

    def step(self, action) -> Weight:
        """Run `action` (which loads a page) and return what it cost, once the network is quiet: nothing
        in flight and nothing started for QUIET seconds (the favicon, for one, is asked for after the
        page has loaded)."""
        self._step = Weight()
        action()
        while self._pending or time.monotonic() - self._last_event < self.QUIET:
            self.page.wait_for_timeout(20)
        return self._step


def walk_participant_link(page, meter: WireMeter, url: str, code: str | None, check=None,
                          limit: int = 200) -> list[tuple[str, Weight]]:
    """Answer a participant link from its first page to its last as a person would: the access code,
    "yes" to every consent choice, the middle choice to every question, then send; `check(page)` runs
    on every page if given. Returns each page's heading with what loading it cost (the first is the
    cold-cache first page)."""
    weight, pages = meter.step(lambda: page.goto(url)), []
    for _ in range(limit):
        pages.append((page.locator("h1").first.inner_text(), weight))
        if check:
            check(page)
        action = _next_action(page, code)
        if action is None:
            return pages
        weight = meter.step(lambda: _navigate(page, action))
    raise AssertionError(f"the walk did not end within {limit} pages")


def _next_action(page, code: str | None):
    """What a person does next on this participant page, or None on the last page."""
    if page.locator("main #code").count():
        return lambda: (page.fill("main #code", code), page.click("main form button >> nth=0"))
    radios = page.eval_on_selector_all("main input[type=radio]", "inputs => inputs.map(input => input.value)")
    if radios:
        # On a language page, the language the page is already shown in (the browser's).
        shown_in = page.evaluate("document.documentElement.lang").replace("-", "_")
        chosen = next((value for value in ("yes", shown_in) if value in radios), radios[len(radios) // 2])
        return lambda: (page.check(f"main input[type=radio][value='{chosen}']"), page.click("main form button >> nth=0"))
    for target in ("main a.govuk-button", "main form button"):
        if page.locator(target).count():
            return lambda target=target: page.click(f"{target} >> nth=0")
    return None


def _navigate(page, action) -> None:
    with page.expect_navigation():
        action()


# --- a device without a font -----------------------------------------------------------------------

NASTALIQ_FILES = "*NastaliqUrdu*"


def without_fonts(folder: Path, pattern: str = NASTALIQ_FILES) -> dict[str, str]:
    """Environment for a browser on a device without the fonts whose files match `pattern`: the
    machine's fontconfig setup with those files rejected, so local() finds nothing and the page's
    web font is downloaded, as on a phone without it."""
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <selectfont><rejectfont><glob>{pattern}</glob></rejectfont></selectfont>\n</fontconfig>\n",
        encoding="utf-8")
    return {"FONTCONFIG_FILE": str(config)}


# --- synthetic translations: the original's words marked, so a test sees which text it got ---------

TRANSLATED = "ترجمہ"  # "translation": marks every text of a synthetic test translation


def instrument_translation(definition_path: Path, language: str = "ur", **changes) -> dict:
    """A complete translation of an instrument definition file, status unvalidated, revision 1."""
    original = yaml.safe_load(definition_path.read_text(encoding="utf-8"))
    data = {"translates": {"id": original["id"], "version": original["version"]}, "language": language,
            "revision": 1, "status": "unvalidated",
            "instructions": f"{TRANSLATED} {original['instructions']['text']}" if original["instructions"]["text"]
            else None,
            "scales": {scale["id"]: {str(point["value"]): f"{TRANSLATED} {point['label']}" for point in scale["points"]}
                       for scale in original["scales"]},
            "items": {str(item["number"]): f"{TRANSLATED} {item['text']}" for item in original["items"]},
            "placeholders": {p["token"]: {"text": f"{TRANSLATED} {p['substitution']['text']}",
                                          "sentence_start": f"{TRANSLATED} {p['substitution']['sentence_start']}"}
                             for p in original.get("placeholders", ())}}
    data.update(changes)
    return data


def consent_translation(english_path: Path, language: str = "ur", **changes) -> dict:
    """A complete translation of an English consent document file, status unvalidated, revision 1."""
    def marked(value):
        if isinstance(value, str):
            return f"{TRANSLATED} {value}"
        if isinstance(value, list):
            return [marked(v) for v in value]
        return {k: v if k == "id" else marked(v) for k, v in value.items()}

    original = yaml.safe_load(english_path.read_text(encoding="utf-8"))
    data = {"audience": original["audience"], "version": original["version"], "language": language,
            "revision": 1, "status": "unvalidated",
            **{k: marked(v) for k, v in original.items() if k not in ("audience", "version", "language")}}
    data.update(changes)
    return data


def as_yaml(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def current_code(secret: str) -> str:
    """The code an authenticator app shows now, by the platform's clock (which tests move)."""
    return pyotp.TOTP(secret).at(clock.now())


def original_data_folders(into: Path) -> tuple[Path, Path]:
    """Copies of instruments/ and consent/ holding the original wording only: the shipped translations
    (and their lock entries) left out, so a test publishes its own into a known starting point."""
    import json
    import shutil

    from survey_app.config import consent_dir, instruments_dir

    instruments, consent = into / "instruments", into / "consent"
    shutil.copytree(instruments_dir(), instruments)
    shutil.copytree(consent_dir(), consent)
    for translation in [*instruments.glob("*/*.*.*.yaml"), *(p for p in consent.glob("*/*/*.yaml") if p.stem != "en")]:
        translation.unlink()
    lock = instruments / "published.lock.json"
    data = json.loads(lock.read_text(encoding="utf-8"))
    lock.write_text(json.dumps({**data, "translations": {}}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    lock = consent / "published.lock.json"
    kept = {key: digest for key, digest in json.loads(lock.read_text(encoding="utf-8")).items()
            if key.split("/")[2] == "en"}
    lock.write_text(json.dumps(kept, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return instruments, consent


# --- fuzzing ------------------------------------------------------------------------------------

FUZZ_SEED = 20261130  # the fixed run: the same examples every time


def fuzz_examples(default: int) -> int:
    """How many examples a fuzz test tries: a few in CI (bounded time), more with SURVEY_FUZZ_EXAMPLES=N."""
    import os

    return int(os.environ.get("SURVEY_FUZZ_EXAMPLES", default))


def fuzz_seeds() -> list:
    """Run a fuzz test twice: once with the fixed seed (the same examples every run) and once with a
    fresh one, which the test prints so a failure can be replayed with `hypothesis.seed(N)`."""
    import random

    import pytest

    return [pytest.param(FUZZ_SEED, id="fixed-seed"), pytest.param(random.SystemRandom().randrange(2 ** 32),
                                                                   id="fresh-seed")]


def run_seeded(test, seed: int, max_examples: int) -> None:
    """Run the hypothesis test `test` (given-decorated, taking no fixtures) from `seed`, printing it."""
    from hypothesis import HealthCheck, seed as with_seed, settings

    print(f"hypothesis seed {seed}: replay with hypothesis.seed({seed})")
    configured = settings(max_examples=max_examples, database=None, deadline=None, print_blob=True,
                          suppress_health_check=list(HealthCheck))(test)
    with_seed(seed)(configured)()
