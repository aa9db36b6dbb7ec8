"""What a participant's phone downloads, in Chromium with a cold cache, against the page-weight budgets.

    .venv/bin/python bench/page_weight.py

Creates the demo data in a throwaway folder (SQLite), serves it with gunicorn on a free local port,
then answers the demo's service-user T1 link from its first page to its last in a new browser context
(a cold cache): the access code, the consent choices, 32 questions, the check page and the thank-you
page. Bytes are what Chromium's DevTools call "transferred": response headers plus encoded
(compressed) bodies, redirects included. The T2 link is walked the same way as a figure without a
budget. Prints each figure beside its budget and the figure measured before the work on issue 13;
exits 1 if a budget is missed.

Then the T1 link again in every other participant language that has a compiled catalogue (each on
a fresh copy of the demo database, the browser asking for that language), on a device without the
Urdu Nastaliq font: the budgets are checked on what a device with the font downloads (everything but
the font), and the font itself is reported as what a device without it downloads once.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import WireMeter, walk_participant_link, without_fonts  # noqa: E402

CHROMIUM = os.environ.get("SURVEY_CHROMIUM", "/usr/bin/chromium")
KB = 1024
# (figure, budget in bytes or None, as this script measured it on main before issue 13's work, 30/11/2026)
FIGURES = (
    ("first page, cold cache", 30 * KB, "155.6 KB in 6 requests"),
    ("largest later page", 6 * KB, "174.3 KB (Check your answers)"),
    ("service-user T1 journey", 300 * KB, "6.67 MB, 43 pages"),
    ("service-user T2 journey", None, "8.38 MB, 54 pages"),
)


# The participant languages (issue 14); a language is walked when its catalogue is compiled.
LANGUAGES = ("cy", "ur", "pa_Guru", "pa_Arab", "bn", "ta", "ar", "ps", "pl", "ro")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="page-weight-") as folder:
        folder = Path(folder)
        port = _free_port()
        env = _environment(folder, port)
        links = _demo_links(env)
        pristine = _copy_database(folder, "pristine")
        with _served(env, port):
            walks = {timepoint: _walk(links[("service_user", timepoint)]) for timepoint in ("T1", "T2")}
        in_languages = {}
        for language in _compiled_languages():
            database = _copy_database(folder, language, pristine)
            with _served({**env, "SURVEY_DATABASE_URL": f"sqlite:///{database}"}, port):
                in_languages[language] = _walk(links[("service_user", "T1")], language, folder)
    return _report(walks) | _report_languages(in_languages)


def _compiled_languages() -> list[str]:
    return [code for code in LANGUAGES if (ROOT / "translations" / code / "LC_MESSAGES" / "messages.mo").exists()]


def _copy_database(folder: Path, name: str, source: Path | None = None) -> Path:
    """A copy of the demo database (its WAL too), so each language's walk starts from the same links."""
    source = source or folder / "bench.sqlite3"
    copy = folder / f"{name}.sqlite3"
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{copy}{suffix}")
    return copy


def _environment(folder: Path, port: int) -> dict[str, str]:
    return {**os.environ, "SURVEY_MODE": "demo", "SURVEY_INSTANCE_PATH": str(folder),
            "SURVEY_LOCALES": ",".join(["en", *_compiled_languages()]),
            "SURVEY_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "SURVEY_BASE_URL": f"http://127.0.0.1:{port}", "SURVEY_SECRET_KEY": "page-weight-bench"}


def _demo_links(env: dict[str, str]) -> dict[tuple[str, str], dict]:
    survey = str(Path(sys.executable).parent / "survey")
    printed = subprocess.run([survey, "demo"], env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    summary = json.loads(printed.strip().splitlines()[-1])
    return {(link["cohort"], link["timepoint"]): link for link in summary["links"]}


class _served:
    """gunicorn serving the app, as in production, until the block ends."""

    def __init__(self, env: dict[str, str], port: int):
        self.command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", "1", "--threads", "4",
                        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"]
        self.env, self.url = env, f"http://127.0.0.1:{port}/"

    def __enter__(self):
        self.process = subprocess.Popen(self.command, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 180  # a loaded machine starts it slowly
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return self
            except OSError:
                time.sleep(0.5)
        self.process.terminate()
        raise RuntimeError("the server did not answer within three minutes")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


def _walk(link: dict, language: str | None = None, folder: Path | None = None):
    """The link walked in a new browser context (nothing cached); in `language` on a device without
    the Nastaliq font if given."""
    from playwright.sync_api import sync_playwright

    environment = {**os.environ, **without_fonts(folder)} if folder else None
    headers = {"Accept-Language": language.replace("_", "-")} if language else {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, env=environment,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        try:
            page = browser.new_context(extra_http_headers=headers).new_page()
            return walk_participant_link(page, WireMeter(page), link["url"], link["access_code"])
        finally:
            browser.close()


def _report(walks: dict) -> int:
    first, *later = walks["T1"]
    largest = max(later, key=lambda step: step[1].received)
    figures = (
        (first[1].received, f"{_size(first[1].received)} in {first[1].requests} requests "
                            f"({_kinds(first[1].kinds)})"),
        (largest[1].received, f"{_size(largest[1].received)} ({largest[0]})"),
        (_total(walks["T1"]), f"{_size(_total(walks['T1']))}, {len(walks['T1'])} pages"),
        (_total(walks["T2"]), f"{_size(_total(walks['T2']))}, {len(walks['T2'])} pages"),
    )
    missed = 0
    print(f"{'figure':<26} {'now':<56} {'budget':<10} {'before'}")
    for (name, budget, before), (value, shown) in zip(FIGURES, figures):
        verdict = "" if budget is None else ("met" if value <= budget else "MISSED")
        missed += verdict == "MISSED"
        print(f"{name:<26} {shown:<56} {_budget(budget, verdict):<10} {before}")
    return 1 if missed else 0


def _report_languages(walks: dict) -> int:
    """Per language: the budgets, on what a device with the font downloads; and the font, once."""
    if not walks:
        print("\nNo other participant language has a compiled catalogue yet: nothing more to walk.")
        return 0
    missed = 0
    print(f"\n{'language':<9} {'first page':<16} {'largest later page':<20} {'T1 journey':<18} "
          f"{'without the font, once'}")
    for language, walk in walks.items():
        first, *later = [_without_fonts(weight) for _, weight in walk]
        figures = [(first, 30 * KB), (max(later), 6 * KB), (first + sum(later), 300 * KB)]
        shown = []
        for value, budget in figures:
            missed += value > budget
            shown.append(f"{_size(value)} {'met' if value <= budget else 'MISSED'}")
        fonts = sum(weight.received_by_kind["Font"] for _, weight in walk)
        # Later pages ask for the font again and get it from the browser's cache: nothing arrives.
        pages = sum(weight.received_by_kind["Font"] > 0 for _, weight in walk)
        print(f"{language:<9} {shown[0]:<16} {shown[1]:<20} {shown[2]:<18} "
              f"{_size(fonts)}, on {pages} page{'s' if pages != 1 else ''}")
    return 1 if missed else 0


def _without_fonts(weight) -> int:
    return weight.received - weight.received_by_kind["Font"]


def _total(walk) -> int:
    return sum(weight.received for _, weight in walk)


def _kinds(kinds) -> str:
    return ", ".join(f"{count} {kind.lower()}" for kind, count in sorted(kinds.items()))


def _budget(budget: int | None, verdict: str) -> str:
    return "-" if budget is None else f"{_size(budget)} {verdict}"


def _size(received: int) -> str:
    return f"{received / KB / KB:.2f} MB" if received >= KB * KB else f"{received / KB:.1f} KB"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
