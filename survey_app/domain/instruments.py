"""Instrument definitions: frozen, validated objects built from the YAML files in instruments/.

A definition is data, never code: the scoring engine, the forms and the exports read it.
This module checks everything a schema cannot: cross-references, placeholders, and that
the scoring rules only mention real items and earlier scores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

import langcodes

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
STRAY_BRACE = re.compile(r"[{}]")


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: str


@dataclass(frozen=True)
class Scale:
    id: str
    points: tuple[ScalePoint, ...]
    checked_against: tuple[str, ...] = ()

    @property
    def values(self) -> frozenset[int]:
        return frozenset(p.value for p in self.points)

    @property
    def minimum(self) -> int:
        return min(self.values)

    @property
    def maximum(self) -> int:
        return max(self.values)


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Item:
    number: int
    id: str
    text: str
    scale: str
    reverse: bool = False
    checked_against: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Placeholder:
    token: str
    form_shows: str
    substitution: str
    substitution_sentence_start: str
    adaptation: str


@dataclass(frozen=True)
class Instructions:
    text: str | None
    status: str
    checked_against: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class MissingRule:
    min_answered: int | None
    prorate: bool
    source: str


@dataclass(frozen=True)
class ScoreRule:
    name: str
    label: str
    kind: str  # sum | mean | lookup | linear
    decimals: int = 0
    items: tuple[int, ...] = ()
    missing: MissingRule | None = None
    from_score: str | None = None
    table: tuple[tuple[int, Fraction], ...] = ()
    terms: tuple[tuple[str, Fraction], ...] = ()
    declared_range: tuple[Fraction, Fraction] | None = None
    source: str = ""
    note: str = ""

    def needed(self) -> int:
        """How many of its items must be answered for this score to be computed."""
        if self.missing and self.missing.min_answered is not None:
            return self.missing.min_answered
        return len(self.items)


@dataclass(frozen=True)
class ChangeRule:
    score: str
    sem: Fraction | None = None
    sd: Fraction | None = None
    reliability: Fraction | None = None
    z: Fraction = Fraction("1.96")
    rci_source: str = ""
    meaningful_points: Fraction | None = None
    meaningful_source: str = ""

    @property
    def has_rci(self) -> bool:
        return self.sem is not None or self.sd is not None

    def standard_error(self) -> float | None:
        if self.sem is not None:
            return float(self.sem)
        if self.sd is not None and self.reliability is not None:
            return float(self.sd) * (1 - float(self.reliability)) ** 0.5
        return None

    def reliable_square(self) -> Fraction | None:
        """The least squared difference that is reliable, exactly: (z × √2 × SEM)² = 2 z² SEM²,
        with SEM² = sem², or sd² × (1 − reliability). None when there is no SEM."""
        if self.sem is not None:
            sem_squared = self.sem ** 2
        elif self.sd is not None and self.reliability is not None:
            sem_squared = self.sd ** 2 * (1 - self.reliability)
        else:
            return None
        return 2 * self.z ** 2 * sem_squared


@dataclass(frozen=True, eq=False)
class Definition:
    """One published version. Compared and hashed by identity: the catalogue holds one per version."""

    id: str
    version: str
    language: str
    title: str
    short_title: str
    citation: tuple[str, ...]
    licence: dict
    audience: str
    timepoints: tuple[str, ...]
    sources: tuple[Source, ...]
    instructions: Instructions
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    placeholders: tuple[Placeholder, ...]
    unscored_items: tuple[int, ...]
    scores: tuple[ScoreRule, ...]
    change: tuple[ChangeRule, ...]
    verification_notes: tuple[str, ...] = ()
    content_sha256: str = ""
    path: str = ""
    _scales_by_id: dict = field(default_factory=dict, compare=False, repr=False)

    def scale(self, scale_id: str) -> Scale:
        return self._scales_by_id[scale_id]

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def score_rule(self, name: str) -> ScoreRule:
        return next(rule for rule in self.scores if rule.name == name)

    def change_rule(self, name: str) -> ChangeRule | None:
        return next((rule for rule in self.change if rule.score == name), None)

    @property
    def key(self) -> str:
        return f"{self.id}/{self.version}"


def build_definition(data: dict, content_sha256: str = "", path: str = "") -> Definition:
    """Build the frozen object from schema-valid data. Call `check_definition` first."""
    scales = tuple(
        Scale(s["id"], tuple(ScalePoint(p["value"], p["label"]) for p in s["points"]),
              tuple(s.get("checked_against", ())))
        for s in data["scales"]
    )
    scoring = data["scoring"]
    return Definition(
        id=data["id"], version=data["version"], language=data["language"],
        title=data["title"], short_title=data["short_title"], citation=tuple(data["citation"]),
        licence=dict(data["licence"]), audience=data["audience"], timepoints=tuple(data["timepoints"]),
        sources=tuple(Source(s["id"], s["title"], s["kind"], s.get("note", "")) for s in data["sources"]),
        instructions=Instructions(data["instructions"].get("text"), data["instructions"]["status"],
                                  tuple(data["instructions"].get("checked_against", ())),
                                  data["instructions"].get("note", "")),
        scales=scales,
        items=tuple(sorted((Item(i["number"], i["id"], i["text"], i["scale"], i.get("reverse", False),
                                 tuple(i.get("checked_against", ())), i.get("note", ""))
                            for i in data["items"]), key=lambda item: item.number)),
        placeholders=tuple(Placeholder(p["token"], p["form_shows"], p["substitution"]["text"],
                                       p["substitution"]["sentence_start"], p["adaptation"])
                           for p in data.get("placeholders", ())),
        unscored_items=tuple(scoring.get("unscored_items", ())),
        scores=tuple(_score_rule(s) for s in scoring["scores"]),
        change=tuple(_change_rule(c) for c in scoring.get("change", ())),
        verification_notes=tuple(data.get("verification_notes", ())),
        content_sha256=content_sha256, path=path,
        _scales_by_id={s.id: s for s in scales},
    )


def _score_rule(s: dict) -> ScoreRule:
    missing = s.get("missing")
    return ScoreRule(
        name=s["name"], label=s["label"], kind=s["kind"], decimals=s.get("decimals", 0),
        items=tuple(s.get("items", ())),
        missing=MissingRule(missing.get("min_answered"), missing.get("prorate", False), missing["source"])
        if missing else None,
        from_score=s.get("from"),
        table=tuple(sorted((int(k), Fraction(v)) for k, v in s.get("table", {}).items())),
        terms=tuple((t["score"], Fraction(t["weight"])) for t in s.get("terms", ())),
        declared_range=tuple(Fraction(v) for v in s["range"]) if "range" in s else None,
        source=s.get("source", ""), note=s.get("note", ""),
    )


def _change_rule(c: dict) -> ChangeRule:
    rci = c.get("reliable_change") or {}
    meaningful = c.get("meaningful_change") or {}
    as_fraction = lambda v: Fraction(v) if v is not None else None  # noqa: E731
    return ChangeRule(
        score=c["score"], sem=as_fraction(rci.get("sem")), sd=as_fraction(rci.get("sd")),
        reliability=as_fraction(rci.get("reliability")), z=Fraction(rci.get("z", "1.96")),
        rci_source=rci.get("source", ""), meaningful_points=as_fraction(meaningful.get("points")),
        meaningful_source=meaningful.get("source", ""),
    )


# --- checks a schema cannot express -------------------------------------------------------

Finding = tuple[list, str]  # (field path, message)


def valid_language_tag(tag: str) -> bool:
    return langcodes.tag_is_valid(tag)


def check_definition(data: dict) -> list[Finding]:
    """Cross-reference checks on schema-valid data; each finding names its field path."""
    findings: list[Finding] = []
    if not valid_language_tag(data["language"]):
        findings.append((["language"], f"{data['language']!r} is not a language tag such as en, ur or pa-Arab."))
    source_ids = _unique(findings, data["sources"], "id", ["sources"], "source")
    _check_source_refs(findings, data, source_ids)
    scale_ids = _unique(findings, data["scales"], "id", ["scales"], "response scale")
    for index, scale in enumerate(data["scales"]):
        _unique(findings, scale["points"], "value", ["scales", index, "points"], "scale point")
        _unique(findings, scale["points"], "label", ["scales", index, "points"], "scale label")
    numbers = _check_items(findings, data, scale_ids)
    _check_placeholders(findings, data)
    _check_scoring(findings, data, numbers)
    return findings


def _unique(findings: list[Finding], entries: list[dict], key: str, path: list, what: str) -> set:
    seen = set()
    for index, entry in enumerate(entries):
        if entry[key] in seen:
            findings.append((path + [index, key], f"The {what} {entry[key]!r} appears more than once; each must be unique."))
        seen.add(entry[key])
    return seen


def _check_source_refs(findings: list[Finding], data: dict, source_ids: set) -> None:
    places = [(["instructions"], data["instructions"])]
    places += [(["scales", i], s) for i, s in enumerate(data["scales"])]
    places += [(["items", i], item) for i, item in enumerate(data["items"])]
    for path, entry in places:
        for ref in entry.get("checked_against", ()):
            if ref not in source_ids:
                findings.append((path + ["checked_against"],
                                 f"{ref!r} is not one of the sources listed under 'sources' "
                                 f"({', '.join(sorted(source_ids))})."))


def _check_items(findings: list[Finding], data: dict, scale_ids: set) -> set[int]:
    _unique(findings, data["items"], "id", ["items"], "item id")
    numbers = _unique(findings, data["items"], "number", ["items"], "item number")
    expected = set(range(1, len(data["items"]) + 1))
    if numbers != expected and len(numbers) == len(data["items"]):
        findings.append((["items"], f"Item numbers must run from 1 to {len(data['items'])} without gaps; "
                                    f"found {', '.join(map(str, sorted(numbers)))}."))
    for index, item in enumerate(data["items"]):
        if item["scale"] not in scale_ids:
            findings.append((["items", index, "scale"],
                             f"{item['scale']!r} is not one of the response scales defined under 'scales' "
                             f"({', '.join(sorted(scale_ids))}). Check the spelling, or add the scale."))
    return numbers


def _check_placeholders(findings: list[Finding], data: dict) -> None:
    declared = {p["token"] for p in data.get("placeholders", ())}
    _unique(findings, data.get("placeholders", []), "token", ["placeholders"], "placeholder")
    used = set()
    texts = [(["items", i, "text"], item["text"]) for i, item in enumerate(data["items"])]
    if data["instructions"].get("text"):
        texts.append((["instructions", "text"], data["instructions"]["text"]))
    for path, text in texts:
        tokens = set(PLACEHOLDER.findall(text))
        used |= tokens
        for token in sorted(tokens - declared):
            findings.append((path, f"The placeholder {{{token}}} is not declared under 'placeholders'."))
        if STRAY_BRACE.search(PLACEHOLDER.sub("", text)):
            findings.append((path, "This text has a '{' or '}' that is not part of a placeholder such as {practitioner}."))
    for index, placeholder in enumerate(data.get("placeholders", ())):
        if placeholder["token"] not in used:
            findings.append((["placeholders", index, "token"],
                             f"The placeholder {{{placeholder['token']}}} is declared but no item uses it."))


def _check_scoring(findings: list[Finding], data: dict, numbers: set[int]) -> None:
    scoring = data["scoring"]
    base = ["scoring"]
    unscored = set(scoring.get("unscored_items", ()))
    for number in sorted(unscored - numbers):
        findings.append((base + ["unscored_items"], f"Item {number} is listed as unscored but there is no item {number}."))
    defined: dict[str, dict] = {}
    scored: set[int] = set()
    for index, score in enumerate(scoring["scores"]):
        path = base + ["scores", index]
        if score["name"] in defined:
            findings.append((path + ["name"], f"The score name {score['name']!r} is used twice."))
        _check_score(findings, score, path, numbers, unscored, defined)
        scored |= set(score.get("items", ()))
        defined[score["name"]] = score
    for number in sorted(numbers - scored - unscored):
        findings.append((base, f"Item {number} is in no score and not listed under 'unscored_items'. "
                               "Add it to a score, or list it as unscored if the source says so."))
    for index, change in enumerate(scoring.get("change", ())):
        _check_change(findings, change, base + ["change", index], defined)


def _check_score(findings, score, path, numbers, unscored, defined) -> None:
    kind = score["kind"]
    if kind in ("sum", "mean"):
        for number in score["items"]:
            if number not in numbers:
                findings.append((path + ["items"], f"Score {score['name']!r} uses item {number}, which does not exist."))
            elif number in unscored:
                findings.append((path + ["items"], f"Score {score['name']!r} uses item {number}, which is listed as unscored."))
        rule = score["missing"]
        minimum = rule.get("min_answered")
        if minimum is not None and minimum > len(score["items"]):
            findings.append((path + ["missing", "min_answered"],
                             f"min_answered is {minimum} but the score has only {len(score['items'])} items."))
        if minimum is not None and minimum < len(score["items"]) and not rule.get("prorate"):
            findings.append((path + ["missing"],
                             "min_answered allows missing items, so say how to fill them: set 'prorate: true' "
                             "(only where the source allows it), or remove min_answered."))
    elif kind == "lookup":
        if score["from"] not in defined:
            findings.append((path + ["from"], f"Score {score['name']!r} converts {score['from']!r}, which is not a score "
                                              "defined above it."))
        elif defined[score["from"]].get("decimals", 0) != 0:
            findings.append((path + ["from"], f"A conversion table needs a whole-number score; {score['from']!r} has decimals."))
    elif kind == "linear":
        for term_index, term in enumerate(score["terms"]):
            if term["score"] not in defined:
                findings.append((path + ["terms", term_index, "score"],
                                 f"Score {score['name']!r} uses {term['score']!r}, which is not a score defined above it."))


def _check_change(findings, change, path, defined) -> None:
    if change["score"] not in defined:
        findings.append((path + ["score"], f"{change['score']!r} is not a score of this instrument."))
    rci = change.get("reliable_change") or {}
    if "reliability" in rci and not 0 < Fraction(rci["reliability"]) < 1:
        findings.append((path + ["reliable_change", "reliability"], "Reliability must be between 0 and 1."))
    for key in ("sem", "sd"):
        if key in rci and Fraction(rci[key]) <= 0:
            findings.append((path + ["reliable_change", key], f"{key} must be greater than 0."))


def render_item_text(text: str, substitutions: dict[str, tuple[str, str]]) -> str:
    """Fill {placeholders}: the sentence-start form where the token opens the text."""
    def fill(match: re.Match) -> str:
        text_form, start_form = substitutions[match.group(1)]
        return start_form if match.start() == 0 else text_form
    return PLACEHOLDER.sub(fill, text)
