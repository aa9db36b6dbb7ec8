"""A small synthetic instrument for testing the loader and engine without a licensed text.

It exercises what the real instruments do not: prorating (which no published source here
allows), a reverse-keyed item, and a sum with a missing-item rule.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import yaml

from survey_app.config import PROJECT_ROOT

TINY = {
    "id": "tiny",
    "version": "1.0",
    "language": "en",
    "title": "Tiny test scale",
    "short_title": "TINY",
    "citation": ["Synthetic, for tests only."],
    "licence": {"summary": "Test data.", "permission_note": "None needed."},
    "audience": "victim_survivor",
    "timepoints": ["T1", "T2"],
    "sources": [{"id": "L", "title": "Licensor form", "kind": "licensor_form"},
                {"id": "P", "title": "A paper", "kind": "published_paper"}],
    "instructions": {"text": "Think about the last week.", "status": "verified", "checked_against": ["L"]},
    "scales": [{"id": "agree", "checked_against": ["L"],
                "points": [{"value": 1, "label": "Never"}, {"value": 2, "label": "Sometimes"},
                           {"value": 3, "label": "Often"}, {"value": 4, "label": "Always"}]}],
    "placeholders": [{"token": "helper", "form_shows": "a blank line",
                      "substitution": {"text": "my worker", "sentence_start": "My worker"},
                      "adaptation": "The study names the worker's role."}],
    "items": [
        {"number": 1, "id": "calm", "text": "I felt calm.", "scale": "agree", "checked_against": ["L", "P"]},
        {"number": 2, "id": "tense", "text": "I felt tense.", "scale": "agree", "reverse": True,
         "checked_against": ["L"]},
        {"number": 3, "id": "rested", "text": "I felt rested.", "scale": "agree", "checked_against": ["P"]},
        {"number": 4, "id": "listened", "text": "{helper} listened to me.", "scale": "agree",
         "checked_against": ["P"]},
        {"number": 5, "id": "practice", "text": "A practice question.", "scale": "agree", "checked_against": []},
    ],
    "scoring": {
        "unscored_items": [5],
        "scores": [
            {"name": "mood", "label": "Mood", "kind": "mean", "items": [1, 2, 3], "decimals": 2,
             "missing": {"min_answered": 2, "prorate": True, "source": "Synthetic rule"}, "range": ["1", "4"]},
            {"name": "support", "label": "Support", "kind": "sum", "items": [4], "missing": {"source": "None"}},
            {"name": "total", "label": "Total", "kind": "sum", "items": [1, 2, 3, 4],
             "missing": {"min_answered": 3, "prorate": True, "source": "Synthetic rule"}},
            {"name": "band", "label": "Band", "kind": "lookup", "from": "support", "decimals": 1,
             "table": {"1": "0.5", "2": "1.5", "3": "2.5", "4": "3.5"}},
            {"name": "balance", "label": "Balance", "kind": "linear", "decimals": 2,
             "terms": [{"score": "mood", "weight": "1"}, {"score": "band", "weight": "-1"}]},
        ],
        "change": [{"score": "total", "reliable_change": {"sd": "3", "reliability": "0.75", "source": "Synthetic"},
                    "meaningful_change": {"points": "2", "source": "Synthetic"}}],
    },
}

TINY_UR = {
    "translates": {"id": "tiny", "version": "1.0"},
    "language": "ur",
    "revision": 1,
    "status": "in_review",
    "instructions": "پچھلے ہفتے کے بارے میں سوچیں۔",
    "scales": {"agree": {"1": "کبھی نہیں", "2": "کبھی کبھی", "3": "اکثر", "4": "ہمیشہ"}},
    "items": {"1": "میں پرسکون تھا۔", "2": "میں تناؤ میں تھا۔", "3": "میں نے آرام کیا۔",
              "4": "{helper} نے میری بات سنی۔", "5": "ایک مشق کا سوال۔"},
    "placeholders": {"helper": {"text": "میرا کارکن", "sentence_start": "میرا کارکن"}},
}


def tiny(**changes) -> dict:
    data = copy.deepcopy(TINY)
    data.update(changes)
    return data


def tiny_ur(**changes) -> dict:
    data = copy.deepcopy(TINY_UR)
    data.update(changes)
    return data


def make_root(tmp_path: Path) -> Path:
    """An empty instruments/ folder with the real schemas."""
    root = tmp_path / "instruments"
    root.mkdir()
    shutil.copytree(PROJECT_ROOT / "instruments" / "schema", root / "schema")
    return root


def write(root: Path, relative: str, data: dict | str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path
