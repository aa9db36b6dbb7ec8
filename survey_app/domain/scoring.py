"""The scoring engine: item answers in, scores out, driven by the definition alone.

There is no per-instrument code here. Arithmetic is exact: every score is held as an
integer numerator and denominator and rounded (half away from zero) only when shown,
so URICA's readiness is (ΣC + ΣA + ΣM − ΣPC) / 7, never a sum of rounded means.
A definition is compiled once into a list of small steps, which keeps scoring fast.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache
from math import lcm
from operator import itemgetter
from typing import Callable, Mapping, NamedTuple

from survey_app.domain.instruments import Definition, ScoreRule
from survey_app.domain.text import N_

COMPLETE = "complete"
PRORATED = "prorated"
INSUFFICIENT = "insufficient"
# What each status is called on screen; the web layer translates these.
STATUS_NAMES = {COMPLETE: N_("complete"), PRORATED: N_("prorated"), INSUFFICIENT: N_("not enough answers")}


class InvalidResponses(ValueError):
    """Answers that cannot be scored; `problems` lists each one in plain words."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class Score(NamedTuple):
    """One score of one administration. A named tuple: immutable, and cheap to make in bulk."""

    name: str
    numerator: int | None
    denominator: int
    status: str
    answered: tuple[int, ...]
    missing: tuple[int, ...]
    decimals: int

    @property
    def value(self) -> Fraction | None:
        """The exact value, or None when there were not enough answers."""
        if self.numerator is None:
            return None
        return Fraction(self.numerator, self.denominator)

    @property
    def rounded(self) -> int | Decimal | None:
        """The value as shown and exported: rounded half away from zero, to the definition's places."""
        numerator, denominator = self.numerator, self.denominator
        if numerator is None:
            return None
        if self.decimals == 0 and denominator == 1:
            return numerator
        return round_half_away(numerator, denominator, self.decimals)


class _Shown(Score):
    """A complete score made once and shared (see _interned): its rounded value is worked out once too,
    on first use, and then read like a plain attribute."""

    rounded = cached_property(Score.rounded.fget)


def _shown(score: Score) -> Score:
    return score if type(score) is _Shown else _Shown(*score)


class ScoreSet(NamedTuple):
    """Every score of one administration, by name: `result["readiness"]`."""

    instrument: str
    version: str
    scores: dict[str, Score]

    def __getitem__(self, name: str) -> Score:
        return self.scores[name]

    def as_contract(self) -> dict:
        """The shape `survey score` prints: rounded values, None where not computable."""
        return {"instrument": self.instrument, "version": self.version,
                "scores": {name: score.rounded for name, score in self.scores.items()}}


@lru_cache(maxsize=4096)
def round_half_away(numerator: int, denominator: int, places: int) -> Decimal:
    # Cached: scores take few distinct values, and Decimal is immutable.
    negative = (numerator < 0) != (denominator < 0)
    quotient, remainder = divmod(abs(numerator) * 10 ** places, abs(denominator))
    if 2 * remainder >= abs(denominator):
        quotient += 1
    return Decimal(-quotient if negative else quotient).scaleb(-places)


# --- the compiled engine ------------------------------------------------------------------

ANSWER_TYPES = frozenset({int, type(None)})
# How many complete results each scorer keeps by their item-score totals before starting afresh.
KNOWN_RESULTS = 65536
INT_ONLY = frozenset({int})

# A step reads the answers and the scores computed so far and returns one Score.
Step = Callable[[Mapping[int, int | None], dict], Score]


class Scorer:
    """A definition compiled for scoring. Build one with `scorer_for(definition)`."""

    def __init__(self, definition: Definition):
        self.definition = definition
        self.allowed = {item.number: definition.scale(item.scale).values for item in definition.items}
        # Every acceptable (item, answer) pair, None included, so the usual case is one set test.
        self.valid_pairs = frozenset((number, value) for number, values in self.allowed.items()
                                     for value in (*values, None))
        self.steps: list[tuple[str, Step]] = [(rule.name, _compile(rule, definition)) for rule in definition.scores]
        # Most administrations answer every item; for them, item steps read a list of answers
        # in item order instead of looking each one up, and skip every missing-item check.
        self.numbers = tuple(item.number for item in definition.items)
        self.scales_in_order = tuple(self.allowed[number] for number in self.numbers)
        self.complete_steps: list[tuple[str, Step]] = [
            (rule.name, _complete_item_step(rule, definition) if rule.kind in ("sum", "mean") else step)
            for rule, (_, step) in zip(definition.scores, self.steps)]
        # With every item answered, every score follows from the totals of the item scores (sums and
        # means) alone: the whole result is kept by those totals, so each distinct set of totals is
        # worked out once (a score set is immutable, and few distinct totals occur).
        totals = tuple(_total_of(rule, definition) for rule in definition.scores if rule.kind in ("sum", "mean"))
        self.key_of = _key_function(totals)
        self.known: dict[tuple[int, ...], ScoreSet] = {}
        # One scale for every item (the usual case): one set test checks every answer.
        scales = set(self.scales_in_order)
        self.one_scale = scales.pop() if len(scales) == 1 else None

    def score(self, responses: Mapping[int, int | None]) -> ScoreSet:
        """Score answers keyed by item number; a missing item is absent or None."""
        values = list(map(responses.get, self.numbers))
        # Every value a whole number (not True, not 2.0: they equal 1 and 2 in a set) on its item's scale.
        if None not in values and len(responses) == len(values) and INT_ONLY.issuperset(map(type, values)) and (
                self.one_scale.issuperset(values) if self.one_scale is not None
                else all(map(frozenset.__contains__, self.scales_in_order, values))):
            key = self.key_of(values)
            steps, answers = self.complete_steps, values
        else:
            self.check(responses)
            # Some items missing: the scores follow from which ones, and the totals of the others.
            key = (tuple([index for index, value in enumerate(values) if value is None]),
                   self.key_of([0 if value is None else value for value in values]))
            steps, answers = self.steps, responses
        known = self.known.get(key)
        if known is not None:
            return known
        results: dict[str, Score] = {}
        for name, step in steps:
            results[name] = step(answers, results)
        if len(self.known) >= KNOWN_RESULTS:
            self.known.clear()
        result = self.known[key] = ScoreSet(self.definition.id, self.definition.version,
                                            {name: _shown(score) for name, score in results.items()})
        return result

    def check(self, responses: Mapping[int, int | None]) -> None:
        """Raise InvalidResponses, naming every problem, unless every answer is on its item's scale."""
        # True == 1 and 2.0 == 2 in a set, so the pair test alone would let them through;
        # the type test closes that gap.
        if self.valid_pairs.issuperset(responses.items()) and ANSWER_TYPES.issuperset(map(type, responses.values())):
            return
        self._explain(responses)

    def _explain(self, responses: Mapping[int, int | None]) -> None:
        allowed = self.allowed
        problems = []
        for number, value in responses.items():
            values = allowed.get(number)
            if values is None:
                problems.append(f"{self.definition.short_title} {self.definition.version} has no item {number!r} "
                                f"(items are numbered 1 to {len(allowed)}).")
            elif value is not None and (type(value) is not int or value not in values):
                problems.append(f"Item {number}: {value!r} is not an answer on its scale "
                                f"({', '.join(map(str, sorted(values)))}).")
        if problems:
            raise InvalidResponses(problems)


@lru_cache(maxsize=256)
def scorer_for(definition: Definition) -> Scorer:
    return Scorer(definition)


def score(definition: Definition, responses: Mapping[int, int | None]) -> ScoreSet:
    return scorer_for(definition).score(responses)


def _compile(rule: ScoreRule, definition: Definition) -> Step:
    if rule.kind in ("sum", "mean"):
        return _item_step(rule, definition)
    if rule.kind == "lookup":
        return _lookup_step(rule, definition)
    return _linear_step(rule, definition)


def _item_step(rule: ScoreRule, definition: Definition) -> Step:
    name, decimals, items, count = rule.name, rule.decimals, rule.items, len(rule.items)
    needed = rule.needed()
    denominator = count if rule.kind == "mean" else 1
    # Reverse keying maps v to (min + max - v) on the item's own scale: sum the plain items,
    # add (min + max) once per reversed item and subtract the reversed answers.
    plain = tuple(n for n in items if not definition.item(n).reverse)
    flipped = tuple(n for n in items if definition.item(n).reverse)
    flip_offset = sum(definition.scale(definition.item(n).scale).minimum
                      + definition.scale(definition.item(n).scale).maximum for n in flipped)

    if not flipped:
        def step(responses, _results) -> Score:
            values = list(map(responses.get, plain))
            if None in values:
                return _partial(rule, definition, responses, name, decimals, needed)
            return Score(name, sum(values), denominator, COMPLETE, items, (), decimals)
        return step

    def step_with_reverse_keys(responses, _results) -> Score:
        plain_values = list(map(responses.get, plain))
        flipped_values = list(map(responses.get, flipped))
        if None in plain_values or None in flipped_values:
            return _partial(rule, definition, responses, name, decimals, needed)
        total = sum(plain_values) + flip_offset - sum(flipped_values)
        return Score(name, total, denominator, COMPLETE, items, (), decimals)

    return step_with_reverse_keys


def _complete_item_step(rule: ScoreRule, definition: Definition) -> Step:
    """The step for an administration with every item answered; reads answers by position."""
    name, decimals, items = rule.name, rule.decimals, rule.items
    denominator = len(items) if rule.kind == "mean" else 1
    position = {item.number: index for index, item in enumerate(definition.items)}
    plain = _getter([position[n] for n in items if not definition.item(n).reverse])
    flipped_numbers = [n for n in items if definition.item(n).reverse]
    known, make = _interned(name, denominator, items, decimals)
    if not flipped_numbers:
        def step(values, _results) -> Score:
            total = sum(plain(values))
            return known.get(total) or make(total)
        return step
    flipped = _getter([position[n] for n in flipped_numbers])
    offset = sum(definition.scale(definition.item(n).scale).minimum
                 + definition.scale(definition.item(n).scale).maximum for n in flipped_numbers)

    def step_with_reverse_keys(values, _results) -> Score:
        total = sum(plain(values)) + offset - sum(flipped(values))
        return known.get(total) or make(total)
    return step_with_reverse_keys


def _total_of(rule: ScoreRule, definition: Definition) -> Callable[[list], int]:
    """A sum or mean rule's total (reverse keys applied) from the answers in item order."""
    position = {item.number: index for index, item in enumerate(definition.items)}
    plain_indexes = [position[n] for n in rule.items if not definition.item(n).reverse]
    plain = _getter(plain_indexes)
    flipped_numbers = [n for n in rule.items if definition.item(n).reverse]
    if not flipped_numbers:
        # Every item, none reversed (a plain total): the sum of all the answers.
        return sum if sorted(plain_indexes) == list(range(len(definition.items))) else lambda values: sum(plain(values))
    flipped = _getter([position[n] for n in flipped_numbers])
    offset = sum(definition.scale(definition.item(n).scale).minimum
                 + definition.scale(definition.item(n).scale).maximum for n in flipped_numbers)
    return lambda values: sum(plain(values)) + offset - sum(flipped(values))


def _key_function(totals: tuple) -> Callable[[list], object]:
    """The totals of every sum and mean from the answers in item order, as one dictionary key."""
    if len(totals) == 1:
        return totals[0]
    return lambda values: tuple([total(values) for total in totals])


def _interned(name: str, denominator: int, answered: tuple[int, ...], decimals: int):
    """Complete scores of one rule, each made once: a score takes few distinct values, and a
    Score is immutable, so every administration with the same total can share one."""
    known: dict[int, Score] = {}

    def make(numerator: int) -> Score:
        score = known[numerator] = _Shown(name, numerator, denominator, COMPLETE, answered, (), decimals)
        return score

    return known, make


def _getter(indexes: list[int]) -> Callable[[list], tuple]:
    """itemgetter that always returns a tuple (itemgetter of one index returns the bare value)."""
    if not indexes:
        return lambda _values: ()
    if len(indexes) == 1:
        index = indexes[0]
        return lambda values: (values[index],)
    return itemgetter(*indexes)


def _partial(rule: ScoreRule, definition: Definition, responses, name: str, decimals: int, needed: int) -> Score:
    """The slow path, for administrations with missing items: prorate or give no score."""
    total = 0
    answered, missing = [], []
    for number in rule.items:
        value = responses.get(number)
        if value is None:
            missing.append(number)
            continue
        item = definition.item(number)
        if item.reverse:
            scale = definition.scale(item.scale)
            value = scale.minimum + scale.maximum - value
        total += value
        answered.append(number)
    got, count = len(answered), len(rule.items)
    if got < needed or got == 0:
        return Score(name, None, 1, INSUFFICIENT, tuple(answered), tuple(missing), decimals)
    # Prorated: the mean of the answered items, or their sum scaled up to all items.
    numerator = total if rule.kind == "mean" else total * count
    return Score(name, numerator, got, PRORATED, tuple(answered), tuple(missing), decimals)


def _lookup_step(rule: ScoreRule, definition: Definition) -> Step:
    name, decimals, source = rule.name, rule.decimals, rule.from_score
    table = {key: (value.numerator, value.denominator) for key, value in rule.table}
    # When the converted score is a complete sum, its result depends on the key alone.
    base_rule = definition.score_rule(source)
    complete = {key: _Shown(name, n, d, COMPLETE, base_rule.items, (), decimals) for key, (n, d) in table.items()} \
        if base_rule.kind == "sum" else {}

    def step(_responses, results) -> Score:
        base = results[source]
        if base.status is COMPLETE and base.denominator == 1 and base.numerator in complete:
            return complete[base.numerator]
        if base.numerator is None or base.numerator % base.denominator:
            return Score(name, None, 1, INSUFFICIENT, base.answered, base.missing, decimals)
        numerator, denominator = table[base.numerator // base.denominator]
        return Score(name, numerator, denominator, base.status, base.answered, base.missing, decimals)

    return step


def _linear_step(rule: ScoreRule, definition: Definition) -> Step:
    name, decimals = rule.name, rule.decimals
    terms = tuple((score_name, weight.numerator, weight.denominator) for score_name, weight in rule.terms)
    names = tuple(score_name for score_name, _ in rule.terms)
    fast = _complete_case(rule, definition)
    if fast is not None:
        known, make = _interned(name, fast[2], fast[3], decimals)

    def step(_responses, results) -> Score:
        parts = [results[score_name] for score_name in names]
        if fast is not None:
            denominators, coefficients, common, answered = fast
            if all(p.status is COMPLETE and p.denominator == d for p, d in zip(parts, denominators)):
                numerator = sum(c * p.numerator for c, p in zip(coefficients, parts))
                return known.get(numerator) or make(numerator)
        return _linear_general(name, decimals, terms, parts)

    return step


def _complete_case(rule: ScoreRule, definition: Definition):
    """For a composite of complete sums and means, whose denominators are known in advance,
    precompute integer coefficients over one common denominator: readiness becomes
    (ΣC + ΣA + ΣM − ΣPC) / 7 with no fractions at run time. None if a part is not a sum or mean."""
    denominators = []
    answered: set[int] = set()
    for score_name, _ in rule.terms:
        part = definition.score_rule(score_name)
        if part.kind not in ("sum", "mean"):
            return None
        denominators.append(len(part.items) if part.kind == "mean" else 1)
        answered.update(part.items)
    common = 1
    for (_, weight), denominator in zip(rule.terms, denominators):
        common = lcm(common, denominator * weight.denominator)
    coefficients = tuple(weight.numerator * common // (denominator * weight.denominator)
                         for (_, weight), denominator in zip(rule.terms, denominators))
    return tuple(denominators), coefficients, common, tuple(sorted(answered))


def _linear_general(name: str, decimals: int, terms: tuple, parts: list[Score]) -> Score:
    numerator, denominator = 0, 1
    status = COMPLETE
    answered: set[int] = set()
    missing: set[int] = set()
    for (_, weight_num, weight_den), part in zip(terms, parts):
        answered.update(part.answered)
        missing.update(part.missing)
        if part.numerator is None:
            status = INSUFFICIENT
            continue
        if part.status == PRORATED and status == COMPLETE:
            status = PRORATED
        term_num, term_den = weight_num * part.numerator, weight_den * part.denominator
        if term_den == denominator:
            numerator += term_num
        else:
            numerator, denominator = numerator * term_den + term_num * denominator, denominator * term_den
    if status == INSUFFICIENT:
        return Score(name, None, 1, INSUFFICIENT, tuple(sorted(answered)), tuple(sorted(missing)), decimals)
    return Score(name, numerator, denominator, status, tuple(sorted(answered)), tuple(sorted(missing)), decimals)


# --- bounds, for checking declared ranges and for property tests -------------------------

def score_bounds(definition: Definition) -> dict[str, tuple[Fraction, Fraction]]:
    """The lowest and highest value each score can take, from the scales and rules."""
    bounds: dict[str, tuple[Fraction, Fraction]] = {}
    for rule in definition.scores:
        bounds[rule.name] = _bounds(rule, definition, bounds)
    return bounds


def _bounds(rule: ScoreRule, definition: Definition, bounds: dict) -> tuple[Fraction, Fraction]:
    if rule.kind in ("sum", "mean"):
        scales = [definition.scale(definition.item(n).scale) for n in rule.items]
        low, high = sum(s.minimum for s in scales), sum(s.maximum for s in scales)
        if rule.kind == "sum":
            return Fraction(low), Fraction(high)
        if rule.missing and rule.missing.prorate:
            # A prorated mean of fewer items can reach the most extreme single item.
            return Fraction(min(s.minimum for s in scales)), Fraction(max(s.maximum for s in scales))
        return Fraction(low, len(scales)), Fraction(high, len(scales))
    if rule.kind == "lookup":
        low, high = bounds[rule.from_score]
        values = [value for key, value in rule.table if low <= key <= high]
        return min(values), max(values)
    low = high = Fraction(0)
    for score_name, weight in rule.terms:
        part_low, part_high = bounds[score_name]
        ends = (weight * part_low, weight * part_high)
        low, high = low + min(ends), high + max(ends)
    return low, high


def check_ranges(definition: Definition) -> list[tuple[list, str]]:
    """Findings where a lookup table has gaps or a declared range disagrees with the items."""
    findings = []
    bounds: dict[str, tuple[Fraction, Fraction]] = {}
    for index, rule in enumerate(definition.scores):
        path = ["scoring", "scores", index]
        if rule.kind == "lookup":
            low, high = bounds[rule.from_score]
            keys = {key for key, _ in rule.table}
            gaps = [v for v in range(int(low), int(high) + 1) if v not in keys]
            if gaps:
                findings.append((path + ["table"], f"The conversion table has no entry for "
                                                   f"{', '.join(map(str, gaps[:10]))}; {rule.from_score!r} can be "
                                                   f"any whole number from {low} to {high}."))
                return findings
        bounds[rule.name] = _bounds(rule, definition, bounds)
        if rule.declared_range and rule.declared_range != bounds[rule.name]:
            low, high = bounds[rule.name]
            findings.append((path + ["range"], f"The declared range {_show(rule.declared_range[0])} to "
                                               f"{_show(rule.declared_range[1])} does not match what the items "
                                               f"allow: {_show(low)} to {_show(high)}."))
    return findings


def _show(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


# --- the command-line contract ------------------------------------------------------------

def contract_json(result: ScoreSet, details: bool = False) -> str:
    """The `survey score` output. Decimals keep their places (20.73, 3.00) as JSON numbers."""
    scores = ", ".join(f"{json.dumps(name)}: {_json_number(s.rounded)}" for name, s in result.scores.items())
    text = (f'{{"instrument": {json.dumps(result.instrument)}, "version": {json.dumps(result.version)}, '
            f'"scores": {{{scores}}}')
    if details:
        detail = {name: {"status": s.status, "answered": list(s.answered), "missing": list(s.missing)}
                  for name, s in result.scores.items()}
        text += f', "details": {json.dumps(detail)}'
    return text + "}"


def _json_number(value: int | Decimal | None) -> str:
    # Fixed-point notation ("-1.50", never "1E-7") is valid JSON and keeps the places.
    if value is None:
        return "null"
    return str(value) if isinstance(value, int) else format(value, "f")
