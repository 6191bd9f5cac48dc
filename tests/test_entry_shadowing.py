"""A workbook's folder holding its own ``addin/``, ``udfs/`` or ``workbook_templates/`` cannot
shadow jixiao's packages in Excel. xlwings starts Python as
``python -B -c "import xlwings.utils;xlwings.utils.prepare_sys_path(\\"true;<workbook>;<add-in>;…\\"); <command>"``
(xlwings_custom_addin.bas, RunPython and the UDF server), which puts the workbook's folder first on
``sys.path``; the ribbon's commands start with ``import jixiao_entry`` and the worksheet functions
are called through ``Py.CallUDF("jixiao_entry", …)``. Run here the same way, in a folder holding
shadowing packages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHADOW = "raise ImportError('the user folder was imported: {}')\n"


@pytest.fixture()
def unit_folder(tmp_path):
    folder = tmp_path / "财务科 2021自评"
    for pkg in ("addin", "addin/excel", "udfs", "workbook_templates"):
        (folder / pkg).mkdir(parents=True)
        (folder / pkg / "__init__.py").write_text(SHADOW.format(pkg), encoding="utf-8")
    (folder / "addin" / "excel" / "macros.py").write_text(SHADOW.format("macros"), encoding="utf-8")
    (folder / "udfs" / "excel.py").write_text(SHADOW.format("udfs.excel"), encoding="utf-8")
    (folder / "自评表.xlsx").write_bytes(b"")
    return folder


def _as_excel_runs(folder: Path, command: str, *argv: str) -> subprocess.CompletedProcess:
    """``command`` run the way xlwings' VBA runs it, with the current folder = the workbook's."""
    args = f"true;{folder / '自评表.xlsx'};{folder.parent / 'XLSTART' / 'jixiao.xlam'};;;;"
    code = f"import xlwings.utils;xlwings.utils.prepare_sys_path({args!r}); {command}"
    return subprocess.run([sys.executable, "-B", "-c", code, *argv], cwd=folder, capture_output=True, text=True,
                          timeout=120)


def test_the_folder_would_shadow_without_the_entry_module(unit_folder):
    """Control: the setup really shadows — plain ``import addin.excel.macros`` gets the user's folder."""
    proc = _as_excel_runs(unit_folder, "import addin.excel.macros")
    assert proc.returncode != 0 and "the user folder was imported: addin" in proc.stderr


def test_ribbon_command_imports_our_packages(unit_folder):
    from addin.excel.xlam import ENTRY_MODULE

    proc = _as_excel_runs(unit_folder, f"import {ENTRY_MODULE}, addin.excel.macros; import udfs.excel, "
                                       "workbook_templates.reader, sys; "
                                       "print(addin.excel.macros.__file__); print(udfs.excel.__file__); "
                                       "print(workbook_templates.reader.__file__); print(sys.argv[1] in sys.path)", str(unit_folder))
    assert proc.returncode == 0, proc.stderr
    *files, on_path = proc.stdout.splitlines()
    assert all(Path(f).resolve().is_relative_to(ROOT) for f in files), files
    assert on_path == "True"          # the folder is still on sys.path: only our names are pinned


def test_worksheet_function_call_uses_our_udfs(unit_folder):
    """What the UDF server does for ``=预算执行率(1521.57,1600)``: import_module(module), getattr(name)."""
    from addin.excel.xlam import ENTRY_MODULE

    proc = _as_excel_runs(unit_folder, f"import importlib; m = importlib.import_module({ENTRY_MODULE!r}); "
                                       "print(getattr(m, '预算执行率')([[1521.57]], [[1600]])); "
                                       "print(getattr(m, 'JX_GRADE')([[91]]))")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0.951", "优"]


def test_shadow_already_imported_is_replaced(unit_folder):
    """Someone imported the folder's ``udfs`` before us (e.g. a user's own startup code)."""
    (unit_folder / "udfs" / "__init__.py").write_text("SHADOW = True\n", encoding="utf-8")
    proc = _as_excel_runs(unit_folder, "import udfs; assert udfs.SHADOW; import jixiao_entry, udfs; "
                                       "print(hasattr(udfs, 'SHADOW'), udfs.__file__)")
    assert proc.returncode == 0, proc.stderr
    shadowed, path = proc.stdout.split(maxsplit=1)
    assert shadowed == "False" and Path(path.strip()).resolve().is_relative_to(ROOT)
