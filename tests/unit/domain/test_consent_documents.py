"""Consent documents: the shipped English texts, and what an admin sees when a file is wrong."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
import textstat
import yaml

from survey_app.config import consent_dir
from survey_app.domain import consent as rules
from survey_app.domain.consent_documents import PublishError, load_library, publish
from tests.helpers import original_data_folders

SHIPPED = consent_dir()
AUDIENCES = ("service_user", "victim_survivor")
# Words that would tell someone looking over a shoulder what the support is about.
NAMING = re.compile(r"abus|violen|perpetrat|victim|survivor|offend|domestic|coercive|controlling", re.IGNORECASE)


@pytest.fixture
def root(tmp_path) -> Path:
    """The English documents alone: a change to one is then the only thing any problem can be about."""
    return original_data_folders(tmp_path)[1]


def messages(library) -> list[str]:
    return [str(p) for p in library.problems]


def edit(root: Path, relative: str, change) -> Path:
    path = root / relative
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def readability(text: str) -> float:
    textstat.set_lang("en_GB")
    return textstat.flesch_kincaid_grade(text)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_shipped_documents_load_and_are_published_in_english(audience):
    library = load_library(SHIPPED)
    assert messages(library) == []
    document = library.current(audience, "en")
    assert document.version == "1.0" and library.version_order(audience) == ["1.0"]
    assert [s.id for s in document.statements] == list(rules.STATEMENTS)
    assert [r for r, _ in document.decline_reasons] == list(rules.DECLINE_REASONS)
    assert "{" not in str(document), "every placeholder is filled from study.yaml"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_english_texts_are_plain(audience, capsys):
    """Reading age about 9 means a Flesch-Kincaid grade of about 4 (grade + 5 = age)."""
    document = load_library(SHIPPED).current(audience, "en")
    layers = {"summary": document.summary.paragraphs,
              **{section.id: section.paragraphs for section in document.sections},
              "questions": [f"{s.question} {s.hint}" for s in document.statements]}
    grades = {name: readability(" ".join(texts)) for name, texts in layers.items()}
    whole = readability(" ".join(text for texts in layers.values() for text in texts))
    with capsys.disabled():
        print(f"\n{audience} Flesch-Kincaid grade: whole {whole:.1f}; " +
              ", ".join(f"{name} {grade:.1f}" for name, grade in grades.items()))
    assert whole <= 4.5
    assert grades["summary"] <= 4.0
    assert max(grades.values()) <= 5.0, grades


@pytest.mark.parametrize("audience", AUDIENCES)
def test_nothing_names_what_the_support_is_about(audience):
    document = load_library(SHIPPED).current(audience, "en")
    everything = [document.title, *document.summary.paragraphs, *document.information_sheet.paragraphs,
                  *(p for s in document.sections for p in (s.heading, *s.paragraphs)),
                  *(t for s in document.statements for t in (s.question, s.hint)),
                  *(label for _, label in document.decline_reasons)]
    assert [text for text in everything if NAMING.search(text)] == []
    first_seen = [document.title, document.summary.heading, *document.summary.paragraphs]
    assert not any(re.search(r"harm|partner|police|court", text, re.IGNORECASE) for text in first_seen)


TRANSLATED = [(audience, language) for audience in AUDIENCES for language in ("ur", "ar")]
# The same words in the shipped translations (abuse, violence, victim, survivor, offender, domestic),
# and what the first layer must not mention (partner, police, court, harm).
NAMING_IN = {"ur": re.compile(r"تشدد|زیادتی|بدسلوکی|ظلم|متاثرہ|مجرم|گھریلو"),
             "ar": re.compile(r"عنف|إساءة|ضحية|معتد[يى]|ناج[يى]|منزلي")}
FIRST_SEEN_IN = {"ur": re.compile(r"ساتھی|پولیس|عدالت|نقصان"), "ar": re.compile(r"شريك|شرطة|محكم|ضرر")}


def _every_text(document) -> list[str]:
    return [document.title, *document.summary.paragraphs, *document.information_sheet.paragraphs,
            *(p for s in document.sections for p in (s.heading, *s.paragraphs)),
            *(t for s in document.statements for t in (s.question, s.hint)),
            *(label for _, label in document.decline_reasons)]


def _paragraph_counts(document) -> list[int]:
    return [len(block.paragraphs) for block in (document.summary, document.information_sheet, *document.sections)]


@pytest.mark.parametrize("audience, language", TRANSLATED)
def test_the_urdu_and_arabic_documents_are_published_with_every_paragraph_and_placeholder(audience, language):
    library = load_library(SHIPPED)
    english, translated = (library.published[f"{audience}/1.0/{code}"] for code in ("en", language))
    assert language in library.languages(audience)
    assert _paragraph_counts(translated) == _paragraph_counts(english)
    assert [re.findall(r"{\w+}", text) for text in _every_text(translated)] == \
        [re.findall(r"{\w+}", text) for text in _every_text(english)]
    assert all(re.search(r"[\u0600-\u06FF]", text) for text in _every_text(translated)), "written in Arabic script"


@pytest.mark.parametrize("audience, language", TRANSLATED)
def test_nothing_in_the_urdu_and_arabic_documents_names_what_the_support_is_about(audience, language):
    document = load_library(SHIPPED).current(audience, language)
    assert [text for text in _every_text(document) if NAMING_IN[language].search(text)] == []
    first_seen = [document.title, document.summary.heading, *document.summary.paragraphs]
    assert [text for text in first_seen if FIRST_SEEN_IN[language].search(text)] == []


def test_the_summary_says_what_why_how_long_choice_and_who_sees():
    summary = " ".join(load_library(SHIPPED).current("service_user", "en").summary.paragraphs)
    for needed in ("questions", "help", "minutes", "your choice", "support stays the same", "sees your answers"):
        assert needed in summary


def test_a_changed_published_document_is_refused_and_the_other_still_loads(root):
    edit(root, "service_user/1.0/en.yaml", lambda d: d["summary"]["paragraphs"].append("A new sentence."))
    library = load_library(root)
    assert library.current("service_user", "en") is None
    assert library.current("victim_survivor", "en") is not None
    [problem] = messages(library)
    assert problem.startswith("consent/service_user/1.0/en.yaml, line 1: service_user/1.0/en has already been published")


def test_an_unknown_placeholder_is_named_with_its_line(root):
    edit(root, "victim_survivor/1.0/en.yaml",
         lambda d: d["sections"][5]["paragraphs"].append("Ring {helpline_number}."))
    [problem] = messages(load_library(root))
    assert re.match(r"consent/victim_survivor/1\.0/en\.yaml, line \d+ \(.*\): Curly brackets are only for", problem)
    assert "helpline_number" in problem


@pytest.mark.parametrize("change, expected", [
    (lambda d: d["sections"].pop(3), "The sections must be, in this order and once each"),
    (lambda d: d["statements"].pop("link_partner"), "link_partner"),
    (lambda d: d.update(version="1.1"), "The file is at service_user/1.0/en.yaml but says it is service_user/1.1/en.yaml"),
    (lambda d: d["decline_reasons"].update(other=""), "decline_reasons"),
])
def test_broken_documents_are_reported_and_not_offered(root, change, expected):
    edit(root, "service_user/1.0/en.yaml", change)
    library = load_library(root)
    assert library.current("service_user", "en") is None
    assert any(expected in message for message in messages(library)), messages(library)


def test_a_study_can_never_require_linkage(root):
    edit(root, "study.yaml", lambda d: d.update(required_statements=["questionnaires", "link_partner"]))
    library = load_library(root)
    assert any("Linking answers with a partner's can never be required" in m for m in messages(library))
    assert library.study.consent.required == frozenset({"questionnaires"}), "falls back to the safest setting"


def _new_version(root: Path, material: bool) -> None:
    edit(root, "service_user/versions.yaml", lambda d: d["versions"].append(
        {"version": "1.1", "material": material, "changes": "Test change."}))
    (root / "service_user" / "1.1").mkdir()
    source = yaml.safe_load((root / "service_user/1.0/en.yaml").read_text(encoding="utf-8"))
    source["version"] = "1.1"
    source["summary"]["paragraphs"][0] += " Thank you."
    (root / "service_user/1.1/en.yaml").write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")


def _gate_after_consent_to_1_0(library) -> rules.Gate:
    given = rules.ConsentEvent(rules.GIVEN, datetime(2026, 11, 1, tzinfo=timezone.utc), "1.0",
                               (("questionnaires", True),))
    return rules.gate([given], library.study.consent, library.material_versions("service_user"),
                      library.version_order("service_user"))


@pytest.mark.parametrize("material, may_answer", [(True, False), (False, True)])
def test_a_material_new_version_asks_again_and_a_typo_fix_does_not(root, material, may_answer):
    _new_version(root, material)
    library = load_library(root)
    assert "service_user/1.1/en" in library.drafts
    assert _gate_after_consent_to_1_0(library).may_answer, "a draft changes nothing"
    assert publish(root / "service_user/1.1/en.yaml", root) == "service_user/1.1/en"
    library = load_library(root)
    assert library.current("service_user", "en").version == "1.1"
    assert _gate_after_consent_to_1_0(library).may_answer is may_answer


def test_a_version_missing_from_versions_yaml_cannot_be_published(root):
    _new_version(root, True)
    edit(root, "service_user/versions.yaml", lambda d: d["versions"].pop())
    with pytest.raises(PublishError, match="Version 1.1 is not listed in service_user/versions.yaml"):
        publish(root / "service_user/1.1/en.yaml", root)


def test_broken_yaml_names_the_file(root):
    (root / "victim_survivor/1.0/en.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    assert any(m.startswith("consent/victim_survivor/1.0/en.yaml") for m in messages(load_library(root)))
