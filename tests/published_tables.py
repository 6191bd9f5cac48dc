"""Workbooks modelled on real published 自评表 (issue #12), written the way a clerk types them.

Each builder names its source (a page of the search tool's "pages" corpus, which stores only the
opening of a page) and says what was completed where the stored opening cuts. Values are typed as
users type them: numbers, percent cells (0.86 formatted 0%), text like "150万".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

Row = list[Any]


def write_book(path: Path, sheets: dict[str, list[Row]], *, merges: dict[str, list[str]] | None = None,
               formats: dict[str, dict[str, str]] | None = None) -> Path:
    """One workbook: sheet name → rows (None = blank cell); merged ranges and number formats by
    sheet ("A1:A5", {"G7": "0%"})."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, v in enumerate(row, 1):
                if v is not None:
                    ws.cell(row=r, column=c, value=v)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        for ref, fmt in (formats or {}).get(name, {}).items():
            ws[ref].number_format = fmt
    wb.save(path)
    return path


# --- 财预〔2020〕10号 附件1 ------------------------------------------------------------------------

def langfang_annex1(path: Path, *, department: str | None = "廊坊市发改委", note: str | None = None) -> Path:
    """廊坊市食品工程学校《办公宿舍楼、食堂及餐厅暖通改造经费 绩效自评表》(2019), http://www.lfsp.cn/newsinfo/1158053.html
    — the 附件1 table as published: 43.2 / 43.2 / 37.24 万元, 执行率 86%, 得分 9; "指标1工程资金金额"
    (no colon), "指标2"/"……" rows left empty; 实际完成情况 holds only "37.24". The stored opening
    ends inside the 满意度 rows: the 满意度 placeholder rows and the 总分 row (100 / 98, the sum of
    the stated scores) are completed. ``department=None`` blanks 主管部门 (header cells must not be
    taken from neighbours); ``note`` puts a "单位：万元" note right of it."""
    ind = [
        ("产出指标", "数量指标", "指标1工程资金金额", 43.2, 37.24, 10, 9,
         "已完工，剩余3%尾款未付，且最高限价低于预算金额。提高预算准确度。"),
        (None, None, "指标2", None, None, None, None, None),
        (None, None, "……", None, None, None, None, None),
        (None, "质量指标", "指标1工程完工率", 100, 100, 10, 10, None),
        (None, None, "指标2工程验收合格率", 100, 100, 10, 10, None),
        (None, None, "……", None, None, None, None, None),
        (None, "时效指标", "指标1项目完成及时率", 100, 100, 10, 10, None),
        (None, None, "指标2", None, None, None, None, None),
        (None, None, "……", None, None, None, None, None),
        (None, "成本指标", "指标1成本控制率", 100, 100, 10, 10, None),
        (None, None, "指标2", None, None, None, None, None),
        (None, None, "……", None, None, None, None, None),
        ("效益指标", "经济效益指标", "指标1安全率", 100, 100, 10, 10, 0),
        (None, None, "指标2", None, None, None, None, None),
        (None, "社会效益指标", "指标1学校发展能力", 100, 100, 10, 10, 0),
        (None, None, "指标2", None, None, None, None, None),
        (None, "生态效益指标", "指标1", None, None, None, None, None),
        (None, None, "指标2", None, None, None, None, None),
        (None, "可持续影响指标", "指标1长期使用性", 100, 100, 10, 10, None),
        (None, None, "指标2", None, None, None, None, None),
        ("满意度指标", "服务对象满意度指标", "指标1学生满意度", 100, 100, 10, 10, 0),
        (None, None, "指标2", None, None, None, None, None),
        (None, None, "……", None, None, None, None, None),
    ]
    rows: list[Row] = [
        ["附件1"], ["项目支出绩效自评表"], ["（2019年度）"],
        ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费"],
        ["主管部门", department, note, None, None, "实施单位", "廊坊市食品工程学校"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", 43.2, 43.2, 37.24, 10, 0.86, 9],
        [None, "其中：当年财政拨款", 43.2, 43.2, 37.24],
        [None, "上年结转资金"],
        [None, "其他资金"],
        ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
        [None, 43.2, None, None, None, 37.24],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ]
    rows += [[None, *r] for r in ind]
    rows.append(["总分", None, None, None, None, None, 100, 98])
    return write_book(path, {"自评表": rows}, merges={"自评表": ["A6:A10", "B4:I4", "A11:A12"]},
                      formats={"自评表": {"G7": "0%"}})


def tangxi_annex1(path: Path) -> Path:
    """池州市贵池区棠溪镇人民政府《委托业务项目》项目支出绩效自评表(2022年度),
    http://www.anthempetcare.com/upload_cz/download?id=502364&siteId=2 — the 附件1 table: 基建工程
    委托业务 indicators (≥50个, ≥100百分比, 严格执行相关制度规定 → 达成预期指标, ≤90万元 → 90 …),
    an 经济效益指标 line the unit left without an indicator, here marked "/" as the form's 说明 asks
    for indicators that do not apply. As published the 年度资金总额 row reads 0 / 0 / 0 above
    其中：本年财政拨款 90 / 89.974 / 89.974; the total row is filled with the component's figures
    here (执行率 89.974 ÷ 89.974 = 100%, 得分 10). The stored opening is cut in the 满意度 row: 公众满意度 ≥90% →
    95%, 10 / 10 and the 总分 row 100 / 100 are completed."""
    rows: list[Row] = [
        ["附件：项目支出绩效自评表"], ["（2022年度）"],
        ["项目名称", "委托业务项目"],
        ["主管部门", "219-池州市贵池区棠溪镇人民政府", None, None, None, "实施单位", "219001-池州市贵池区棠溪镇人民政府"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额：", 90, 89.974, 89.974, 10, 1.0, 10],
        [None, "其中：本年财政拨款", 90, 89.974, 89.974],
        [None, "上年结转资金"],
        [None, "其他资金"],
        ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
        [None, "本项目共申请预算资金90万元。其中：30万元用于基建工程项目预算编制；30万元用于基建工程项目审计；"
               "30万元用于基建工程项目设计、规划、测绘。", None, None, None,
         "本项目共完成预算资金89.97万元。其中：30万元用于基建工程项目预算编制；30万元用于基建工程项目审计；"
         "29.99万元用于基建工程项目设计、规划、测绘。"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        [None, "产出指标（50分）", "数量指标", "基建工程委托业务项目数量", "≥50个", 50, 8, 8],
        [None, None, "质量指标", "委托业务报告合格率", "≥100百分比", 100, 8, 8],
        [None, None, None, "经费支出合规性", "严格执行相关制度规定", "达成预期指标", 8, 8],
        [None, None, "时效指标", "提交报告及时性", "在项目计划完成时间内完成", "达成预期指标", 8, 8],
        [None, None, "成本指标", "项目总成本", "≤90万元", 90, 8, 8],
        [None, None, None, "单项业务成本", "符合相关规定", "达成预期指标", 10, 10],
        [None, "效益指标（30分）", "社会效益指标", "对维护基建市场公平的影响程度", "效果明显", "达成预期指标", 10, 10],
        [None, None, "生态效益指标", "对控制基建项目成本影响程度", "效果明显", "达成预期指标", 10, 10],
        [None, None, "可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显", "达成预期指标", 10, 10],
        [None, None, "经济效益指标", "经济效益", "/", "/", "/", "/"],
        [None, "满意度指标（10分）", "满意度指标", "公众满意度", "≥90%", "95%", 10, 10],
        ["总分", None, None, None, None, None, 100, 100],
    ]
    return write_book(path, {"自评表": rows}, formats={"自评表": {"G6": "0.00%"}})


# --- 四川 部门预算项目支出绩效自评表 ----------------------------------------------------------------

def qingshen_sichuan(path: Path, *, sub_rate: float = 1.0) -> Path:
    """青神县发展和改革局《部门预算项目支出绩效自评表（2023年度）》工资性支出,
    https://www.scqs.gov.cn/info/13206/211004.htm — 预算执行情况（10分）with 年初预算 238.93,
    调整后预算数 251.89, 预算执行数 251.89, 100.00%, 权重 10; 其中：财政资金 / 财政专户管理资金 /
    单位资金 / 其他资金 rows with their own 执行率 and "/" in 权重/得分; the 原因 cell holding the
    form's guidance text; 绩效指标（90分）with 指标性质 "=", 指标值 100, 度量单位 %, 权重 60 / 30 and a
    合计 row. As published the 完成值 and 得分 cells are empty (the form before filling): they are
    filled as the unit would (100 / 100, 60 / 30, 执行得分 10, 合计 100), and the 年度目标完成情况
    guidance replaced by a sentence. ``sub_rate`` is the 财政资金 row's stated 执行率."""
    guide = ("1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);"
             "2.年中发生预算调整的(追加或调减),应单独说明理由;3.其他资金包括:社会投入资金、银行贷款.")
    rows: list[Row] = [
        ["报表编号:510000_0013zp"],
        ["部门预算项目支出绩效自评表（2023年度）"],
        ["项目名称", "51000021R000000019951-工资性支出"],
        ["主管部门", "青神县发展和改革局本级", None, None, None, "实施单位 （盖章）", "青神县发展和改革局"],
        ["项目基本情况", "1.项目年度目标完成情况", "项目年度目标", None, None, "年度目标完成情况"],
        [None, None, "严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。",
         None, None, "工资按月足额发放，社保按时足额缴纳。"],
        [None, "2.项目实施内容及过程概述", "按月发放工资，按时缴纳社会保险费。"],
        ["预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"],
        [None, "总额", 238.93, 251.89, 251.89, 1.0, 10, 10, guide],
        [None, "其中:财政资金", 238.93, 251.89, 251.89, sub_rate, "/", "/"],
        [None, "财政专户管理资金", 0, 0, 0, 0, "/", "/"],
        [None, "单位资金", 0, 0, 0, 0, "/", "/"],
        [None, "其他资金", None, None, None, None, "/", "/"],
        ["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
         "未完成原因分析"],
        [None, "产出指标", "数量指标", "发放(缴纳)覆盖率", "=", 100, "%", 100, 60, 60],
        [None, "效益指标", "社会效益指标", "足额保障率(参保率)", "=", 100, "%", 100, 30, 30],
        ["合计", None, None, None, None, None, None, None, 100, 100],
        ["评价结论", "工资、社保按时足额发放缴纳，自评得分100分。"],
        ["存在问题", "无"],
        ["改进措施", "无"],
        ["项目负责人:", None, None, None, "财务负责人:"],
    ]
    pct = {f"F{r}": "0.00%" for r in range(9, 14)}
    return write_book(path, {"自评表": rows}, merges={"自评表": ["A8:A13", "A14:A16"]}, formats={"自评表": pct})


# --- (A)/(B) headers, 其中 rows, a process indicator answered 是 --------------------------------------

def hubei_student_aid(path: Path, *, with_parts: bool = False, with_process: bool = True) -> Path:
    """湖北工程学院《学生资助项目绩效目标自评表》, https://m.777doc.com/doc-4336759.html — headers
    with (A)/(B) markers: 预算执行情况（万元）预算数（A）/ 执行数（B）/ 执行率（B/A）/ 得分（分*执行率）,
    年初目标值（A）/ 实际完成值（B）; indicators 国家奖学金人数, 国家励志奖学金人数, 国家助学金人数,
    应征入伍人数, the 人均资助 cost lines, 资金发放率, 困难生完成学业率, and a 过程指标 "评审程序是否
    公正" answered 是 / 是. The stored opening keeps the labels but not the figures: the figures
    are completed with the national standards (国家奖学金 8000元/人, 国家励志奖学金 5000元/人) and
    round counts, the 实际完成值 header is written "实际完成指标值（B）" (the …指标值 spelling), and
    the 分值 (the excerpt drops them) set to 10 / 50 / 30 / 10. ``with_parts`` writes the three
    scholarship counts as "其中：" rows under a 资助学生总人数 line — the parts carry 目标值 and
    实际值 but no 分值 — as many units lay such counts out."""
    head = ["一级指标", "二级指标", "三级指标", "年初目标值（A）", "实际完成指标值（B）", "分值", "得分", "未完成原因"]
    if with_parts:
        counts = [
            ["产出指标（50分）", "数量指标", "资助学生总人数", "≥1000人", "1026人", 10, 10],
            [None, None, "其中：国家奖学金人数", "12人", "12人"],
            [None, None, "其中：国家励志奖学金人数", "≥180人", "186人"],
            [None, None, "其中：国家助学金人数", "≥800人", "828人"],
            [None, None, "其中：应征入伍学生资助人数", "≥20人", "24人", 10, 10],
        ]
    else:
        counts = [
            ["产出指标（50分）", "数量指标", "国家奖学金人数", "12人", "12人", 5, 5],
            [None, None, "国家励志奖学金人数", "≥180人", "186人", 5, 5],
            [None, None, "国家助学金人数", "≥800人", "828人", 5, 5],
            [None, None, "应征入伍人数", "≥20人", "24人", 5, 5],
        ]
    cost = [
        [None, "成本指标", "国家奖学金人均资助", "8000元/人", "8000元/人", 10, 10],
        [None, None, "国家励志奖学金人均资助", "5000元/人", "5000元/人", 10, 10],
        [None, None, "国家助学金人均资助", "≤3300元/人", "3300元/人", 10, 10],
    ]
    benefit = [
        ["效益指标（30分）", "社会效益指标", "资金发放率", "100%", "100%", 15, 15],
        [None, None, "困难生完成学业率", "≥95%", "97%", 15 if not with_process else 10, 15 if not with_process else 10],
    ]
    process = [[None, "过程指标", "评审程序是否公正", "是", "是", 5, 5]] if with_process else []
    rows: list[Row] = [
        ["2021年学生资助项目绩效目标自评表"],
        ["填报日期：2022年1月20日", None, None, None, None, "总分：", 99.96],
        ["项目名称", "湖北工程学院2021年学生资助项目"],
        ["主管部门", "湖北省教育厅", None, None, "项目实施单位", "湖北工程学院"],
        ["预算执行情况（万元）（10分）", None, "预算数（A）", "执行数（B）", "执行率（B/A）", "得分（分*执行率）"],
        [None, "年度财政资金总额", 1186.4, 1181.6, 0.996, 9.96],
        head, *counts, *cost, *benefit, *process,
        ["满意度指标（10分）", "服务对象满意度指标", "受助学生满意度", "≥90%", "96%", 10, 10],
        ["总分", None, None, None, None, 100, 99.96],
    ]
    return write_book(path, {"自评表": rows}, formats={"自评表": {"E6": "0.00%"}})


# --- 指标表 without 实际完成值 -------------------------------------------------------------------------

def ningjin_no_actual(path: Path, *, actual_header: str | None = None) -> Path:
    """宁晋县教育局《2019年度宁晋县高中助学金项目绩效评价指标表》, https://www.ningjin.gov.cn/content/26279.html
    — 评价指标 / 评价内容 / 指标名称 / 指标说明 / 目标值 / 分值 / 备注, 总分 100: a table with targets
    and points but no 实际完成值 and no 得分 column, as published. The 一级 labels (产出/效益) are
    spelled out; 满意度 is moved under its own 一级. ``actual_header`` adds an actual column with a
    header the reader does not know (a unit's own wording)."""
    head = ["评价指标", "评价内容", "指标名称", "指标说明", "目标值", "分值", "备注"]
    lines = [
        ["项目年度绩效目标（定量指标）", "制度指标", "规章制度建立与否", None, "建立", 20],
        ["产出指标", "数量指标", "享受资助人数", "达到预计值", "2100人", 10],
        [None, None, "资金支出率", "达到目标值", "95%", 10],
        [None, "质量指标", "建档立卡学生全面覆盖", None, "100%", 10],
        [None, "时效指标", "及时发放率", "达到目标值", "100%", 20],
        [None, "成本指标", "资助标准达标率", None, "100%", 20],
        ["满意度指标", "满意度指标", "资助对象满意度", "达到目标值", "95%以上", 10],
    ]
    if actual_header:
        head.insert(5, actual_header)
        actuals = ["已建立", "2100人", "96%", "100%", "100%", "100%", "97%"]
        lines = [[*ln[:5], a, *ln[5:]] for ln, a in zip(lines, actuals, strict=True)]
    rows: list[Row] = [["2019年度宁晋县高中助学金项目绩效评价指标表"], head, *lines,
                       ["总分", None, None, None, None, *([None] if actual_header else []), 100]]
    return write_book(path, {"指标表": rows})


# --- money as text, and a table in 元 ---------------------------------------------------------------

def leiyang_school(path: Path, *, unit: str = "万元", as_text: bool = False, title_note: bool = False) -> Path:
    """耒阳市第四中学《专项资金绩效自评价报告》生均公用经费 2022, https://m.yzwku.com/doc/556425.html —
    the report states 239万元 budgeted (生均1000元), 87.06万元 spent, "余款安排下年支出". The
    report carries no table: the figures are laid out in the 附件1 table (this issue's money
    cases), with indicators completed from the report's text (在校学生 2390人 × 1000元, 学校正常运转).
    ``unit="元"`` writes the amounts in 元 under （元） headers (2,390,000 / 870,600), as school
    tables often are; ``as_text`` types them as a clerk does: "239万", "87.06万元", "1,600.00"-style
    text; ``title_note`` states the unit in a "单位：元" line above instead of in the headers.
    ``unit="亿元"``: the same amounts in 亿元 (0.0239 / 0.008706; as text "239万", "0.0239亿元",
    "87.06万") — no published 自评表 in 亿元 was found in the pages corpus (亿元 tables are a
    province's or a large programme's), so this is the 耒阳 table with its unit changed, not a source."""
    if unit == "亿元":
        budget, spent = 0.0239, 0.008706
        cells = ("239万", "0.0239亿元", "87.06万") if as_text else (budget, budget, spent)
    elif unit == "元":
        budget, spent = 2390000, 870600
        cells = ("2,390,000.00", "2,390,000", "870,600.00") if as_text else (budget, budget, spent)
    else:
        budget, spent = 239, 87.06
        cells = ("239万", "239万元", "87.06万") if as_text else (budget, budget, spent)
    money = "项目资金" if title_note else f"项目资金（{unit}）"
    rows: list[Row] = [
        ["项目支出绩效自评表"], ["（2022年度）"],
        ["项目名称", "生均公用经费项目", None, None, None, None, None, f"单位：{unit}" if title_note else None],
        ["主管部门", "耒阳市教育局", None, None, None, "实施单位", "耒阳市第四中学"],
        [money, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", *cells, 10, 0.3643, 3.64],
        [None, "其中：当年财政拨款", *cells],
        [None, "上年结转资金"],
        [None, "其他资金"],
        ["年度总体目标", "预期目标", None, None, None, "实际完成情况"],
        [None, "按生均1000元安排公用经费，保证学校正常运转", None, None, None,
         "共支出87.06万元，用于办公、水电、差旅等，保证了学校正常运转；余款安排下年支出"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        [None, "产出指标", "数量指标", "保障学生人数", "≥2390人", "2390人", 20, 20],
        [None, None, "质量指标", "学校正常运转", "正常运转", "达成预期指标", 15, 15],
        [None, None, "成本指标", "生均公用经费标准", "1000元/人", "1000元/人", 15, 15],
        [None, "效益指标", "社会效益指标", "保障教育教学活动正常开展", "效果明显", "达成预期指标", 30, 30],
        [None, "满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "95%", 10, 10],
        ["总分", None, None, None, None, None, 100, 93.64],
    ]
    return write_book(path, {"自评表": rows}, formats={"自评表": {"G6": "0.00%"}})


# --- 指标方向 beside 指标性质, a 计量单位 column after the actual ----------------------------------------

def daying_direction(path: Path, *, contradict: bool = False) -> Path:
    """大英县司法局《部门预算项目支出绩效自评表（2023年度）》2023年全县安可替代补助资金项目,
    https://dyxrmt.cn/article-157795-21.html — 年初预算 0.00, 调整后预算数 3.36, 预算执行数 3.36,
    100.00%, 权重 10, 得分 10; the published lines "成本控制数 ≤ 30 万元" and "完成安可产品购买并按要求
    支付资金 = 100 %" (13台安可电脑). The stored opening cuts the second line: its 完成值 100, 权重 /
    得分 are completed, and the 权重 split 40 / 50 so that the two lines make 90. The layout is
    rearranged the way other provinces print it: 指标性质 (正向指标/反向指标, the 江西 form's words)
    beside a 指标方向 column (大于等于/小于等于/等于), and the 计量单位 after the 实际完成值.
    ``contradict`` makes the cost line's 指标性质 正向指标 against its 指标方向 小于等于."""
    rows: list[Row] = [
        ["部门预算项目支出绩效自评表（2023年度）"],
        ["项目名称", "51092324T000010263357-2023年全县安可替代补助资金项目"],
        ["主管部门", "大英县司法局部门", None, None, None, "实施单位", "大英县司法局"],
        ["预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分"],
        [None, "总额", 0, 3.36, 3.36, 1.0, 10, 10],
        [None, "其中:财政资金", 0, 3.36, 3.36, 1.0, "/", "/"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标方向", "年度指标值", "实际完成值", "计量单位", "分值", "得分",
         "偏差原因分析及改进措施"],
        ["产出指标", "成本指标", "成本控制数", "正向指标" if contradict else "反向指标", "小于等于", 30, 28, "万元", 40, 40],
        [None, "质量指标", "完成安可产品购买并按要求支付资金", "正向指标", "等于", 100, 100, "%", 50, 50],
        ["合计", None, None, None, None, None, None, None, 100, 100],
    ]
    return write_book(path, {"自评表": rows}, formats={"自评表": {"F5": "0.00%", "F6": "0.00%"}})


# --- a long 评分标准 column, (A)/(B) markers --------------------------------------------------------

def jiangxi_scoring_standard(path: Path) -> Path:
    """江西省政协《项目支出绩效自评表》, http://biz.doczj.com/doc/174893555.html — columns 年度指标值（A）
    / 全年实际值（B）/ 分值 / 得分 / 评分标准 (long: "群众满意率90%以上得10分，每降5%扣1分，扣完为止",
    "控制率在±10%以内得5分……"), 总分 99.3分; indicators 调研活动 (30分, 达标), 成本控制率 (5分, ±10% →
    达标), 履职履责 (30分, 达标), 群众满意度 (10分, 98% → 98%). The stored opening is a scrambled PDF
    text: the rows are reassembled, and 预算执行率 (10分, 93% → 9.3), 完成时效 (15分) and
    完成质量 (10分) are completed so that the points make 100 and the scores 99.3."""
    std = {
        "bud": "预算执行率=实际支出/预算数×100%，得分=执行率×10，满分为止。",
        "res": "完成调研活动并形成报告得30分，未完成不得分。",
        "time": "按计划时间完成得15分，每推迟一个月扣3分，扣完为止。",
        "qual": "调研报告采纳率≥80%得10分，每降低10%扣2分，扣完为止。",
        "cost": "成本控制率=(预算数-实际支出)/预算数×100%，控制率在±10%以内得5分，±10-15%以内得3分，"
                "±15-20%以内得1分，±20%以外不得分。",
        "duty": "通过省政协委员的视察、调研等活动，切实履行政治协商、民主监督、参政议政职能，达标得30分。",
        "sat": "群众满意率90%以上得10分，每降5%扣1分，扣完为止。",
    }
    rows: list[Row] = [
        ["项目支出绩效自评表"],
        ["项目名称", "省政协委员履职调研经费"],
        ["主管部门", "江西省政协", None, None, "实施单位", "江西省政协办公厅"],
        ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", 50, 50, 46.5, 10, 0.93, 9.3],
        ["一级指标", "二级指标", "三级指标", "年度指标值（A）", "全年实际值（B）", "分值", "得分", "评分标准"],
        ["产出指标（50分）", "数量指标", "调研活动", "完成", "达成预期指标", 30, 30, std["res"]],
        [None, "时效指标", "完成时效", "2021年12月底前", "2021年11月完成", 10, 10, std["time"]],
        [None, "质量指标", "调研报告采纳率", "≥80%", "85%", 5, 5, std["qual"]],
        [None, "成本指标", "成本控制率", "±10%", "达标", 5, 5, std["cost"]],
        ["效益指标（30分）", "社会效益指标", "履职履责", "达标", "达标", 30, 30, std["duty"]],
        ["满意度指标（10分）", "服务对象满意度指标", "群众满意度", "≥90%", "98%", 10, 10, std["sat"]],
        ["总分", None, None, None, None, 100, 99.3],
        ["注：1.得分一档最高不能超过该指标分值上限。2.评分标准：（1）若为定性指标，则根据“三档”原则分别按照指标分值的"
         "100-80%（含80%）、80-50%（含50%）、50-0%合理确定分值。"],
    ]
    return write_book(path, {"自评表": rows}, formats={"自评表": {"F5": "0%"}})


# --- 云南: 年度指标值 over 指标性质 / 指标值 / 度量单位 ---------------------------------------------------

def honghe_yunnan(path: Path, *, shifted: bool = False) -> Path:
    """红河州数据发展中心《2024年度项目支出绩效单位自评报告》, https://www.hh.gov.cn/info/11481/1179592.htm
    — "数说红河"展厅运维经费: 28个展区, 174台拼接屏, 30台主机工作站, 4台工程级高清投影仪, 18台网络
    数据通讯设备. The stored opening is the report's text; the 自评表 is laid out in the 云南 form
    (年度指标值 merged over 指标性质 / 指标值 / 度量单位, a 实际完成值 and 分值 / 得分 below two header
    rows) with the report's counts; the project's funds (50 / 50 / 50 万元) and the 满意度 line are
    completed. ``shifted`` moves 10 points from 效益 to 产出 (拼接屏 20, 社会效益 20): 产出 60 / 效益 20,
    against 财预〔2020〕10号's 50 / 30."""
    screens, benefit = (20, 20) if shifted else (10, 30)
    rows: list[Row] = [
        ["项目支出绩效自评表"], ["（2024年度）"],
        ["项目名称", "“数说红河”展厅运维经费"],
        ["主管部门", "红河州数据局", None, None, None, "实施单位", "红河州数据发展中心"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", 50, 50, 50, 10, 1.0, 10],
        [None, "其中：当年财政拨款", 50, 50, 50],
        ["一级指标", "二级指标", "三级指标", "年度指标值", None, None, "实际完成值", "分值", "得分", "未完成原因分析"],
        [None, None, None, "指标性质", "指标值", "度量单位"],
        ["产出指标", "数量指标", "展区运维数量", "≥", 28, "个", 28, 20, 20],
        [None, None, "拼接屏运维数量", "≥", 174, "台", 174, screens, screens],
        [None, None, "主机工作站运维数量", "≥", 30, "台", 30, 10, 10],
        [None, "质量指标", "设备正常运行率", "≥", 95, "%", 98, 10, 10],
        ["效益指标", "社会效益指标", "展示红河数字化建设成果", "定性", "效果明显", None, "达成预期指标", benefit, benefit],
        ["满意度指标", "服务对象满意度指标", "参观群众满意度", "≥", 90, "%", 95, 10, 10],
        ["总分", None, None, None, None, None, None, 100, 100],
    ]
    merges = ["A8:A9", "B8:B9", "C8:C9", "D8:F8", "G8:G9", "H8:H9", "I8:I9", "J8:J9"]
    return write_book(path, {"自评表": rows}, merges={"自评表": merges}, formats={"自评表": {"G6": "0.00%"}})


def honghe_three_row_header(path: Path) -> Path:
    """The 红河 table (``honghe_yunnan``; 红河州数据发展中心, https://www.hh.gov.cn/info/11481/1179592.htm)
    with a three-row header: a band 绩效指标完成情况 merged over 年度指标值 (itself merged over 指标性质 /
    指标值 / 度量单位), 实际完成值 and 完成率 (each merged down two rows), with 一级/二级/三级指标, 分值,
    得分 and 未完成原因分析 merged down all three rows. No published three-row 自评表 header was found in
    the pages corpus (its pages keep only the text); this is the 云南 form with the band row some
    units add, not a source. 完成率 typed as the unit computes it: 实际 ÷ 目标 (98 ÷ 95 = 103.16 %,
    95 ÷ 90 = 105.56 %), blank for the 定性 line."""
    rows: list[Row] = [
        ["项目支出绩效自评表"], ["（2024年度）"],
        ["项目名称", "“数说红河”展厅运维经费"],
        ["主管部门", "红河州数据局", None, None, None, "实施单位", "红河州数据发展中心"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", 50, 50, 50, 10, 1.0, 10],
        [None, "其中：当年财政拨款", 50, 50, 50],
        ["一级指标", "二级指标", "三级指标", "绩效指标完成情况", None, None, None, None, "分值", "得分", "未完成原因分析"],
        [None, None, None, "年度指标值", None, None, "实际完成值", "完成率"],
        [None, None, None, "指标性质", "指标值", "度量单位"],
        ["产出指标", "数量指标", "展区运维数量", "≥", 28, "个", 28, 1.0, 20, 20],
        [None, None, "拼接屏运维数量", "≥", 174, "台", 174, 1.0, 10, 10],
        [None, None, "主机工作站运维数量", "≥", 30, "台", 30, 1.0, 10, 10],
        [None, "质量指标", "设备正常运行率", "≥", 95, "%", 98, 1.0316, 10, 10],
        ["效益指标", "社会效益指标", "展示红河数字化建设成果", "定性", "效果明显", None, "达成预期指标", None, 30, 30],
        ["满意度指标", "服务对象满意度指标", "参观群众满意度", "≥", 90, "%", 95, 1.0556, 10, 10],
        ["总分", None, None, None, None, None, None, None, 100, 100],
    ]
    merges = ["A8:A10", "B8:B10", "C8:C10", "D8:H8", "D9:F9", "G9:G10", "H9:H10", "I8:I10", "J8:J10", "K8:K10"]
    pct = {f"H{r}": "0.00%" for r in range(11, 17)} | {"G6": "0.00%"}
    return write_book(path, {"自评表": rows}, merges={"自评表": merges}, formats={"自评表": pct})


# --- 北京 2016: (A)/(B) markers, 分值(10分), a 得分计算方法 column, no 全年预算数 ----------------------

def haidian_xueyuanlu(path: Path) -> Path:
    """北京市海淀区学院路街道《项目支出绩效自评表（2016年度）》【体制】自管道路清扫保洁外包工作经费,
    https://www.wenku365.com/s-60761775.html — 项目资金(万元) 年初预算数(A) 310.2, 全年执行数(B)
    154.74, 分值(10分), 执行率(B/A) 50%, 得分 5, 得分计算方法 "执行率*该指标分值，最高不得超过分值
    上限。"; 其中：本年一般公共预算拨款 310.2 / 154.74; 绩效指标 with 分值 before 年度指标值(A) /
    全年实际值(B), a 得分计算方法 column, 产出指标(50分) 数量指标 "是否完成绩效目标申报表中申报的数量"
    12.5, 1, 1, 12.5. The stored opening cuts after that line and the 质量指标 name ("是否达到国…"):
    the other 产出 lines (质量/时效/成本, 12.5 each, 1 → 1), 效益指标(30分) and 满意度指标(10分) and the
    总分 (5 + 90 = 95) are completed in the form's own style. The 执行率 cell is the clerk's =B/A
    (0.4988…) shown as 50 %; the goal text does not explain the low execution, as published."""
    rule = "完成值达到指标值，记满分；未达到指标值，按B/A或A/B*该指标分值记分。"
    rows: list[Row] = [
        ["项目支出绩效自评表（2016年度）"],
        ["项目名称", "【体制】自管道路清扫保洁外包工作经费", None, None, "主管部门", "北京市海淀区人民政府学院路街道办事处"],
        ["实施单位", "北京市海淀区学院路街道城市运行服务中心"],
        ["项目资金（万元）", None, "年初预算数(A)", "全年执行数(B)", "分值(10分)", "执行率(B/A)", "得分", "得分计算方法"],
        [None, "年度资金总额：", 310.2, 154.74, 10, 154.74 / 310.2, 5, "执行率*该指标分值，最高不得超过分值上限。"],
        [None, "其中：本年一般公共预算拨款", 310.2, 154.74],
        [None, "其他资金"],
        ["年度总体目标", "通过规范地区自管道路清扫保洁外包工作经费专项资金的使用，明确专项资金使用目的，实现科学管理，"
         "将自管道路保洁进行外包", None, None, None, "按照年初设定目标，将辖区20条城市道路清扫保洁、4处居民生活区小广场"
         "清扫保洁业务通过公开招投标方式进行了外包"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "分值", "年度指标值(A)", "全年实际值(B)", "得分计算方法", "得分",
         "未完成原因分析"],
        [None, "产出指标(50分)", "数量指标", "是否完成绩效目标申报表中申报的数量", 12.5, 1, 1, rule, 12.5],
        [None, None, "质量指标", "是否达到国家和本市相关标准", 12.5, 1, 1, rule, 12.5],
        [None, None, "时效指标", "是否按时完成", 12.5, 1, 1, rule, 12.5],
        [None, None, "成本指标", "是否控制在预算范围内", 12.5, 1, 1, rule, 12.5],
        [None, "效益指标(30分)", "社会效益指标", "地区环境卫生及社区环境改善", 30, 1, 1, rule, 30],
        [None, "满意度指标(10分)", "服务对象满意度指标", "居民满意度", 10, 1, 1, rule, 10],
        ["总分", None, None, None, 100, None, None, None, 95],
    ]
    return write_book(path, {"自评表": rows}, merges={"自评表": ["B10:B13"]}, formats={"自评表": {"F5": "0%"}})


# --- 四川 with 反向 lines: ≤10次, 结余率 ≤5% -----------------------------------------------------------

def dayi_sichuan_reverse(path: Path) -> Path:
    """A 四川 部门预算项目支出绩效自评表 published by 大邑融媒 (https://dyrmt.com/article-132779-22.html):
    产出指标 数量指标 足额保障率 = 100 % (22.5) and 科目调整次数 ≤ 10 次 (22.5), 时效指标 按时发放率 =
    100 % (22.5), 效益指标 经济效益指标 "结余率(计算方法为:结余数/预算数)" ≤ 5 % (22.5), 合计 100, 评价
    结论 "及时、足额缴纳", 存在问题/改进措施 "暂无". The stored page is the table's tail: the header
    rows, project name and funds (120.00 of 120.00 spent, 10 points) are completed in the 四川 form
    (as the 青神 table has them), and the 完成值 as the conclusion says: 100 %, 2 次, 100 %, 结余率 0 %
    (nothing left over: 120 − 120 = 0)."""
    rows: list[Row] = [
        ["部门预算项目支出绩效自评表（2023年度）"],
        ["项目名称", "工资福利及社会保障缴费"],
        ["主管部门", "大邑县融媒体中心", None, None, None, "实施单位", "大邑县融媒体中心"],
        ["预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分", "原因"],
        [None, "总额", 120.0, 120.0, 120.0, 1.0, 10, 10],
        [None, "其中:财政资金", 120.0, 120.0, 120.0, 1.0, "/", "/"],
        ["绩效指标(90分)", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分",
         "未完成原因分析"],
        [None, "产出指标", "数量指标", "足额保障率", "=", 100, "%", 100, 22.5, 22.5],
        [None, None, None, "科目调整次数", "≤", 10, "次", 2, 22.5, 22.5],
        [None, None, "时效指标", "按时发放率", "=", 100, "%", 100, 22.5, 22.5],
        [None, "效益指标", "经济效益指标", "结余率(计算方法为:结余数/预算数)", "≤", 5, "%", 0, 22.5, 22.5],
        ["合计", None, None, None, None, None, None, None, 100, 100],
        ["评价结论", "及时、足额缴纳。"],
        ["存在问题", "暂无"],
        ["改进措施", "暂无"],
        ["项目负责人:", None, None, None, "财务负责人:"],
    ]
    merges = ["A4:A6", "A7:A11", "B8:B10", "C8:C9"]
    return write_book(path, {"自评表": rows}, merges={"自评表": merges},
                      formats={"自评表": {"F5": "0.00%", "F6": "0.00%"}})
