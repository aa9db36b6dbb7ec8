"""Instrument translations: text for every item, instruction and scale label of one base version.

A translation carries nothing else: scoring, scales and keys always come from the base
definition, so a translation can never change what a score means.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from survey_app.domain.instruments import PLACEHOLDER, STRAY_BRACE, Definition, Finding, valid_language_tag

VALIDATED = "validated"
ORIGINAL = "original"  # recorded instead of a status where a measure or document is given in its own words


@dataclass(frozen=True, eq=False)
class Translation:
    instrument_id: str
    version: str
    language: str
    revision: int
    status: str
    status_source: str
    instructions: str | None
    scales: dict = field(repr=False)  # scale id -> {value: label}
    items: dict = field(repr=False)  # item number -> text
    placeholders: dict = field(repr=False)  # token -> (text, sentence_start)
    content_sha256: str = ""
    path: str = ""

    @property
    def key(self) -> str:
        return f"{self.instrument_id}/{self.version}/{self.language}/{self.revision}"

    def item_text(self, number: int) -> str:
        return self.items[number]

    def scale_label(self, scale_id: str, value: int) -> str:
        return self.scales[scale_id][value]


def build_translation(data: dict, content_sha256: str = "", path: str = "") -> Translation:
    """Build the frozen object from schema-valid, checked data."""
    return Translation(
        instrument_id=data["translates"]["id"], version=data["translates"]["version"],
        language=data["language"], revision=data["revision"], status=data["status"],
        status_source=data.get("status_source", ""), instructions=data.get("instructions"),
        scales={scale_id: {int(v): label for v, label in labels.items()}
                for scale_id, labels in data["scales"].items()},
        items={int(n): text for n, text in data["items"].items()},
        placeholders={token: (p["text"], p["sentence_start"]) for token, p in data.get("placeholders", {}).items()},
        content_sha256=content_sha256, path=path,
    )


def check_translation(data: dict, base: Definition) -> list[Finding]:
    """A translation must give text for everything its base has, keep every placeholder, add nothing."""
    findings: list[Finding] = []
    if not valid_language_tag(data["language"]):
        findings.append((["language"], f"{data['language']!r} is not a language tag such as ur, pa-Arab or ta."))
    _check_items(findings, data, base)
    _check_scales(findings, data, base)
    _check_instructions(findings, data, base)
    _check_placeholder_substitutions(findings, data, base)
    return findings


def _check_items(findings: list[Finding], data: dict, base: Definition) -> None:
    wanted = {str(item.number) for item in base.items}
    given = set(data["items"])
    for number in sorted(wanted - given, key=int):
        findings.append((["items"], f"Item {number} has no text. Every item of {base.short_title} "
                                    f"{base.version} needs a translation (1 to {len(base.items)})."))
    for number in sorted(given - wanted, key=int):
        findings.append((["items", number], f"{base.short_title} {base.version} has no item {number}; remove it."))
    for number in sorted(given & wanted, key=int):
        text = data["items"][number]
        expected_tokens = sorted(PLACEHOLDER.findall(base.item(int(number)).text))
        if sorted(PLACEHOLDER.findall(text)) != expected_tokens:
            shown = ", ".join("{" + t + "}" for t in expected_tokens) or "no placeholder"
            findings.append((["items", number], f"Item {number} must keep the same placeholders as the "
                                                f"original ({shown}), written exactly, not translated."))
        elif STRAY_BRACE.search(PLACEHOLDER.sub("", text)):
            findings.append((["items", number], "This text has a '{' or '}' that is not part of a placeholder."))


def _check_scales(findings: list[Finding], data: dict, base: Definition) -> None:
    for scale in base.scales:
        labels = data["scales"].get(scale.id)
        if labels is None:
            findings.append((["scales"], f"The response scale {scale.id!r} has no labels. Give a label for "
                                         f"each of its values ({', '.join(str(v) for v in sorted(scale.values))})."))
            continue
        given = {int(v) for v in labels}
        for value in sorted(scale.values - given):
            findings.append((["scales", scale.id], f"Scale {scale.id!r} has no label for the value {value}."))
        for value in sorted(given - scale.values):
            findings.append((["scales", scale.id, str(value)],
                             f"Scale {scale.id!r} has no value {value} in the original; remove it."))
    for scale_id in sorted(set(data["scales"]) - {s.id for s in base.scales}):
        findings.append((["scales", scale_id], f"The original has no response scale {scale_id!r}; remove it."))


def _check_instructions(findings: list[Finding], data: dict, base: Definition) -> None:
    text = data.get("instructions")
    if base.instructions.text and not text:
        findings.append((["instructions"], "The instructions have no translation. Add them under 'instructions'."))
    elif not base.instructions.text and text:
        findings.append((["instructions"], "The original has no instructions text, so a translation cannot add "
                                           "any. Leave 'instructions' empty (null)."))


def _check_placeholder_substitutions(findings: list[Finding], data: dict, base: Definition) -> None:
    wanted = {p.token for p in base.placeholders}
    given = set(data.get("placeholders", {}))
    for token in sorted(wanted - given):
        findings.append((["placeholders"], f"Give the words that replace {{{token}}} in this language "
                                           "(text and sentence_start) under 'placeholders'."))
    for token in sorted(given - wanted):
        findings.append((["placeholders", token], f"The original has no placeholder {{{token}}}; remove it."))
