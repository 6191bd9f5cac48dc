"""The Excel add-in's first import: jixiao's own packages, whatever folder the workbook is in.

Before RunPython or the UDF server runs our code, xlwings puts the workbook's folder at the front
of ``sys.path`` (``xlwings.utils.prepare_sys_path``), and ``python -c`` adds the current folder.
A user's own ``addin/``, ``udfs/`` or ``workbook_templates/`` folder there would be imported
instead of ours. This module has a name no user folder is likely to have; importing it pins those
three package names to the folder this file was installed in (site-packages, or the source
checkout), drops any copy of them already imported from elsewhere, and leaves every other import
as it was.

Used by the add-in: the ribbon's ``RunPython "import jixiao_entry, addin.excel.macros; …"`` and
the worksheet functions' ``Py.CallUDF("jixiao_entry", "预算执行率", …)`` — this module hands out
the functions of ``udfs.excel`` by name.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from pathlib import Path

PACKAGES = ("addin", "udfs", "workbook_templates")
ROOT = Path(__file__).resolve().parent


class OwnPackages(importlib.abc.MetaPathFinder):
    """Finds ``addin``/``udfs``/``workbook_templates`` only in ``ROOT``; other names: not ours."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in PACKAGES:
            return importlib.machinery.PathFinder.find_spec(fullname, [str(ROOT)])
        return None


def _is_ours(module) -> bool:
    origin = getattr(module, "__file__", None)
    if origin is None:                      # namespace package: a folder without __init__.py
        return False
    try:
        return Path(origin).resolve().is_relative_to(ROOT / module.__name__.partition(".")[0])
    except (OSError, ValueError):
        return False


def pin() -> None:
    """Install the finder (once) and forget shadowing copies already imported."""
    for name in [n for n in sys.modules if n.partition(".")[0] in PACKAGES]:
        if not _is_ours(sys.modules[name]):
            del sys.modules[name]
    if not any(isinstance(f, OwnPackages) for f in sys.meta_path):
        sys.meta_path.insert(0, OwnPackages())


pin()


def __getattr__(name: str):
    """``Py.CallUDF("jixiao_entry", name, …)``: the worksheet function ``name`` of ``udfs.excel``."""
    if name.startswith("__"):
        raise AttributeError(name)
    from udfs import excel

    try:
        return getattr(excel, name)
    except AttributeError:
        raise AttributeError(f"jixiao 没有名为“{name}”的工作表函数") from None
