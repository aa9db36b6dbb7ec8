"""The three walls between the layers, read from the imports of every module.

- domain/ runs without a web framework or a database library, so it can be reused and read alone;
- services/ own each use case and its transaction, and know nothing of Flask;
- web/ parses, calls one service, and renders: it never touches the store or SQLAlchemy.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import survey_app

PACKAGE = Path(survey_app.__file__).parent
WALLS = {
    "domain": ("flask", "flask_babel", "flask_wtf", "sqlalchemy", "alembic", "werkzeug", "jinja2",
               "survey_app.store", "survey_app.web", "survey_app.services", "survey_app.extensions"),
    "services": ("flask", "flask_babel", "flask_wtf", "werkzeug", "jinja2", "survey_app.web",
                 "survey_app.extensions"),
    "web": ("sqlalchemy", "survey_app.store"),
}


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def offenders(layer: str) -> set[str]:
    forbidden = WALLS[layer]
    return {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in (PACKAGE / layer).rglob("*.py")
        for name in imported_modules(path)
        if any(name == bad or name.startswith(bad + ".") for bad in forbidden)
    }


@pytest.mark.parametrize("layer", sorted(WALLS))
def test_each_layer_imports_nothing_beyond_its_wall(layer):
    assert offenders(layer) == set()


def test_the_web_layer_never_commits_or_rolls_back():
    """Committing is the use case's job: a view that commits has taken part of it."""
    calls = {
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in (PACKAGE / "web").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"commit", "rollback", "flush", "execute", "scalars", "scalar"}
    }
    assert calls == set()


def test_the_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from flask import request\nimport sqlalchemy.orm\n")
    assert imported_modules(sample) == {"flask", "sqlalchemy.orm"}
