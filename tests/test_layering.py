"""DESIGN.md: dependencies point one way — addin → workbook_templates → udfs; udfs needs no Excel."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
FORBIDDEN = {"udfs": ("workbook_templates", "addin", "xlwings", "openpyxl"),
             "workbook_templates": ("addin",)}
# Modules that exist to bind the registry to xlwings (desktop / Lite) may import it.
XLWINGS_BINDINGS = {"udfs/excel.py", "udfs/lite.py"}


def _module_level_imports(path: Path) -> list[str]:
    """Imports executed when the module is imported (not those inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in tree.body:
        stmts = [node]
        if isinstance(node, (ast.If, ast.Try)):
            stmts = list(ast.walk(node))
        for st in stmts:
            if isinstance(st, ast.Import):
                names += [a.name for a in st.names]
            elif isinstance(st, ast.ImportFrom) and st.module and st.level == 0:
                names.append(st.module)
    return names


def test_dependencies_point_one_way():
    bad = []
    for package, forbidden in FORBIDDEN.items():
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            for name in _module_level_imports(path):
                top = name.split(".")[0]
                if top in forbidden and not (top == "xlwings" and rel in XLWINGS_BINDINGS):
                    bad.append(f"{rel} imports {name}")
    assert not bad, bad


def test_udfs_imports_without_excel_or_files():
    code = ("import sys, udfs; udfs.FUNCTIONS['预算执行率'](1, 2); "
            "print(sorted(m for m in ('xlwings', 'openpyxl', 'addin', 'workbook_templates') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_udfs_never_imports_the_layers_above_not_even_lazily():
    """The Lite scripts imported addin from udfs/lite.py inside functions (issue #14); they live
    in addin/excel/lite.py now — no import of addin or workbook_templates anywhere in udfs."""
    bad = []
    for path in (ROOT / "udfs").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
            bad += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in ("addin", "workbook_templates")]
    assert not bad, bad
