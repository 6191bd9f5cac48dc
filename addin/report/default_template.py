"""The default report template (docxtpl / Jinja2), generated reproducibly with python-docx.

``write_default_template(path)`` writes the .docx a unit can copy and edit (``jixiao report
--write-template my.docx``); ``build_report`` uses it when no ``--template`` is given.
Variables: docs/report-template-variables.md. Structure follows the seeds' reports:
一、项目基本情况 / 二、绩效目标及完成情况 / 三、自评结论 / 四、偏离绩效目标的原因和改进措施 /
五、存在的问题及建议 / 附表.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm

from . import docx_format as fmt

APPENDIX_COLUMNS = [("一级指标", 17), ("二级指标", 17), ("三级指标", 25), ("分值", 9), ("年度指标值", 16),
                    ("实际完成值", 16), ("完成率", 17), ("得分", 13), ("偏差原因分析及改进措施", 26)]


def _p(doc, text: str = "", style: str = "Normal", align=None):
    p = doc.add_paragraph(style=style)
    if text:
        p.add_run(text)
    if align is not None:
        p.alignment = align
    return p


def _table(doc, header: list[tuple[str, float]], rows: list[list[str]], left: tuple[int, ...] = ()):
    """A grid table in 表格文字, header row repeated; ``rows`` are cell texts (Jinja tags allowed);
    columns in ``left`` are left-aligned below the header (long text)."""
    t = doc.add_table(rows=1 + len(rows), cols=len(header))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for ri, texts in enumerate([[h for h, _ in header], *rows]):
        for ci, text in enumerate(texts):
            cell = t.rows[ri].cells[ci]
            cell.width = Mm(header[ci][1])
            par = cell.paragraphs[0]
            par.style = doc.styles["表格文字"]
            if ri > 0 and ci in left:
                par.alignment = WD_ALIGN_PARAGRAPH.LEFT
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if text:
                run = par.add_run(text)
                run.bold = ri == 0
    fmt.table_cell_margins(t, Mm(1))
    for ci, (_, width) in enumerate(header):
        t.columns[ci].width = Mm(width)
    tblw = t._tbl.tblPr.find(qn("w:tblW"))
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(sum(Mm(w).twips for _, w in header))))
    fmt.repeat_header_row(t)
    return t


def _new_doc(title: str):
    doc = Document()
    fmt.page_setup(doc)
    fmt.setup_styles(doc)
    fmt.font_table_fallbacks(doc)
    fmt.add_page_number_footer(doc)
    fmt.core_properties(doc, title)
    return doc


def _sections(doc, items: list[tuple[str, str, str | None]]) -> None:
    """Headings each followed by its body paragraph (a variable), in order: (style, heading, body)."""
    for style, heading, body in items:
        _p(doc, heading, style)
        if body is not None:
            _p(doc, body)


def _note(doc, text: str):
    """A left-aligned 表注 paragraph under a table (注：…)."""
    p = _p(doc, text, "表注")
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.keep_with_next = False
    return p


def _save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _signature_then_appendix(doc) -> None:
    """落款 (unit, date) and the signature line (单位负责人/财务负责人/填表人), kept on the page of the
    last body paragraph (keep-with-next from that paragraph on); then 附表1 on a new page."""
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    _p(doc, "", "落款").paragraph_format.keep_with_next = True
    _p(doc, "{{ signature_unit }}", "落款").paragraph_format.keep_with_next = True
    _p(doc, "{{ report_date }}", "落款").paragraph_format.keep_with_next = True
    _p(doc, "{{ signature_line }}", "签字栏")
    brk = _p(doc, "", "附件标识")
    brk.add_run().add_break(WD_BREAK.PAGE)
    brk.add_run("附表1")


@lru_cache(maxsize=1)
def build_default_template() -> bytes:
    """The project report template (.docx bytes)."""
    doc = _new_doc("项目支出绩效自评报告")

    _p(doc, "{{ title }}", "Title")

    _p(doc, "一、项目基本情况", "Heading 1")
    _p(doc, "（一）项目概况", "Heading 2")
    _p(doc, "{{ overview }}")
    _p(doc, "（二）预算执行情况", "Heading 2")
    _p(doc, "{{ budget_sentence }}")
    _p(doc, "单位：万元", "表注")
    _table(doc, [("年初预算数", 26), ("全年预算数", 26), ("实际到位资金", 26), ("全年执行数", 26),
                 ("执行率", 26), ("结余", 26)],
           [["{{ budget.initial }}", "{{ budget.adjusted }}", "{{ budget.available }}", "{{ budget.executed }}",
             "{{ budget.rate }}", "{{ budget.balance }}"]])
    _sections(doc, [("Heading 2", "（三）项目资金管理情况", "{{ fund_management }}"),
                    ("Heading 2", "（四）项目组织实施情况", "{{ organisation }}"),
                    ("Heading 1", "二、自评工作开展情况", "{{ work_process }}"),
                    ("Heading 1", "三、绩效目标及完成情况", None),
                    ("Heading 2", "（一）总体目标完成情况", "{{ goal_actual }}")])
    _p(doc, "（二）各项指标完成情况", "Heading 2")
    _p(doc, "{%p if not indicator_groups %}")
    _p(doc, "自评表中未读到绩效指标。")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for g in indicator_groups %}")
    _p(doc, "{{ loop.index }}.{{ g.level1 }}（分值{{ g.weight }}分，得分{{ g.score }}分）", "正文三级标题")
    _p(doc, "{%p for s in g.subgroups %}")
    _p(doc, "（{{ loop.index }}）{{ s.level2 }}。{{ s.text }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p if chart %}")
    _p(doc, "{{ chart }}", "表格文字")
    _p(doc, "图1  各类指标得分率及预算执行情况", "图表题")
    _p(doc, "{%p endif %}")

    _p(doc, "四、自评结论", "Heading 1")
    _p(doc, "{{ conclusion }}")
    _p(doc, "表1  自评得分情况", "图表题")
    _table(doc, [("指标", 50), ("分值", 30), ("{{ score_label }}", 30), ("得分率", 30)],
           [["{%tr for r in score_rows %}", "", "", ""],
            ["{{ r.name }}", "{{ r.weight }}", "{{ r.score }}", "{{ r.rate }}"],
            ["{%tr endfor %}", "", "", ""],
            ["合计", "{{ weights_total }}", "{{ total_score }}", "{{ grade }}"]])
    _note(doc, "{{ score_note }}")

    _p(doc, "五、偏离绩效目标的原因和改进措施", "Heading 1")
    _p(doc, "{%p if deviations %}")
    _p(doc, "以下指标的实际完成值偏离年度指标值超过{{ deviation_threshold }}：")
    _p(doc, "{%p for d in deviations %}")
    _p(doc, "（{{ loop.index }}）{{ d.name }}：年度指标值{{ d.target }}，实际完成值{{ d.actual }}，"
            "偏离度{{ d.deviation }}。原因分析：{{ d.reason }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p elif deviation_checked %}")
    _p(doc, "{{ deviation_checked }}项定量指标的偏离度均未超过{{ deviation_threshold }}。")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if budget.low %}")
    _p(doc, "预算执行率{{ budget.rate }}，低于{{ budget.low_threshold }}。原因分析：{{ budget.reason_text }}")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if other_reasons %}")
    _p(doc, "自评表中其他指标的偏差说明：")
    _p(doc, "{%p for d in other_reasons %}")
    _p(doc, "{{ d.name }}：{{ d.reason }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endif %}")
    _p(doc, "改进措施：{{ improvement }}")

    _p(doc, "六、存在的问题及建议", "Heading 1")
    _p(doc, "（一）存在的问题", "Heading 2")
    _p(doc, "{{ problems }}")
    _p(doc, "（二）改进建议", "Heading 2")
    _p(doc, "{{ suggestions }}")
    _signature_then_appendix(doc)
    _p(doc, "{{ project_label }}支出绩效自评表（{{ year }}年度）", "图表题")
    cols = APPENDIX_COLUMNS
    _table(doc, cols, [
        ["{%tr for g in appendix_groups %}"] + [""] * (len(cols) - 1),
        ["{%tr for r in g.rows %}"] + [""] * (len(cols) - 1),
        ["{% vm %}{{ g.level1 }}", "{{ r.level2 }}", "{{ r.name }}", "{{ r.weight }}", "{{ r.target }}",
         "{{ r.actual }}", "{{ r.completion }}", "{{ r.score }}", "{{ r.reason }}"],
        ["{%tr endfor %}"] + [""] * (len(cols) - 1),
        ["{%tr endfor %}"] + [""] * (len(cols) - 1),
        ["合计", "", "", "{{ appendix_total.weight }}", "", "", "", "{{ appendix_total.score }}",
         "评价等级：{{ grade }}"],
    ], left=(8,))
    _note(doc, "{{ score_note }}")
    _p(doc, "{%p if profile_note %}")
    _p(doc, "注：{{ profile_note }}。")
    _p(doc, "{%p endif %}")

    _p(doc, "{%p if has_findings %}")
    _p(doc, "附表2", "附件标识")
    _p(doc, "自评表校验问题清单（审核用）", "图表题")
    _note(doc, "共发现错误{{ error_count }}项、警告{{ warning_count }}项。按{{ profile_title }}校验，供审核参考。")
    _table(doc, [("级别", 12), ("位置", 34), ("问题", 30), ("说明", 80)], [
        ["{%tr for f in findings %}", "", "", ""],
        ["{{ f.severity }}", "{{ f.cell }}", "{{ f.rule }}", "{{ f.message }}"],
        ["{%tr endfor %}", "", "", ""],
    ], left=(1, 3))
    _p(doc, "{%p endif %}")

    return _save(doc)


@lru_cache(maxsize=1)
def build_department_template() -> bytes:
    """The 部门整体 report template (.docx bytes), in the structure of seed 002's report."""
    doc = _new_doc("部门整体支出绩效自评报告")
    _p(doc, "{{ title }}", "Title")
    _sections(doc, [("Heading 1", "一、部门基本情况", None),
                    ("Heading 2", "（一）机构组成及职能", "{{ organisation }}"),
                    ("Heading 2", "（二）纳入自评汇总的项目", "{{ overview }}"),
                    ("Heading 1", "二、部门预算执行情况", "{{ budget_sentence }}")])
    _p(doc, "表1  各单位预算执行情况", "图表题")
    _p(doc, "单位：万元", "表注")
    _table(doc, [("实施单位", 44), ("项目数", 16), ("全年预算数", 26), ("全年执行数", 26), ("执行率", 22),
                 ("项目得分加权平均", 22)], [
        ["{%tr for u in unit_rows %}", "", "", "", "", ""],
        ["{{ u.unit }}", "{{ u.projects }}", "{{ u.budget }}", "{{ u.executed }}", "{{ u.rate }}",
         "{{ u.weighted_score }}"],
        ["{%tr endfor %}", "", "", "", "", ""],
        ["合计", "{{ project_count }}", "{{ budget_total }}", "{{ executed_total }}", "{{ rate_total }}",
         "{{ weighted_score }}"]])
    _p(doc, "{%p if low_execution %}")
    _p(doc, "预算执行率低于{{ low_threshold }}的项目：")
    _p(doc, "{%p for p in low_execution[:20] %}")
    _p(doc, "{{ p.unit }}“{{ p.name }}”，全年预算{{ p.budget }}万元，执行{{ p.executed }}万元，执行率{{ p.rate }}。")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p if low_execution|length > 20 %}")
    _p(doc, "以上列出前20个，共{{ low_execution|length }}个项目执行率偏低，完整数据见附表1。")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endif %}")
    _p(doc, "三、部门预算绩效分析", "Heading 1")
    _p(doc, "（一）项目绩效自评总体情况", "Heading 2")
    _p(doc, "{{ score_sentence }}")
    _p(doc, "{%p for g in grade_rows %}")
    _p(doc, "评价等级为“{{ g.grade }}”的项目{{ g.count }}个。")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p if score_differs %}")
    _p(doc, "以下项目的自评得分与按计分规则复核的得分不一致，请相关单位核对：")
    _p(doc, "{%p for p in score_differs[:20] %}")
    _p(doc, "{{ p.unit }}“{{ p.name }}”：自评得分{{ p.score }}分，复核得分{{ p.rule_score }}分。")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p if score_differs|length > 20 %}")
    _p(doc, "以上列出前20个，共{{ score_differs|length }}个项目得分不一致，完整数据见附表1。")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endif %}")
    _p(doc, "（二）自评表校验情况", "Heading 2")
    _p(doc, "{%p if has_findings %}")
    _p(doc, "校验共发现错误{{ error_count }}项、警告{{ warning_count }}项，按单位分列如下（明细见附表2）：")
    _p(doc, "{%p for u in findings_by_unit %}")
    _p(doc, "{{ u.unit }}：错误{{ u.errors }}项、警告{{ u.warnings }}项。")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p else %}")
    _p(doc, "纳入汇总的自评表均未发现校验问题。")
    _p(doc, "{%p endif %}")
    _p(doc, "四、评价结论及建议", "Heading 1")
    _p(doc, "（一）评价结论", "Heading 2")
    _p(doc, "{{ conclusion }}")
    _p(doc, "（二）存在问题", "Heading 2")
    _p(doc, "{{ problems }}")
    _p(doc, "（三）改进建议", "Heading 2")
    _p(doc, "{{ suggestions }}")
    _signature_then_appendix(doc)
    _p(doc, "部门预算项目支出绩效自评汇总表", "图表题")
    _p(doc, "单位：万元", "表注")
    _table(doc, [("序号", 9), ("实施单位", 22), ("项目名称", 33), ("全年预算数", 19), ("全年执行数", 19),
                 ("执行率", 16), ("自评得分", 13), ("规则得分", 13), ("等级", 12)], [
        ["{%tr for p in projects %}"] + [""] * 8,
        ["{{ p.no }}", "{{ p.unit }}", "{{ p.name }}", "{{ p.budget }}", "{{ p.executed }}", "{{ p.rate }}",
         "{{ p.score }}", "{{ p.rule_score }}", "{{ p.grade }}"],
        ["{%tr endfor %}"] + [""] * 8,
        ["合计", "", "{{ project_count }}个项目", "{{ budget_total }}", "{{ executed_total }}", "{{ rate_total }}",
         "{{ weighted_score }}", "{{ rule_weighted_score }}", "—"]])
    _note(doc, "注：合计行的得分为各项目得分按全年预算数加权的平均值（统计值），不是部门整体支出绩效自评得分。"
               "数据取自 {{ source }}。")
    _p(doc, "{%p if has_findings %}")
    _p(doc, "附表2", "附件标识")
    _p(doc, "自评表校验问题清单（按单位）", "图表题")
    _table(doc, [("实施单位", 26), ("项目名称", 30), ("单元格", 24), ("级别", 12), ("说明", 64)], [
        ["{%tr for u in findings_by_unit %}", "", "", "", ""],
        ["{%tr for f in u.rows %}", "", "", "", ""],
        ["{% vm %}{{ u.unit }}", "{{ f.project }}", "{{ f.cell }}", "{{ f.severity }}", "{{ f.message }}"],
        ["{%tr endfor %}", "", "", "", ""],
        ["{%tr endfor %}", "", "", "", ""]], left=(4,))
    _p(doc, "{%p endif %}")
    _p(doc, "{%p if failed %}")
    _p(doc, "附表3", "附件标识")
    _p(doc, "无法读取的文件", "图表题")
    _table(doc, [("文件", 60), ("原因", 96)], [
        ["{%tr for f in failed %}", ""],
        ["{{ f.file }}", "{{ f.reason }}"],
        ["{%tr endfor %}", ""]], left=(1,))
    _p(doc, "{%p endif %}")
    return _save(doc)


def write_default_template(path: str | Path, department: bool = False) -> Path:
    """Write the default (project, or with ``department`` the 部门整体) template to copy and edit."""
    from workbook_templates.fileio import write_atomic

    data = build_department_template() if department else build_default_template()
    return write_atomic(path, lambda tmp: Path(tmp).write_bytes(data))
