"""webapp.fertility imports the standard library and itself only (import-linter checks the same
in CI; this test keeps it true for anyone running pytest)."""

import ast
import sys
from pathlib import Path

import webapp.fertility

PACKAGE = Path(webapp.fertility.__file__).parent


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(0, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module or ""))
    return found


def test_every_fertility_module_imports_only_the_standard_library_or_its_own_package():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 10
    for path in modules:
        depth = len(path.relative_to(PACKAGE).parts) - 1  # how deep inside webapp.fertility
        for level, name in imported_modules(path):
            if level:
                assert level <= depth + 1, f"{path.name} reaches outside webapp.fertility: {'.' * level}{name}"
            else:
                top = name.split(".")[0]
                assert top == "__future__" or top in sys.stdlib_module_names or name.startswith(
                    "webapp.fertility"
                ), f"{path.name} imports {name}"
