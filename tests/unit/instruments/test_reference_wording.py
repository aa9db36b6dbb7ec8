"""Every item, scale label, instruction, key and score name in the definitions equals the reference.

The reference (../shared/reference/instruments.md, beside the checkout) is parsed here, independently
of the definitions, and each YAML file is read with yaml.safe_load: one changed character in an item,
a label or the instructions fails a test. Without the reference the whole module is skipped.
"""

from __future__ import annotations

import json
import os
import re
from fractions import Fraction
from pathlib import Path

import jsonschema
import pytest
import yaml

from survey_app.domain.catalogue import content_hash, load_catalogue
from survey_app.domain.instruments import build_definition, check_definition
from survey_app.domain.scoring import check_ranges
from survey_app.domain.verification import verification_summary

ROOT = Path(__file__).resolve().parents[3]
INSTRUMENTS = ROOT / "instruments"
_CANDIDATES = ([Path(os.environ["SURVEY_REFERENCE_DIR"])] if os.environ.get("SURVEY_REFERENCE_DIR") else []) + [
    (Path(__file__).parents[3] / ".." / "shared" / "reference").resolve(), Path("/work/shared/reference")]
REFERENCE = next((d / "instruments.md" for d in _CANDIDATES if (d / "instruments.md").is_file()),
                 _CANDIDATES[0] / "instruments.md")
pytestmark = pytest.mark.skipif(
    not REFERENCE.is_file(),
    reason=f"The wording reference {REFERENCE} is not there (it sits beside the checkout, in shared/reference; "
           "set SURVEY_REFERENCE_DIR to its folder to run these tests elsewhere).")

INSTRUMENT_IDS = ("urica", "wai_sr", "swemwbs")
ITEM_COUNTS = {"urica": 32, "wai_sr": 12, "swemwbs": 7}
BLANK = "___"  # how the reference writes the WAI-SR practitioner blank


# --- reading the reference ----------------------------------------------------------------

def reference_text() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def section(start: str, end: str) -> str:
    text = reference_text()
    begin = text.index(start)
    return text[begin:text.index(end, begin + len(start))]


def table(start: str, end: str) -> list[list[str]]:
    """The body rows of the markdown table(s) between two markers, each cell stripped."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in section(start, end).splitlines()
            if line.startswith("|") and not re.fullmatch(r"\|[-| ]+\|", line.strip())]
    return rows[1:]  # without the header row


def quoted(start: str) -> str:
    """The first block quote after a heading: paragraphs joined by a blank line."""
    lines, started = [], False
    for line in section(start, "\n## ").splitlines()[1:]:
        if line.startswith(">"):
            started = True
            lines.append(line[1:].strip())
        elif started:
            break
    paragraphs = "\n".join(lines).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def numbers(text: str) -> set[int]:
    """'items 4, 6, 8, 11' or 'items 1–12' as a set of item numbers."""
    span = re.fullmatch(r"(\d+)–(\d+)", text.strip())
    if span:
        return set(range(int(span[1]), int(span[2]) + 1))
    return {int(n) for n in re.findall(r"\d+", text)}


def contract_rows(instrument: str) -> list[list[str]]:
    rows = table("## 0. Score-name contract", "Naming notes")
    return [r for r in rows if r[0] == f"`{instrument}`"]


def decimal(text: str) -> Fraction:
    return Fraction(text.replace("−", "-").replace("+", "").strip())


def reference_range(text: str) -> tuple[Fraction, Fraction]:
    """'1.00–5.00' or '−2.00 to +14.00'."""
    text = text.replace("−", "-")
    low, high = text.split(" to ") if " to " in text else text.split("–")
    return decimal(low), decimal(high)


# --- reading the definitions --------------------------------------------------------------

def data_of(instrument: str) -> dict:
    return yaml.safe_load((INSTRUMENTS / instrument / "1.0.yaml").read_text(encoding="utf-8"))


def items_of(instrument: str) -> dict[int, str]:
    return {item["number"]: item["text"] for item in data_of(instrument)["items"]}


def labels_of(instrument: str) -> list[tuple[int, str]]:
    [scale] = data_of(instrument)["scales"]
    return [(p["value"], p["label"]) for p in scale["points"]]


def rules_of(instrument: str) -> dict[str, dict]:
    return {rule["name"]: rule for rule in data_of(instrument)["scoring"]["scores"]}


def reference_scale(start: str, end: str) -> list[tuple[int, str]]:
    return [(int(value), label) for value, label in table(start, end)]


def provenance(text: str, status: str) -> set[str]:
    """The lettered sources whose wording equals the chosen text, read from a status cell.

    "VERIFIED (U, J, S)" and "SINGLE SOURCE (J)" name them; otherwise each `X: "quote"` (or
    `X and Y: "quote"`) agrees when its quote is part of the chosen text, and "Chose X" agrees.
    """
    status = status.replace("**", "")
    named = re.match(r"(?:VERIFIED|SINGLE SOURCE) \(([A-Z, ]+)\)", status)
    if named:
        return {letter.strip() for letter in named[1].split(",")}
    agreeing = set()
    for who, quote in re.findall(r"(\b[A-Z]\b(?: and (?:\b[A-Z]\b|the alcohol version))*): \"([^\"]+)\"", status):
        if quote.rstrip("…") in text:
            agreeing |= set(re.findall(r"\b[A-Z]\b", who))
    agreeing |= set(re.findall(r"Chose (?:\"[^\"]+\" \()?([A-Z])\b", status))
    return agreeing


# --- every definition is valid, and is the one the catalogue serves -----------------------

@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
def test_the_definition_is_valid(instrument):
    data = data_of(instrument)
    schema = json.loads((INSTRUMENTS / "schema" / "instrument.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert check_definition(data) == []
    assert check_ranges(build_definition(data)) == []
    assert (data["id"], data["version"]) == (instrument, "1.0")


@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
def test_the_catalogue_serves_this_file_unchanged(instrument):
    catalogue = load_catalogue(INSTRUMENTS)
    published = catalogue.get(instrument, "1.0")
    assert published is not None, [str(p) for p in catalogue.problems]
    assert published.content_sha256 == content_hash(data_of(instrument))


@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
def test_item_counts(instrument):
    items = items_of(instrument)
    assert len(items) == ITEM_COUNTS[instrument]
    assert sorted(items) == list(range(1, ITEM_COUNTS[instrument] + 1))


# --- URICA --------------------------------------------------------------------------------

def urica_rows() -> list[list[str]]:
    rows = table("### 1.6 Items", "**Action for developers:**")
    assert len(rows) == 32
    return rows


def test_urica_item_texts_equal_the_reference():
    assert items_of("urica") == {int(r[0]): r[1] for r in urica_rows()}


def test_urica_scale_equals_the_reference():
    assert labels_of("urica") == reference_scale("### 1.5 Response scale", "### 1.6")


def test_urica_instructions_equal_the_reference():
    instructions = data_of("urica")["instructions"]
    assert instructions["text"] == quoted("### 1.4 Instructions")
    assert instructions["text"].startswith("This questionnaire is to help us improve services.")
    assert "FOR ALL STATEMENTS" not in instructions["text"]  # the alcohol version is not mixed in


def test_urica_keys_and_unscored_items_equal_the_reference():
    rows = urica_rows()
    rules = rules_of("urica")
    names = {"PC": "precontemplation", "C": "contemplation", "A": "action", "M": "maintenance"}
    for code, name in names.items():
        assert set(rules[name]["items"]) == {int(r[0]) for r in rows if r[2] == code}
    for code, items, divisor in table("### 1.7 Scoring", "- Items 4, 9"):
        assert set(rules[names[code]]["items"]) == numbers(items)
        assert rules[names[code]]["kind"] == "mean" and len(numbers(items)) == int(divisor)
    unscored = {int(r[0]) for r in rows if r[2] == "—"}
    stated = re.search(r"Items ([\d, and]+) are answered but not scored", section("### 1.7", "### 1.8"))
    assert unscored == numbers(stated[1]) == {4, 9, 20, 31}
    assert set(data_of("urica")["scoring"]["unscored_items"]) == unscored


def test_urica_readiness_is_c_plus_a_plus_m_minus_pc():
    readiness = rules_of("urica")["readiness"]
    assert "C + A + M – PC" in section("### 1.7", "### 1.8")
    assert readiness["kind"] == "linear"
    assert {t["score"]: Fraction(t["weight"]) for t in readiness["terms"]} == {
        "contemplation": 1, "action": 1, "maintenance": 1, "precontemplation": -1}


def test_urica_item_provenance_equals_the_reference():
    sources = {s["id"]: s["kind"] for s in data_of("urica")["sources"]}
    assert sources["U"] == "licensor_form"
    items = {item["number"]: item for item in data_of("urica")["items"]}
    for row in urica_rows():
        number, text, status = int(row[0]), row[1], row[3]
        assert set(items[number]["checked_against"]) == provenance(text, status), f"URICA item {number}: {status}"


# --- WAI-SR -------------------------------------------------------------------------------

def wai_rows() -> list[list[str]]:
    rows = table("### 2.7 Items", "On the brief's note")
    assert len(rows) == 12
    return rows


def test_wai_sr_item_texts_equal_the_reference_with_the_blank_as_a_placeholder():
    items = items_of("wai_sr")
    assert {n: text.replace("{practitioner}", BLANK) for n, text in items.items()} == \
        {int(r[0]): r[1] for r in wai_rows()}
    # The token stands exactly where the reference has the blank, and nowhere else.
    assert {n for n, text in items.items() if "{practitioner}" in text} == \
        {int(r[0]) for r in wai_rows() if BLANK in r[1]} == {3, 4, 5, 6, 7, 8, 9, 11}
    assert not any("{" in text.replace("{practitioner}", "") for text in items.values())


def test_wai_sr_scale_equals_the_reference():
    assert labels_of("wai_sr") == reference_scale("### 2.6 Response scale", "Capitalisation")


def test_wai_sr_instructions_were_not_retrieved():
    assert "NOT RETRIEVED" in section("### 2.5 Instructions", "### 2.6")
    instructions = data_of("wai_sr")["instructions"]
    assert instructions["text"] is None and instructions["status"] == "not_retrieved"


def test_wai_sr_keys_equal_the_reference():
    rules = rules_of("wai_sr")
    for subscale in ("goal", "task", "bond"):
        assert set(rules[subscale]["items"]) == {int(r[0]) for r in wai_rows() if r[2].lower() == subscale}
    keys = re.search(r"Task ([\d, ]+); Goal ([\d, ]+); Bond ([\d, ]+)\.", section("### 2.7", "### 2.8"))
    assert [set(rules[s]["items"]) for s in ("task", "goal", "bond")] == [numbers(keys[i]) for i in (1, 2, 3)]


def test_wai_sr_practitioner_substitution_is_recorded_as_an_adaptation():
    [placeholder] = data_of("wai_sr")["placeholders"]
    assert placeholder["token"] == "practitioner"
    assert placeholder["substitution"] == {"text": "my case manager", "sentence_start": "My case manager"}
    assert 'e.g. "my case manager"' in section("### 2.4", "### 2.5")
    assert "underlined blank where the therapist's name goes" in placeholder["form_shows"].lower()
    assert "underlined blank where the therapist's name goes" in section("### 2.4", "### 2.5")
    assert "adaptation" in placeholder["adaptation"].lower()


def test_wai_sr_item_provenance_equals_the_reference():
    items = {item["number"]: item for item in data_of("wai_sr")["items"]}
    for row in wai_rows():
        number, text, status = int(row[0]), row[1], row[3]
        assert set(items[number]["checked_against"]) == provenance(text, status), f"WAI-SR item {number}: {status}"


# --- SWEMWBS ------------------------------------------------------------------------------

def test_swemwbs_item_texts_equal_the_reference():
    rows = table("### 3.5 Items", "Items carry no final")
    assert len(rows) == 7
    assert items_of("swemwbs") == {int(r[0]): r[1] for r in rows}
    assert "four independent public implementations" in section("### 3.5", "### 3.6")
    assert all(len(item["checked_against"]) == 4 for item in data_of("swemwbs")["items"])


def test_swemwbs_scale_and_stem_equal_the_reference():
    assert labels_of("swemwbs") == reference_scale("### 3.4 Stem", "`[our note]`")
    stem = data_of("swemwbs")["instructions"]
    assert stem["text"] == quoted("### 3.4 Stem")
    assert "tick the box" in stem["text"] and stem["status"] == "verified"


def test_swemwbs_conversion_table_equals_the_reference_character_for_character():
    reference_table = {}
    for row in table("**Raw → metric conversion table", "Checks on the table"):
        for raw, metric in zip(row[0::2], row[1::2]):
            if raw:
                reference_table[raw] = metric
    assert len(reference_table) == 29
    metric = rules_of("swemwbs")["metric"]
    assert (metric["kind"], metric["from"]) == ("lookup", "raw")
    assert {str(k): v for k, v in metric["table"].items()} == reference_table


def test_swemwbs_change_thresholds_equal_the_reference():
    text = section("### 3.7", "### 3.8")
    [change] = data_of("swemwbs")["scoring"]["change"]
    assert change["score"] == "metric"
    assert change["reliable_change"]["sem"] == re.search(r"`rci_sem = ([\d.]+)`", text)[1] == "1.03"
    assert change["reliable_change"]["z"] == re.search(r"≥ ([\d.]+) × 1\.4566", text)[1] == "1.96"
    assert change["meaningful_change"]["points"] == re.search(r"`meaningful_change_points = ([\d.]+)`", text)[1]
    assert "Shah" in change["reliable_change"]["source"] and "Shah" in change["meaningful_change"]["source"]


# --- all three ----------------------------------------------------------------------------

REVERSE_KEY_STATEMENTS = {
    "urica": ("### 1.6 Items", "### 1.7", "No item is reverse-keyed."),
    "wai_sr": ("### 2.7 Items", "### 2.8", "No item is reverse-keyed in any retrieved WAI-SR source."),
    "swemwbs": ("### 3.5 Items", "### 3.6", "no reverse keys"),
}


@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
def test_reverse_keys_equal_the_reference(instrument):
    start, end, statement = REVERSE_KEY_STATEMENTS[instrument]
    assert statement in section(start, end), "The reference's reverse keying changed: update this test."
    assert {item["number"] for item in data_of(instrument)["items"] if item.get("reverse", False)} == set()


@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
def test_score_names_ranges_and_types_follow_the_contract(instrument):
    rows = contract_rows(instrument)
    rules = data_of(instrument)["scoring"]["scores"]
    assert [rule["name"] for rule in rules] == [row[1].strip("`") for row in rows]
    for rule, (_, _, definition, range_text, kind) in zip(rules, rows):
        assert tuple(decimal(v) for v in rule["range"]) == reference_range(range_text), rule["name"]
        assert rule.get("decimals", 0) == (2 if kind.startswith("decimal") else 0), rule["name"]
        summed = re.fullmatch(r"sum of items (.+)", definition)
        if summed:
            assert rule["kind"] == "sum" and set(rule["items"]) == numbers(summed[1]), rule["name"]


@pytest.mark.parametrize("instrument", INSTRUMENT_IDS)
def test_no_score_prorates_because_no_source_gives_a_rule(instrument):
    for rule in data_of(instrument)["scoring"]["scores"]:
        if rule["kind"] in ("sum", "mean"):
            assert "min_answered" not in rule["missing"] and not rule["missing"].get("prorate", False)


def test_only_swemwbs_has_a_change_rule():
    assert "Leave it unset until then" in section("### 1.8", "### 1.9")
    assert "no change score or RCI is needed" in section("### 2.9", "### 2.10")
    assert "change" not in data_of("urica")["scoring"] and "change" not in data_of("wai_sr")["scoring"]


def test_sdps_has_no_definition_because_its_items_were_not_retrieved():
    assert "**SDPS items are NOT RETRIEVED.**" in reference_text()
    assert not list(INSTRUMENTS.glob("sdps/*.yaml"))
    [sdps] = [e for e in yaml.safe_load((INSTRUMENTS / "expected.yaml").read_text(encoding="utf-8"))["instruments"]
              if e["id"] == "sdps"]
    assert "not retrievable" in sdps["missing"]


def test_verification_summaries_claim_no_more_than_the_reference():
    urica, wai_sr, swemwbs = (build_definition(data_of(i)) for i in INSTRUMENT_IDS)
    # Items 1–16 are compared with the URI CPRC form; 17–32 only with J, with S for 22, 25, 26, 27.
    assert verification_summary(urica) == ("URICA 1.0: 16 of 32 items checked against the licensor's form; "
                                           "4 against two or more other sources; 12 from a single source; "
                                           "instructions checked")
    assert verification_summary(wai_sr) == ("WAI-SR 1.0: 0 of 12 items checked against the licensor's form; "
                                            "11 against two or more other sources; 1 from a single source; "
                                            "instructions not retrieved")
    assert verification_summary(swemwbs) == ("SWEMWBS 1.0: 0 of 7 items checked against the licensor's form; "
                                             "7 against two or more other sources; instructions checked")
