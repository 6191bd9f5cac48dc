"""Excel desktop bindings (classic xlwings) generated from ``udfs.REGISTRY``.

Every registry function is exposed twice — under its Chinese name (``预算执行率``) and its English
alias (``JX_EXEC_RATE``) — as a module attribute decorated with ``@xw.func(category="绩效评价")``
and ``@xw.arg(<arg>, ndim=2, doc=<Chinese doc>)``. The add-in's VBA wrappers
(``addin/excel/xlam.py`` generates them) call these through ``Py.CallUDF("udfs.excel", <name>, …)``.

Conventions (the same for the xlwings Lite bindings in ``udfs.lite``):

* Ranges come in as 2-D lists; a 1×1 argument is a scalar and is broadcast, so
  ``=指标得分(G14:G40,E14:E40,F14:F40)`` is one call that spills a column.
* Decimal → float, blank/None → "" (xlwings writes "" as an empty cell).
* Errors: an ``InputError`` — for the whole call or for one element of a range — becomes the text
  ``"#VALUE! <中文原因>"`` in that cell of the result (``ERROR_PREFIX``). Classic xlwings has no
  way for Python to hand back a native Excel error value (pywin32 returns plain Variants and the
  stock wrapper shows ``Err.Description``, i.e. a Python traceback), so the VBA wrapper of the
  add-in post-processes the result: ``JxErrors`` turns every ``#VALUE! …`` element into
  ``CVErr(xlErrValue)`` — errors propagate into totals as Excel users expect — and keeps the
  reason per cell, readable with ``=错误原因(单元格)`` (``JX_ERROR_REASON``). Called from plain
  Python (tests, xlwings Lite) the marker text itself carries the reason.

xlwings is imported lazily-optional: on Linux ``xw.func``/``xw.arg`` are no-ops, so the module
records the same metadata itself in ``SPECS`` (name → (FunctionSpec, Python parameter names)).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .errors import InputError
from .registry import CATEGORY, FUNCTIONS, REGISTRY, FunctionSpec

ERROR_PREFIX = "#VALUE! "
UDF_MODULE = "udfs.excel"

try:  # optional: the functions work (and are tested) without xlwings
    import xlwings as _xw
except ImportError:  # pragma: no cover - xlwings is a dependency, but udfs must not need it
    _xw = None


def error_text(exc: BaseException) -> str:
    """The cell text for an error: ``#VALUE! <reason>``."""
    return f"{ERROR_PREFIX}{exc}"


def to_cell(x: Any) -> Any:
    """One result element for Excel: Decimal → float, None → "", InputError → ``#VALUE! 原因``."""
    if x is None:
        return ""
    if isinstance(x, BaseException):
        return error_text(x)
    if isinstance(x, Decimal):
        return float(x)
    return x


def to_excel(result: Any) -> Any:
    """A whole result: scalars stay scalars, 1-D lists become a column, 2-D stays 2-D."""
    if isinstance(result, (list, tuple)):
        rows = list(result)
        if rows and all(isinstance(r, (list, tuple)) for r in rows):
            return [[to_cell(v) for v in r] for r in rows]
        return [[to_cell(v)] for v in rows]
    return to_cell(result)


def _from_excel(x: Any, is_range: bool) -> Any:
    """Excel argument → registry argument: 1×1 ranges become scalars (so they broadcast)."""
    if isinstance(x, (list, tuple)) and not is_range:
        rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in x]
        if len(rows) == 1 and len(rows[0]) == 1:
            return rows[0][0]
        return rows
    return x


def call(spec: FunctionSpec, *args: Any) -> Any:
    """Call a registry function the way a worksheet does and convert the result for Excel."""
    args_list = [_from_excel(a, arg.is_range) for a, arg in zip(args, spec.args, strict=False)]
    while args_list and args_list[-1] in (None, "") and len(args_list) > sum(not a.optional for a in spec.args):
        args_list.pop()   # omitted optional argument → the function's default
    try:
        return to_excel(FUNCTIONS[spec.name](*args_list))
    except InputError as exc:
        return to_cell(exc)


def param_names(spec: FunctionSpec, chinese: bool) -> list[str]:
    """Python/VBA parameter names: Chinese for the Chinese function, ASCII for the alias."""
    return [a.name if chinese else a.alias for a in spec.args]


def make_udf(spec: FunctionSpec, name: str, chinese: bool) -> Callable[..., Any]:
    """A function named ``name`` with one positional parameter per registry argument."""

    def udf(*args: Any) -> Any:
        return call(spec, *args)

    params = [inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                default=None if a.optional else inspect.Parameter.empty)
              for p, a in zip(param_names(spec, chinese), spec.args, strict=True)]
    udf.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    udf.__name__ = udf.__qualname__ = name
    udf.__module__ = UDF_MODULE
    udf.__doc__ = f"{spec.doc}。返回：{spec.returns}"
    return udf


def decorate(f: Callable[..., Any], spec: FunctionSpec, chinese: bool,
             func: Callable[..., Any] | None = None, arg: Callable[..., Any] | None = None) -> Callable[..., Any]:
    """Apply xlwings' ``arg`` (ndim=2, Chinese doc) and ``func`` (category 绩效评价) decorators."""
    if func is None or arg is None:
        if _xw is None:
            return f
        func, arg = _xw.func, _xw.arg
    for p, a in zip(param_names(spec, chinese), spec.args, strict=True):
        f = arg(p, ndim=2, doc=a.doc)(f)   # registers f via xlfunc on Windows
    return func(category=CATEGORY)(f)      # last: xlfunc() resets the category


SPECS: dict[str, tuple[FunctionSpec, list[str]]] = {}
for _spec in REGISTRY:
    for _name, _chinese in ((_spec.name, True), (_spec.alias, False)):
        globals()[_name] = decorate(make_udf(_spec, _name, _chinese), _spec, _chinese)
        SPECS[_name] = (_spec, param_names(_spec, _chinese))

del _spec, _name, _chinese

__all__ = ["ERROR_PREFIX", "SPECS", "UDF_MODULE", "call", "decorate", "error_text", "make_udf", "to_cell",
           "to_excel", *SPECS]
