"""The whole suite, as `make test` and CI run it: once on SQLite, then on PostgreSQL.

Outside CI the PostgreSQL pass is skipped, loudly, when no server answers; under CI
(CI=true) a missing server or a missing browser is a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.databases import PG_ADMIN_URL, postgres_answers

BANNER = "=" * 72


def run_pass(name: str, extra_args: list[str]) -> int:
    print(f"\n{BANNER}\nTest pass on {name}\n{BANNER}", flush=True)
    env = {**os.environ, "SURVEY_TEST_DB": name}
    return subprocess.call([sys.executable, "-m", "pytest", *extra_args], env=env)


def main(argv: list[str]) -> int:
    in_ci = os.environ.get("CI") == "true"
    results = {"sqlite": run_pass("sqlite", argv)}
    if postgres_answers():
        results["postgresql"] = run_pass("postgresql", argv)
    elif in_ci:
        print(f"\n{BANNER}\nFAILED: PostgreSQL does not answer at {PG_ADMIN_URL} (required under CI)\n{BANNER}")
        results["postgresql"] = 1
    else:
        print(f"\n{BANNER}\nSKIPPED the PostgreSQL pass: no server answers at {PG_ADMIN_URL}.\n"
              f"Start one (see README) or set SURVEY_TEST_PG_URL to run it.\n{BANNER}")
    print(f"\n{BANNER}")
    for name, code in results.items():
        print(f"{name}: {'passed' if code == 0 else f'FAILED (exit {code})'}")
    print(BANNER)
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
