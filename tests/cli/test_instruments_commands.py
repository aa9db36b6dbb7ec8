"""`survey instruments list|validate|publish|confirm`, as an admin runs them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from survey_app.cli import main
from survey_app.store.instruments import WordingConfirmation
from tests.unit.domain.fixtures import make_root, tiny, write


@pytest.fixture
def root(tmp_path, monkeypatch, app):
    root = make_root(tmp_path)
    monkeypatch.setenv("SURVEY_INSTRUMENTS_DIR", str(root))
    monkeypatch.setitem(app.config, "SURVEY_INSTRUMENTS_DIR", str(root))
    (root / "expected.yaml").write_text(
        "instruments:\n"
        "  - {id: tiny, title: Tiny, audience: victim_survivor, timepoints: [T1]}\n"
        "  - {id: gone, title: Gone, audience: victim_survivor, timepoints: [T2],\n"
        "     missing: Its items were not retrievable.}\n", encoding="utf-8")
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_passes_a_good_file_and_fails_a_broken_one(root):
    good = write(root, "tiny/1.0.yaml", tiny())
    result = run("instruments", "validate", str(good))
    assert result.exit_code == 0, result.output
    assert "No problems found" in result.output

    broken = tiny()
    broken["items"][0]["scale"] = "agreed"
    write(root, "tiny/1.0.yaml", broken)
    result = run("instruments", "validate", str(good))
    assert result.exit_code == 1
    assert "instruments/tiny/1.0.yaml, line" in result.stderr
    assert "(items → item 1 → scale): 'agreed' is not one of the response scales" in result.stderr
    assert "1 problem(s) found. Nothing was changed." in result.stderr


def test_validate_without_paths_checks_the_whole_catalogue(root):
    write(root, "tiny/1.0.yaml", "title: [unclosed")
    result = run("instruments", "validate")
    assert result.exit_code == 1
    assert "instruments/tiny/1.0.yaml, line 1: The file cannot be read" in result.stderr


def test_publish_then_list_shows_verification_and_what_is_missing(root, app, monkeypatch):
    path = write(root, "tiny/1.0.yaml", tiny())
    published = run("instruments", "publish", str(path))
    assert published.exit_code == 0
    assert "Published tiny/1.0." in published.output

    listing = app.test_cli_runner().invoke(main, ["instruments", "list"])
    lines = listing.output.splitlines()
    assert lines[0] == ("TINY 1.0: 2 of 5 items checked against the licensor's form; 2 from a single source; "
                        "1 unchecked; instructions checked")
    assert lines[1] == "  for (ex-)partner victim-survivors at T1, T2; translations: none"
    assert "wording NOT yet confirmed against the licensed form" in lines[2]
    assert lines[3] == "GONE: MISSING, no published version. Its items were not retrievable."


def test_confirm_records_who_confirmed_which_exact_text(root, app):
    publish = run("instruments", "publish", str(write(root, "tiny/1.0.yaml", tiny())))
    assert publish.exit_code == 0
    cli = app.test_cli_runner()
    result = cli.invoke(main, ["instruments", "confirm", "tiny", "1.0", "--by", "A. Admin"])
    assert result.exit_code == 0, result.output
    with app.extensions["survey_sessions"]() as session:
        [row] = session.query(WordingConfirmation).all()
        assert (row.instrument_id, row.version, row.confirmed_by) == ("tiny", "1.0", "A. Admin")
        assert len(row.content_sha256) == 64
    listing = cli.invoke(main, ["instruments", "list"]).output
    assert "wording confirmed against the licensed form by A. Admin" in listing


def test_confirming_an_unpublished_version_is_refused(root, app):
    write(root, "tiny/1.0.yaml", tiny())
    result = app.test_cli_runner().invoke(main, ["instruments", "confirm", "tiny", "1.0", "--by", "A. Admin"])
    assert result.exit_code == 1
    assert "There is no published version 1.0 of 'tiny'." in result.output


def test_publish_refuses_a_broken_file_and_leaves_the_lock_alone(root):
    broken = tiny()
    del broken["scoring"]
    result = run("instruments", "publish", str(write(root, "tiny/1.0.yaml", broken)))
    assert result.exit_code == 1
    assert "'scoring' is missing here; it is required." in result.stderr
    assert not (root / "published.lock.json").exists()
