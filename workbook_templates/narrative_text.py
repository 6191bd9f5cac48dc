"""What a 绩效自评报告's text states, as data the checks can compare with the tables.

The phrases are those of published reports: "自评价结果为:总得分99.51分，属于“优秀”" (seed 004),
"自评得分98.5分" / "评估等次为优" (seed 002), "执行1521.57万元，执行率95.1%", "资金到位率100%".
Each finder returns every statement with the text as written; a finder never guesses — a phrase
it does not know is simply not a statement (the checks say when the text and the tables disagree).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_Q = "[“”\"'‘’「」『』]?"

# 总得分99.51分 · 自评得分为98.5分 · 综合评分：92分 · 评定该项目得分100分 (not 满分100分, 分值10分, 得分率95%,
# nor a part's "产出指标得分48分")
TOTAL = re.compile(r"(?:总得分|总分|自评得分|自评总分|综合得分|综合评分|评价得分|最终得分|项目得分)"
                   r"(?:为|是|达到|达|共|合计)?[:：]?\s*" + _NUM + r"\s*分")
# 属于“优秀” · 评价等级为“良” · 评估等次为优 · 评定为合格
GRADE = re.compile(r"(?:属于|等级为|等级是|等次为|等次是|评定为|评为|定为|等级[:：]|等次[:：])\s*" + _Q +
                   r"(不合格|优秀|良好|合格|及格|较差|中等|一般|优|良|中|差)" + _Q)
# 执行率95.1% · 预算执行率为95.10% · 资金使用率达100%  (执行进度 is a month's progress, not the year's rate)
EXEC_RATE = re.compile(r"(?:预算执行率|资金执行率|执行率|资金使用率|支出率)(?:为|达到|达|是|约)?[:：]?\s*" + _NUM + r"\s*[%％]")
ARRIVAL_RATE = re.compile(r"(?:资金到位率|到位率)(?:为|达到|达|是)?[:：]?\s*" + _NUM + r"\s*[%％]")
# 执行1521.57万元 · 实际执行资金1521.57万元 · 实际支出1521.57万元 · 全年执行数为1521.57万元 · 共完成预算资金89.97万元
EXECUTED = re.compile(r"(?:实际执行|全年执行|已执行|执行|实际支出|实际使用|支出|完成预算|完成)(?:资金|金额|数)?(?:为|了|共计|共|合计)?[:：]?\s*"
                      + _NUM + r"\s*(亿元|万元|元)")
# 预算资金1600万元 · 全年预算数为1600万元 · 下达资金1600万元 · 安排资金1600万元
BUDGETED = re.compile(r"(?:全年预算|调整后预算|年初预算|预算|下达|安排)(?:资金|金额|数)?(?:总额|合计)?(?:为|共计|共|合计)?[:：]?\s*"
                      + _NUM + r"\s*(亿元|万元|元)")
# 剩余3%尾款未付 (廊坊 2019: the table executes 86.2%) · 结余率为5% · 未执行率2%
UNSPENT = re.compile(r"(?:剩余|尚有|还有)\s*" + _NUM + r"\s*[%％]\s*(?:的)?(?:尾款|资金|款项|预算|工程款)?\s*(?:未付|未支付|未拨付|未执行|尚未支付)"
                     r"|(?:资金结余率|结余率|未执行率)(?:为|达|是)?[:：]?\s*" + _NUM + r"\s*[%％]")
SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_SCALE = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}


@dataclass(frozen=True)
class Statement:
    """One figure the text states: what (``total``/``grade``/``rate``/…), its value (Decimal; a
    grade word for ``grade``; money in 万元), the phrase as written and where it stands."""

    what: str
    value: Decimal | str
    written: str
    start: int


def normal(text: str) -> str:
    """NFKC (full-width digits and ％ become ASCII), as the checks read every text."""
    return unicodedata.normalize("NFKC", text)


def number(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def statements(text: str) -> list[Statement]:
    """Every total, grade, execution/arrival/unspent rate and executed/budgeted amount the text states."""
    s = normal(text)
    out: list[Statement] = []
    for m in TOTAL.finditer(s):
        if s[max(0, m.start() - 2):m.start()].endswith(("满分", "分值")):
            continue
        out.append(Statement("total", number(m.group(1)), m.group(0), m.start()))
    for m in GRADE.finditer(s):
        out.append(Statement("grade", m.group(1), m.group(0), m.start()))
    for m in EXEC_RATE.finditer(s):
        out.append(Statement("rate", number(m.group(1)) / 100, m.group(0), m.start()))
    for m in UNSPENT.finditer(s):
        out.append(Statement("unspent", number(m.group(1) or m.group(2)) / 100, m.group(0), m.start()))
    for m in ARRIVAL_RATE.finditer(s):
        out.append(Statement("arrival", number(m.group(1)) / 100, m.group(0), m.start()))
    for pattern, what in ((EXECUTED, "executed"), (BUDGETED, "budget")):
        for m in pattern.finditer(s):
            if s[m.end():m.end() + 1] in ("/", "每") or "率" in m.group(0):
                continue                       # 元/人: a unit price, not the project's amount
            if what == "budget" and s[max(0, m.start() - 2):m.start()].endswith("完成"):
                continue                       # 完成预算资金…: what was spent (EXECUTED)
            out.append(Statement(what, number(m.group(1)) * _SCALE[m.group(2)], m.group(0), m.start()))
    return sorted(out, key=lambda x: x.start)


def sentence_at(text: str, pos: int) -> str:
    """The sentence of ``text`` around position ``pos`` (between 。；！？ or line breaks)."""
    s = normal(text)
    starts = [m.end() for m in SENTENCE_END.finditer(s, 0, pos)]
    start = starts[-1] if starts else 0
    end = SENTENCE_END.search(s, pos)
    return s[start:end.start() if end else len(s)]
