"""The README's promise that one broken instrument file never stops the rest, tested by fuzzing:
a draft definition or a translation mutated at random (a hostile value anywhere, deep nesting,
numbers thousands of digits long, bad YAML, cut short, not UTF-8) is left out with a problem,
while `survey instruments list`, `survey score` and the questionnaire pages go on working."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, strategies as st

from survey_app.cli import main
from survey_app.config import instruments_dir
from survey_app.domain.catalogue import load_catalogue
from tests.factories import create_person_who_agreed
from tests.helpers import fuzz_examples, fuzz_seeds, run_seeded

EXAMPLES = fuzz_examples(6)
PUBLISHED = {"swemwbs/1.0", "urica/1.0", "wai_sr/1.0"}
SWEMWBS_ANSWERS = json.dumps({str(n): 3 for n in range(1, 8)})

DEEPLY_NESTED: list = []
for _ in range(200):
    DEEPLY_NESTED = [DEEPLY_NESTED]

HOSTILE_VALUES = st.one_of(
    st.integers(), st.sampled_from([2 ** 31, 2 ** 63, -2 ** 63, 10 ** 4000, 0, -1]),
    st.floats(), st.text(max_size=40), st.sampled_from(["", "\x00", "a" * 5000, "{link}", "%(x)s", "<script>"]),
    st.none(), st.booleans(), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=4),
                                                                                   st.integers(), max_size=2),
    st.just(DEEPLY_NESTED),
)
HOSTILE_TEXTS = st.sampled_from([
    "a: " + "[" * 5000 + "]" * 5000,
    "items: " + "- " * 3000 + "x",
    "version: " + "9" * 5000,
    "title: [unclosed",
    "a: &a [1, 2]\nb: [*a, *a, *a, *a]\n",
    "\x00",
    "",
    "just text",
])


def leaf_paths(data, path=()):
    """Every place in a parsed file, to put a hostile value."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaf_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaf_paths(value, (*path, index))


def replaced(data, path, value):
    if not path:
        return value
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[path[0]] = replaced(data[path[0]], path[1:], value)
    return copy


def mutated_files(original: str, renamed: dict):
    """Strategies for the text of a broken version of `original` (given the changes in `renamed`
    first, so it is a new draft rather than a changed published file)."""
    base = {**yaml.safe_load(original), **renamed}
    paths = list(leaf_paths(base))
    dumped = yaml.safe_dump(base, allow_unicode=True, sort_keys=False)
    one_value = st.builds(lambda path, value: yaml.safe_dump(replaced(base, path, value), allow_unicode=True),
                          st.sampled_from(paths), HOSTILE_VALUES)
    cut_short = st.integers(0, len(dumped)).map(lambda end: dumped[:end])
    spliced = st.tuples(st.integers(0, len(dumped)), st.text(max_size=20)).map(
        lambda cut: dumped[:cut[0]] + cut[1] + dumped[cut[0]:])
    return st.one_of(one_value, one_value, cut_short, spliced, HOSTILE_TEXTS)


@pytest.fixture
def instruments(app, tmp_path, monkeypatch):
    root = tmp_path / "instruments"
    shutil.copytree(instruments_dir(), root)
    monkeypatch.setitem(app.config, "SURVEY_INSTRUMENTS_DIR", str(root))
    return root


def still_works(app, client, root, questions: str) -> None:
    catalogue = load_catalogue(root)
    assert PUBLISHED <= set(catalogue.published)
    env = {"SURVEY_INSTRUMENTS_DIR": str(root)}
    listed = CliRunner().invoke(main, ["instruments", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    scored = CliRunner().invoke(main, ["score", "swemwbs", "--responses", SWEMWBS_ANSWERS], env=env)
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.stdout)["scores"]["raw"] == 21
    app.extensions.pop("instrument_catalogue", None)  # load the folder again, as a new process would
    page = client.get(questions)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]


@pytest.mark.parametrize("seed", fuzz_seeds())
@pytest.mark.parametrize("kind", ["definition", "translation"])
def test_a_broken_file_never_stops_the_rest(app, client, instruments, kind, seed):
    _record_id, made = create_person_who_agreed(app, "victim_survivor")
    questions = f"/q/{made.token}/questions/swemwbs/1"
    assert client.get(f"/q/{made.token}").status_code in (200, 302)
    folder = instruments / "swemwbs"
    if kind == "definition":
        strategy = mutated_files((folder / "1.0.yaml").read_text(encoding="utf-8"), {"version": "9.0"})
        targets = st.just(folder / "9.0.yaml")
    else:
        strategy = mutated_files((folder / "1.0.ur.yaml").read_text(encoding="utf-8"), {"language": "fa"})
        targets = st.sampled_from([folder / "1.0.fa.yaml", folder / "1.0.ur.yaml"])

    @given(text=strategy, target=targets, as_bytes=st.booleans())
    def check(text, target, as_bytes):
        if as_bytes:
            target.write_bytes(text.encode("utf-16"))  # not UTF-8
        else:
            target.write_text(text, encoding="utf-8")
        still_works(app, client, instruments, questions)

    run_seeded(check, seed, EXAMPLES)
