"""The domain code runs without a web framework or a database library, so it can be reused."""

from __future__ import annotations

import ast
from pathlib import Path

import survey_app.domain

FORBIDDEN = ("flask", "sqlalchemy", "alembic", "werkzeug", "jinja2", "survey_app.store", "survey_app.web",
             "survey_app.services")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_modules_import_no_framework_or_storage():
    domain = Path(survey_app.domain.__file__).parent
    offenders = {
        f"{path.name}: {name}"
        for path in domain.glob("*.py")
        for name in imported_modules(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    }
    assert offenders == set()


def test_the_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from flask import request\nimport sqlalchemy.orm\n")
    assert imported_modules(sample) == {"flask", "sqlalchemy.orm"}
