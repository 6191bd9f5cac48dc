"""xlwings Lite: the worksheet functions of ``udfs.lite`` plus two scripts that run the button
pipeline on the open workbook — ``jx_validate`` (校验) and ``jx_score`` (计算得分).

A Lite workbook's ``main.py``: ``from addin.excel.lite import *`` (functions and scripts; needs the
whole ``jixiao`` package in requirements.txt) or ``from udfs.lite import *`` (functions only).
"""

from __future__ import annotations

import xlwings as xw

from udfs.lite import *  # noqa: F403 - the registrations are module members Lite scans
from udfs.lite import FUNCTION_IDS

try:   # the Lite/Server decorator (needs xlwings' PRO part: Lite itself, or a noncommercial key)
    from xlwings.server import script
except Exception:  # noqa: BLE001 - plain xlwings: the no-op decorator of `from xlwings import script`
    from xlwings import script


@script(name="校验")
def jx_validate(book: xw.Book) -> None:
    """校验：问题写入“校验结果”工作表，并在单元格上标色、加批注。"""
    from . import macros

    macros.validate(book)


@script(name="计算得分")
def jx_score(book: xw.Book) -> None:
    """计算得分：规则得分填入空白得分单元格，并生成“计分结果”工作表。"""
    from . import macros

    macros.score(book)


__all__ = ["FUNCTION_IDS", "jx_score", "jx_validate", *FUNCTION_IDS.values()]
