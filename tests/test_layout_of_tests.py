"""Tests share helpers through tests/helpers.py, tests/factories.py and conftest files, never by
importing another test module (which would run its tests twice and tie unrelated files together)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def imports_of_test_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
            if node.module.rsplit(".", 1)[-1].startswith(("test_", "conftest")):
                found.append(f"{path.relative_to(TESTS)}: {node.module}")
    return found


def test_no_test_module_imports_another():
    assert [hit for path in TESTS.rglob("*.py") for hit in imports_of_test_modules(path)] == []
