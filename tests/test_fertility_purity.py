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


def test_every_journal_view_is_in_the_independence_contract():
    """A new view module must join import-linter's "no view imports another view" contract."""
    import tomllib

    import webapp.journal.views as views

    config = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    contract = next(
        c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "independence"
    )
    on_disk = {
        f"webapp.journal.views.{path.stem}"
        for path in Path(views.__file__).parent.glob("*.py")
        if not path.stem.startswith("_")
    }
    assert on_disk == set(contract["modules"])
