"""The core stays Qt-free and the UI stays SQL-free (DESIGN.md layers)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(folder: str) -> dict[str, set[str]]:
    found = {}
    for path in (ROOT / folder).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_core_never_imports_qt():
    offenders = [f for d in ("app", "models", "reports") for f, names in _imports(d).items() if "PySide6" in names]
    assert offenders == []


def test_ui_never_imports_sqlalchemy_or_models():
    offenders = [f for f, names in _imports("ui").items() if names & {"sqlalchemy", "models"}]
    assert offenders == []


def test_the_layering_check_sees_imports():
    # guard against a check that cannot fail: the UI does import PySide6, and the scan must see it
    assert any("PySide6" in names for names in _imports("ui").values())
