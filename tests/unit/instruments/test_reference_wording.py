"""Every item, scale label and instruction in the definitions equals the reference text.

The reference (../shared/reference/instruments.md) is parsed here independently of the
definitions, so one changed character in a YAML file fails this test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from survey_app.config import PROJECT_ROOT, instruments_dir
from survey_app.domain.catalogue import load_catalogue

# The reference sits beside the checkout on our machines; SURVEY_REFERENCE_DIR points elsewhere.
CANDIDATES = [Path(os.environ["SURVEY_REFERENCE_DIR"])] if os.environ.get("SURVEY_REFERENCE_DIR") else []
CANDIDATES += [PROJECT_ROOT.parent / "shared" / "reference", Path("/work/shared/reference")]
REFERENCE = next((d / "instruments.md" for d in CANDIDATES if (d / "instruments.md").exists()),
                 CANDIDATES[0] / "instruments.md")
pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason=f"reference instruments.md not found in {CANDIDATES}")
CATALOGUE = load_catalogue(instruments_dir())


def section(start: str, end: str) -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    return text[text.index(start):text.index(end, text.index(start))]


def table(start: str, end: str) -> list[list[str]]:
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in section(start, end).splitlines() if line.startswith("| ") and "---" not in line]
    return rows[1:]


def quoted(start: str) -> str:
    lines, started = [], False
    for line in section(start, "\n## ").splitlines()[1:]:
        if line.startswith(">"):
            started = True
            lines.append(line[1:].strip())
        elif started:
            break
    return "\n\n".join(" ".join(p.split()) for p in "\n".join(lines).split("\n\n") if p.strip())


def items_of(instrument: str) -> dict[int, str]:
    return {item.number: item.text for item in CATALOGUE.get(instrument).items}


def labels_of(instrument: str) -> list[tuple[int, str]]:
    [scale] = CATALOGUE.get(instrument).scales
    return [(p.value, p.label) for p in scale.points]


def test_urica_items_keys_and_scale():
    rows = table("### 1.6 Items", "**Action for developers:**")
    assert len(rows) == 32
    assert items_of("urica") == {int(r[0]): r[1] for r in rows}
    assert set(CATALOGUE.get("urica").unscored_items) == {int(r[0]) for r in rows if r[2] == "—"}
    definition = CATALOGUE.get("urica")
    names = {"PC": "precontemplation", "C": "contemplation", "A": "action", "M": "maintenance"}
    for code, name in names.items():
        assert set(definition.score_rule(name).items) == {int(r[0]) for r in rows if r[2] == code}
    assert not any(item.reverse for item in definition.items)
    assert labels_of("urica") == [(int(v), label) for v, label in table("### 1.5 Response scale", "### 1.6")]


def test_urica_instructions():
    assert CATALOGUE.get("urica").instructions.text == quoted("### 1.4 Instructions")


def test_wai_sr_items_with_the_blank_as_a_placeholder():
    rows = table("### 2.7 Items", "On the brief's note")
    assert len(rows) == 12
    assert {n: text.replace("{practitioner}", "___") for n, text in items_of("wai_sr").items()} == \
        {int(r[0]): r[1] for r in rows}
    definition = CATALOGUE.get("wai_sr")
    for subscale in ("goal", "task", "bond"):
        assert set(definition.score_rule(subscale).items) == {int(r[0]) for r in rows if r[2].lower() == subscale}
    assert labels_of("wai_sr") == [(int(v), label) for v, label in table("### 2.6 Response scale", "Capitalisation")]
    assert definition.instructions.text is None and definition.instructions.status == "not_retrieved"


def test_wai_sr_substitution_is_recorded_as_an_adaptation():
    [placeholder] = CATALOGUE.get("wai_sr").placeholders
    assert placeholder.token == "practitioner"
    assert (placeholder.substitution, placeholder.substitution_sentence_start) == ("my case manager", "My case manager")
    assert "adaptation" in placeholder.adaptation.lower()


def test_swemwbs_items_scale_stem_and_conversion_table():
    rows = table("### 3.5 Items", "Items carry no final")
    assert items_of("swemwbs") == {int(r[0]): r[1] for r in rows}
    assert labels_of("swemwbs") == [(int(v), label) for v, label in table("### 3.4 Stem", "`[our note]`")]
    assert CATALOGUE.get("swemwbs").instructions.text == quoted("### 3.4 Stem")
    reference_table = {}
    for row in table("**Raw → metric conversion table", "Checks on the table"):
        for raw, metric in zip(row[0::2], row[1::2]):
            if raw:
                reference_table[int(raw)] = metric
    metric_rule = CATALOGUE.get("swemwbs").score_rule("metric")
    assert {raw: f"{float(value):.2f}" for raw, value in metric_rule.table} == reference_table
    assert len(reference_table) == 29


def test_verification_summary_matches_the_reference_status():
    from survey_app.domain.verification import verification_summary

    assert verification_summary(CATALOGUE.get("urica")).startswith(
        "URICA 1.0: 16 of 32 items checked against the licensor's form")
    assert verification_summary(CATALOGUE.get("wai_sr")).endswith("instructions not retrieved")
