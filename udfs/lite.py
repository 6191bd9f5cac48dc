"""xlwings Lite (Microsoft 365 / Excel on the web, no local Python): the registry as custom functions.

Use it as a Lite workbook's ``main.py`` (``from udfs.lite import *``; with the ribbon pipeline's
scripts as well: ``from addin.excel.lite import *``). Every registry function is registered twice:

* under its English alias, id = display name = ``JX_EXEC_RATE``;
* under its Chinese name for display (``预算执行率``) with an ASCII id (``JX_EXEC_RATE_ZH``) —
  Office.js custom-function ids must be ASCII, display names need not, but need at least 3
  characters: 占比 and 总分 are 占比率 and 指标总分 under Lite (``LITE_NAMES``).

Descriptions and argument docs are the registry's Chinese text; Chinese functions take Chinese
parameter names (shown in Excel's IntelliSense). Ranges come in as 2-D lists and arrays go out, as
on the desktop (``udfs.excel``); an ``InputError`` becomes ``#VALUE! <中文原因>`` in its cell.

This module is a Lite entry point, not imported by ``udfs/__init__``; it needs xlwings but nothing
outside ``udfs``. The scripts that run the button pipeline (校验, 计算得分) are in ``addin.excel.lite``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .excel import call, param_names
from .registry import REGISTRY, FunctionSpec

try:   # the Lite/Server decorators (need xlwings' PRO part: Lite itself, or a noncommercial key)
    from xlwings.server import arg, func
except Exception:  # noqa: BLE001 - plain xlwings: the no-op decorators of `from xlwings import arg, func`
    from xlwings import arg, func

ZH_SUFFIX = "_ZH"
# Office.js custom-function names need at least 3 characters; the desktop names stay as they are.
LITE_NAMES = {"占比": "占比率", "总分": "指标总分"}


def display_name(spec: FunctionSpec) -> str:
    """The Chinese name Excel shows for ``spec`` under xlwings Lite."""
    return LITE_NAMES.get(spec.name, spec.name)


def lite_function(spec: FunctionSpec, chinese: bool) -> Callable[..., Any]:
    """One registered custom function for ``spec`` (Chinese display name or English alias)."""

    def fn(*args: Any) -> Any:
        return call(spec, *args)

    names = param_names(spec, chinese)
    fn.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
        inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          default=None if a.optional else inspect.Parameter.empty)
        for p, a in zip(names, spec.args, strict=True)])
    fn.__name__ = fn.__qualname__ = spec.alias + (ZH_SUFFIX if chinese else "")
    fn.__module__ = __name__
    fn.__doc__ = f"{spec.doc}。返回：{spec.returns}"
    for p, a in zip(names, spec.args, strict=True):
        fn = arg(p, ndim=2, doc=a.doc)(fn)
    return func(name=display_name(spec))(fn) if chinese else func(fn)


FUNCTION_IDS: dict[str, str] = {}     # Excel-facing name → ASCII id
for _spec in REGISTRY:
    for _chinese in (True, False):
        _fn = lite_function(_spec, _chinese)
        globals()[_fn.__name__] = _fn
        FUNCTION_IDS[display_name(_spec) if _chinese else _spec.alias] = _fn.__name__.upper()
del _spec, _chinese, _fn   # module members are scanned for registrations: no duplicates


__all__ = ["FUNCTION_IDS", *FUNCTION_IDS.values()]
