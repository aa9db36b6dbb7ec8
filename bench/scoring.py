"""How fast the definition-driven engine scores, against hand-written scorers, in one run.

    .venv/bin/python bench/scoring.py [--administrations N]

The hand-written scorers below know URICA, WAI-SR and SWEMWBS by heart (item keys, the
conversion table) and do the same work as the engine: check every answer is on the scale,
sum exact integers, round half away from zero. Both must give identical output; the ratio
printed is engine speed / hand-written speed (1.0 = as fast; the aim is at least 0.8).
This is a benchmark, not a test: it prints figures and never fails on speed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey_app.config import instruments_dir  # noqa: E402
from survey_app.domain.catalogue import load_catalogue  # noqa: E402
from survey_app.domain.scoring import round_half_away, scorer_for  # noqa: E402

URICA_KEYS = {
    "precontemplation": (1, 5, 11, 13, 23, 26, 29),
    "contemplation": (2, 8, 12, 15, 19, 21, 24),
    "action": (3, 7, 10, 14, 17, 25, 30),
    "maintenance": (6, 16, 18, 22, 27, 28, 32),
}
WAI_KEYS = {"goal": (4, 6, 8, 11), "task": (1, 2, 10, 12), "bond": (3, 5, 7, 9), "total": tuple(range(1, 13))}
SWEMWBS_METRIC = dict(zip(range(7, 36), map(Decimal, (
    "7.00", "9.51", "11.25", "12.40", "13.33", "14.08", "14.75", "15.32", "15.84", "16.36",
    "16.88", "17.43", "17.98", "18.59", "19.25", "19.98", "20.73", "21.54", "22.35", "23.21",
    "24.11", "25.03", "26.02", "27.03", "28.13", "29.31", "30.70", "32.55", "35.00"))))
ONE_TO_FIVE = frozenset(range(1, 6))


def check(responses: dict, items: int) -> None:
    for number, value in responses.items():
        if not 1 <= number <= items or (value is not None and (type(value) is not int or value not in ONE_TO_FIVE)):
            raise ValueError(number)


def hand_urica(responses: dict) -> dict:
    check(responses, 32)
    sums = {}
    for name, items in URICA_KEYS.items():
        values = [responses.get(n) for n in items]
        sums[name] = None if None in values else sum(values)
    scores = {name: None if total is None else round_half_away(total, 7, 2) for name, total in sums.items()}
    if None in sums.values():
        scores["readiness"] = None
    else:
        scores["readiness"] = round_half_away(sums["contemplation"] + sums["action"] + sums["maintenance"]
                                              - sums["precontemplation"], 7, 2)
    return scores


def hand_wai_sr(responses: dict) -> dict:
    check(responses, 12)
    scores = {}
    for name, items in WAI_KEYS.items():
        values = [responses.get(n) for n in items]
        scores[name] = None if None in values else sum(values)
    return scores


def hand_swemwbs(responses: dict) -> dict:
    check(responses, 7)
    values = [responses.get(n) for n in range(1, 8)]
    raw = None if None in values else sum(values)
    return {"raw": raw, "metric": None if raw is None else SWEMWBS_METRIC[raw]}


HAND = {"urica": hand_urica, "wai_sr": hand_wai_sr, "swemwbs": hand_swemwbs}


def administrations(count: int, items: int, rng: random.Random) -> list[dict]:
    """Mostly complete answers, with one in ten missing an item, as real data would be."""
    sets = []
    for _ in range(count):
        answers = {n: rng.randint(1, 5) for n in range(1, items + 1)}
        if rng.random() < 0.1:
            answers[rng.randint(1, items)] = None
        sets.append(answers)
    return sets


def best_rates(functions: list, data: list[dict], repeats: int) -> list[float]:
    """Each function's best rate over `repeats` rounds, taken in turn within each round, so a
    machine busy with other work slows both alike instead of whichever happened to run then."""
    best = [float("inf")] * len(functions)
    for _ in range(repeats):
        for index, function in enumerate(functions):
            start = time.perf_counter()
            for answers in data:
                function(answers)
            best[index] = min(best[index], time.perf_counter() - start)
    return [len(data) / seconds for seconds in best]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--administrations", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    catalogue = load_catalogue(instruments_dir())
    rng = random.Random(20261122)
    print(f"{'instrument':<10} {'engine /s':>12} {'hand /s':>12} {'ratio':>7}")
    ratios = []
    for instrument_id, hand in HAND.items():
        definition = catalogue.get(instrument_id)
        scorer = scorer_for(definition)
        data = administrations(args.administrations, len(definition.items), rng)
        engine = lambda answers: {n: s.rounded for n, s in scorer.score(answers).scores.items()}  # noqa: E731
        mismatches = sum(engine(a) != hand(a) for a in data)
        if mismatches:
            print(f"{instrument_id}: {mismatches} administrations scored differently; figures are meaningless.")
            return 1
        engine_rate, hand_rate = best_rates([engine, hand], data, args.repeats)
        ratios.append(engine_rate / hand_rate)
        print(f"{instrument_id:<10} {engine_rate:>12,.0f} {hand_rate:>12,.0f} {engine_rate / hand_rate:>7.2f}")
    print(f"all outputs identical; lowest ratio {min(ratios):.2f} (aim: at least 0.80)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
