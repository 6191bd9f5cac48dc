"""The 自评表 the reader pins build on (tests/test_pinned_reader*.py): the 财预〔2020〕10号 附件1 table
as 廊坊市食品工程学校 published it (2019), http://www.lfsp.cn/newsinfo/1158053.html — see
``published_tables.langfang_annex1`` for what the stored opening holds and what was completed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests import published_tables as pt

Row = list[Any]

ANNEX_HEADER: Row = [None, "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                     "偏差原因分析及改进措施"]


def annex1(path: Path, *, top: list[Row] | None = None, funds: list[Row] | None = None,
           header: Row | None = None, indicators: list[Row] | None = None, total: Row | None = None,
           merges: list[str] | None = None, formats: dict[str, str] | None = None) -> Path:
    """The 附件1 自评表 of 廊坊市食品工程学校 (2019; lfsp.cn, see the module docstring), trimmed to the
    parts a test changes: title rows, the 项目资金 block (43.2 / 43.2 / 37.24 万元, 执行率 86%,
    得分 9), the indicator header and rows, the 总分 row."""
    top = top if top is not None else [
        ["附件1"], ["项目支出绩效自评表"], ["（2019年度）"],
        ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"],
        ["主管部门", "廊坊市发改委", None, None, None, "实施单位", "廊坊市食品工程学校"],
    ]
    funds = funds if funds is not None else [
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", 43.2, 43.2, 37.24, 10, 0.86, 9],
        [None, "其中：当年财政拨款", 43.2, 43.2, 37.24],
    ]
    header = header if header is not None else ANNEX_HEADER
    indicators = indicators if indicators is not None else [
        [None, "产出指标", "数量指标", "工程资金金额", 43.2, 37.24, 40, 35],
        [None, None, "质量指标", "工程验收合格率", "100%", "100%", 20, 20],
        [None, "效益指标", "社会效益指标", "学校发展能力", "明显提升", "明显提升", 20, 20],
        [None, "满意度指标", "服务对象满意度指标", "学生满意度", "≥90%", "95%", 10, 10],
    ]
    total = total if total is not None else ["总分", None, None, None, None, None, 100, 94]
    rows = [*top, *funds, header, *indicators, total]
    return pt.write_book(path, {"自评表": rows}, merges={"自评表": merges or []},
                         formats={"自评表": formats or {}})


def honghe_unmerged(path: Path, cells: dict[str, Any] | None = None) -> Path:
    """The 云南 form of 红河州数据发展中心 (``published_tables.honghe_yunnan``) typed without merging its
    header rows (labels on row 8, row 9 holding 指标性质 / 指标值 / 度量单位), ``cells`` typed after."""
    import openpyxl

    pt.honghe_yunnan(path)
    wb = openpyxl.load_workbook(path)
    ws = wb["自评表"]
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row == 8:
            ws.unmerge_cells(str(rng))
    for ref, v in (cells or {}).items():
        ws[ref] = v
    wb.save(path)
    return path


def roles(ev) -> list[tuple[str, str | None]]:
    """(role, text) of every row the reader looked at, in order (the 识别记录)."""
    return [(r["role"], r["text"]) for r in ev.recognition.rows]



def hide_rows(path: Path, *rows: int, sheet: str = "自评表") -> Path:
    """Hide sheet rows (1-based) of a saved workbook, as a clerk hides last year's lines."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for r in rows:
        wb[sheet].row_dimensions[r].hidden = True
    wb.save(path)
    return path
