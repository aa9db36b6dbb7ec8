"""Whether a version may be used, and how its checking is described."""

from __future__ import annotations

from survey_app.domain.instruments import build_definition
from survey_app.domain.verification import confirmation_required, usable, verification_summary
from tests.unit.domain.fixtures import tiny


def definition(**changes):
    return build_definition(tiny(**changes), content_sha256="abc123")


def test_unconfirmed_wording_is_usable_only_in_demo_and_development():
    version = definition()
    assert not confirmation_required("demo") and not confirmation_required("development")
    assert confirmation_required("production")
    assert usable(version, confirmation_required("demo"), set())
    assert usable(version, confirmation_required("development"), set())
    assert not usable(version, confirmation_required("production"), set())


def test_a_confirmation_counts_only_for_the_exact_text_it_was_given_for():
    version = definition()
    assert usable(version, True, {"abc123"})
    assert not usable(version, True, {"a-hash-of-other-text"})


def test_summary_counts_items_by_their_strongest_source():
    assert verification_summary(definition()) == (
        "TINY 1.0: 2 of 5 items checked against the licensor's form; 2 from a single source; 1 unchecked; "
        "instructions checked")
    data = tiny()
    data["instructions"] = {"text": None, "status": "not_retrieved"}
    for item in data["items"]:
        item["checked_against"] = ["P"]
    assert verification_summary(build_definition(data)) == (
        "TINY 1.0: 0 of 5 items checked against the licensor's form; 5 from a single source; "
        "instructions not retrieved")
