"""Read a 自评表 out of any workbook: our templates (by defined names) and the published layouts.

Works on grids (DESIGN.md idea 4). Tables are found by header keywords and synonyms, which are
data (``layouts/headers.json``); a layout file (``layouts/<id>.json``) only names the markers
that identify it. Readers fill *stated* values; scoring is the pipeline's job.

One module per concern: ``vocabulary`` (the JSON data), ``cells`` (one cell: text, numbers,
references, merged ranges), ``header_map`` (header rows → columns), ``layout`` (which published
layout), ``budget`` (funds block / 预算执行情况表), ``indicators`` (the 指标 table), ``row_roles``
(rows that are not indicators), ``project`` (项目名称、主管部门…), ``workbook`` (sheets → Evaluation).
"""

from __future__ import annotations

from .cells import _match, _norm_uncached, _ref, cell_text, excel_decimal, merged_anchor, merged_value, norm
from .header_map import find_indicator_header
from .layout import detect_layout
from .vocabulary import LAYOUT_DIR, headers, layouts
from .workbook import read_book, read_grids, read_grids_all, read_workbook, read_workbook_all

__all__ = [
    "LAYOUT_DIR", "_match", "_norm_uncached", "_ref", "cell_text", "detect_layout", "excel_decimal",
    "find_indicator_header", "headers", "layouts", "merged_anchor", "merged_value", "norm", "read_book",
    "read_grids", "read_grids_all", "read_workbook", "read_workbook_all",
]
