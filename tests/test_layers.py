"""Architecture rules, checked on the source: the faces (CLI, API, dashboard) never touch SQLAlchemy or the
tables, and Monitio's own modules are never imported inside `except ImportError` (a typo would make a
command group or the dashboard silently disappear)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "monitio"
FACES = ("cli", "api", "web")


def _imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _forbidden(module: str) -> bool:
    return module == "sqlalchemy" or module.startswith(("sqlalchemy.", "monitio.store.schema"))


def _violations(path: Path) -> list[str]:
    return sorted({m for m in _imports(ast.parse(path.read_text(encoding="utf-8"))) if _forbidden(m)})


def _face_modules():
    for face in FACES:
        yield from sorted((ROOT / face).rglob("*.py"))


@pytest.mark.parametrize("path", list(_face_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_faces_import_neither_sqlalchemy_nor_tables(path):
    rel = str(path.relative_to(ROOT))
    found = _violations(path)
    assert not found, f"{rel} imports {found}: call a function in monitio.services instead"


def test_the_rule_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from sqlalchemy import select\n    from monitio.store.schema_collab import cases\n")
    assert _violations(bad) == ["monitio.store.schema_collab", "sqlalchemy"]


def _guarded_monitio_imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        catches_import_error = any(
            h.type is not None
            and any(
                isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in ast.walk(h.type)
            )
            for h in node.handlers
        )
        if catches_import_error:
            found += [m for stmt in node.body for m in _imports(stmt) if m == "monitio" or m.startswith("monitio.")]
    for node in ast.walk(tree):  # contextlib.suppress(ImportError) around an import
        if isinstance(node, ast.With) and any(
            isinstance(item.context_expr, ast.Call)
            and any(
                isinstance(a, ast.Name) and a.id in ("ImportError", "ModuleNotFoundError")
                for a in item.context_expr.args
            )
            for item in node.items
        ):
            found += [m for stmt in node.body for m in _imports(stmt) if m == "monitio" or m.startswith("monitio.")]
    return found


@pytest.mark.parametrize("path", sorted(ROOT.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_monitio_modules_are_imported_plainly(path):
    found = _guarded_monitio_imports(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, f"{path.relative_to(ROOT)} hides a failing import of {found}; import it plainly"


def test_the_import_rule_catches_both_forms(tmp_path):
    src = (
        "import contextlib\n"
        "try:\n    from monitio.web.routes import mount\nexcept ImportError:\n    pass\n"
        "with contextlib.suppress(ImportError):\n    import monitio.cli.eval_cmd\n"
        "try:\n    import xlsxwriter\nexcept ImportError:\n    xlsxwriter = None\n"
    )
    assert _guarded_monitio_imports(ast.parse(src)) == ["monitio.web.routes", "monitio.cli.eval_cmd"]
