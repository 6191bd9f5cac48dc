"""项目资金 checks: execution-rate-mismatch, budget-subtotal-mismatch, low-execution-unexplained,
magnitude-mismatch.

预算执行率 = 全年执行数 ÷ 全年预算数 (共性框架: ÷ 实际到位资金, per the profile); 年度资金总额 =
Σ 其中 rows; the (1)–(7) table: (5)=(3)−(4), (6)=(3)/(2), (7)=(4)/(2).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from addin.pipeline import budget_denominator
from udfs import Profile
from udfs.numbers import excel_round
from workbook_templates.model import WAN, BudgetRow, Evaluation, Finding

from . import check, finding
from .common import as_ratio, blank, cell_of, fmt, matches_displayed, pct, rounding_tolerance

FIELD_LABELS = {"initial": "年初预算数", "adjusted": "全年预算数", "available": "实际到位资金",
                "executed": "全年执行数"}
TEN_THOUSAND = Decimal(10000)
FAR = Decimal(10) ** 3 * Decimal("3.16")      # ≈ 10^3.5: "about 10⁴ apart"
NEAR = Decimal(100)


BUDGET_COLUMNS: dict = json.loads(
    (resources.files(__package__) / "budget_columns.json").read_text(encoding="utf-8"))
COLUMN_SUMS: list[dict] = BUDGET_COLUMNS["column_sums"]
NOT_MONEY: tuple[str, ...] = tuple(BUDGET_COLUMNS["not_money_words"])   # rates or points, not amounts


_BRACKETED = re.compile(r"\(.*?\)")
_CODE_START = re.compile(r"^\((\d)\)")
_CODE_FORMULA = re.compile(r"\((\d)\)=")


def column_key(label: object) -> str:
    """'年度总金额(万元)' → '年度总金额' (NFKC, no spaces, no bracketed unit)."""
    return _column_key(str(label))


@lru_cache(maxsize=4096)
def _column_key(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).replace(" ", "")
    return _BRACKETED.sub("", s)


def _pick_col(keys: dict[str, str], names: list[str]) -> str | None:
    """The column (by its key, ``column_key``) first in ``names``."""
    return next((keys[n] for n in names if n in keys), None)


def row_code(row: BudgetRow) -> int | None:
    """'(5)=(3)-(4)' / '（5）' in the 行次 column, else a label that starts with it ('(5)资金结余',
    '资金结余(5)=(3)-(4)') → 5."""
    for text in (row.code, row.label):
        if not text:
            continue
        code = _text_code(str(text))
        if code is not None:
            return code
    return None


@lru_cache(maxsize=4096)
def _text_code(text: str) -> int | None:
    s = unicodedata.normalize("NFKC", text).replace(" ", "")
    m = _CODE_START.match(s) or _CODE_FORMULA.search(s)
    return int(m.group(1)) if m else None


def is_money_label(label: str | None) -> bool:
    return not (label and any(k in str(label) for k in NOT_MONEY))


@check
def execution_rate_mismatch(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """Stated 执行率 vs 执行数 ÷ 预算数, compared at the precision the sheet displays."""
    b = ev.budget
    denom = budget_denominator(ev, profile)
    if b.rate is None or b.executed is None or not denom:
        return
    exact = b.executed / denom
    stated = as_ratio(b.rate, exact)
    digits = profile.rate_digits
    if matches_displayed(stated, exact, digits):
        return
    # the other 口径 (÷ 实际到位资金 instead of ÷ 全年预算数, or back) is information, not an error;
    # ÷ 年初预算数 is not a 口径 of either rule
    others = [v for v in (b.adjusted, b.available) if v and v != denom]
    rounded = excel_round(b.executed, 2) / excel_round(denom, 2) if excel_round(denom, 2) else exact
    severity = None
    if matches_displayed(stated, rounded, digits) or abs(stated - exact) <= Decimal("0.0005") or \
            any(matches_displayed(stated, b.executed / o, digits) for o in others):
        severity = "info"
    den_name = "实际到位资金" if denom == b.available and profile.execution_rate_denominator == "available" \
        else "全年预算数"
    yield finding("execution-rate-mismatch", cell_of(b.cells, "rate"),
                  f"预算执行率填报为{pct(stated)}，按 全年执行数{fmt(b.executed)} ÷ {den_name}{fmt(denom)} "
                  f"应为{pct(exact)}。", excel_round(exact, digits), severity)


def _subtotal_groups(rows: list[BudgetRow]) -> Iterator[tuple[BudgetRow, list[BudgetRow]]]:
    """(total row, its 其中 rows): components follow their total until the next total row."""
    current: BudgetRow | None = None
    comps: list[BudgetRow] = []
    for row in rows:
        if row.is_total:
            if current is not None:
                yield current, comps
            current, comps = row, []
        elif row.is_component and current is not None:
            comps.append(row)
    if current is not None:
        yield current, comps


@check
def budget_subtotals(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """年度资金总额 = Σ 其中 rows (beyond rounding); (5)(6)(7) = their formulas."""
    rows = ev.budget.rows
    for total, comps in _subtotal_groups(rows):
        cols = {c for comp in comps for c, v in comp.values.items() if v is not None}
        for col in sorted(cols, key=str):
            if not is_money_label(col):
                continue
            tv = total.values.get(col)
            parts = [comp.values[col] for comp in comps if comp.values.get(col) is not None]
            if tv is None or not parts:
                continue
            s = sum(parts, Decimal(0))
            if abs(tv - s) > rounding_tolerance(len(parts)):
                names = "、".join(c.label for c in comps if c.values.get(col) is not None)
                yield finding("budget-subtotal-mismatch", total.cells.get(col),
                              f"“{total.label}”的{col}为{fmt(tv)}，其中各项（{names}）合计为{fmt(s)}。", s)
    by_code = {row_code(r): r for r in rows if row_code(r)}
    yield from _column_sums([r for c, r in by_code.items() if c in (1, 2, 3, 4, 5)])
    if not {2, 3, 4} <= by_code.keys():
        return
    r2, r3, r4 = by_code[2], by_code[3], by_code[4]
    for code, r in by_code.items():
        if code not in (5, 6, 7):
            continue
        for col, stated in r.values.items():
            if stated is None:
                continue
            v2, v3, v4 = (x.values.get(col) for x in (r2, r3, r4))
            if code == 5:
                exact = (v3 or Decimal(0)) - (v4 or Decimal(0))
                if abs(stated - exact) <= rounding_tolerance(2):
                    continue
                msg, exp = f"资金结余应为(3)−(4)={fmt(exact)}", exact
            else:
                num = v3 if code == 6 else v4
                if not v2 or num is None:
                    continue
                exact = num / v2
                if matches_displayed(as_ratio(stated, exact), exact, 4):
                    continue
                formula = "(3)/(2)" if code == 6 else "(4)/(2)"
                msg, exp = f"应为{formula}={pct(exact)}", excel_round(exact, 4)
            yield finding("budget-subtotal-mismatch", r.cells.get(col),
                          f"“{r.label}”（{col}）填报为{fmt(stated)}，{msg}。", exp)


def _column_sums(rows: list[BudgetRow]) -> Iterator[Finding]:
    """年度总金额 = 财政资金小计 + 上年结转 + 其他; 小计 = 中央级 + 省级 + 市级 + 县区级 (budget_columns.json)."""
    for row in rows:
        keys = {column_key(c): c for c in row.values}
        for rule in COLUMN_SUMS:
            total_col = _pick_col(keys, rule["total"])
            part_cols = [c for c in (_pick_col(keys, names) for names in rule["parts"]) if c and c != total_col]
            if total_col is None or len(part_cols) < 2 or row.values.get(total_col) is None:
                continue
            parts = [row.values[c] for c in part_cols if row.values.get(c) is not None]
            if not parts:
                continue
            tv, s = row.values[total_col], sum(parts, Decimal(0))
            if abs(tv - s) > rounding_tolerance(len(parts)):
                names = "＋".join(column_key(c) for c in part_cols)
                yield finding("budget-subtotal-mismatch", row.cells.get(total_col),
                              f"“{row.label}”的{column_key(total_col)}为{fmt(tv)}，应等于{names}＝{fmt(s)}。", s)


@check
def low_execution(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """执行率 below the profile threshold (90%) without a reason. The reason is looked for where the
    layout puts it: its reason cell (Sichuan 原因, seed 004's 预算执行率 line); on the standard 附件1
    layout, which has none, the 偏差原因 of a 预算执行率 row and the 年度总体目标 实际完成情况 text."""
    b = ev.budget
    rate = b.rule_rate if b.rule_rate is not None else b.rate
    if rate is None or rate >= profile.low_execution_threshold:
        return
    head = (f"预算执行率为{pct(rate)}，低于{pct(profile.low_execution_threshold, 0)}，"
            "应说明未执行原因及改进措施")
    if "reason" in b.cells:
        if blank(b.reason) or is_form_instruction(b.reason):
            yield finding("low-execution-unexplained", b.cells["reason"], head + "。", None)
        return
    row_reason = ev.extra.get("budget_row_reason")
    goal = ev.project.goal_actual
    if (row_reason and not blank(row_reason[0])) or explains_execution(goal):
        return
    looked = ["预算执行率行的偏差原因"] if "budget_indicator_cell" in ev.extra else []
    looked.append("年度总体目标的实际完成情况")
    yield finding("low-execution-unexplained", cell_of(b.cells, "rate", "executed", "adjusted"),
                  f"{head}；本表没有预算执行原因栏，已查看{'、'.join(looked)}，未见说明。", None)


def is_form_instruction(text: str | None) -> bool:
    """The form's own guidance left in a reason cell ("预算执行率未达到90%的需说明原因（100字以内）")."""
    return bool(text) and bool(re.search(BUDGET_COLUMNS["form_instruction_pattern"], str(text)))


def explains_execution(text: str | None) -> bool:
    """Prose that speaks of the money not spent (budget_columns.json ``execution_reason_words``):
    "剩余3%尾款未付", "结余资金…" — not a bare "37.24"."""
    t = str(text or "")
    return any(w in t for w in BUDGET_COLUMNS["execution_reason_words"])


@check
def component_rates(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """Each funds row's stated 执行率 (当年财政拨款 / 上年结转 / 其他资金 …) = its 执行数 ÷ 预算数 —
    a 0% shown for a fully spent sub-row is an error like the total's. The total row is
    execution-rate-mismatch's."""
    for row in ev.budget.rows:
        if row.is_total or "rate" not in row.fields:
            continue
        stated = row.values.get(row.fields["rate"])
        executed = row.values.get(row.fields.get("executed", ""))
        denom = next((row.values.get(row.fields[f]) for f in ("adjusted", "initial")
                      if f in row.fields and row.values.get(row.fields[f])), None)
        if stated is None or executed is None or not denom:
            continue
        exact = executed / denom
        if matches_displayed(as_ratio(stated, exact), exact, profile.rate_digits):
            continue
        yield finding("execution-rate-mismatch", row.cells.get(row.fields["rate"]),
                      f"“{row.label}”的执行率填报为{pct(as_ratio(stated, exact))}，按 执行数{fmt(executed)} ÷ "
                      f"预算数{fmt(denom)} 应为{pct(exact)}。", excel_round(exact, profile.rate_digits))


def _money_groups(ev: Evaluation) -> Iterator[list[tuple[str, str, Decimal]]]:
    """Groups of money figures that should share an order of magnitude: (name, cell, value)."""
    b = ev.budget
    yield [(FIELD_LABELS[k], b.cells[k], getattr(b, k)) for k in FIELD_LABELS
           if getattr(b, k) is not None and b.cells.get(k)]
    coded = {row_code(r): r for r in b.rows if row_code(r) in (1, 2, 3, 4)}
    cols = {c for r in coded.values() for c in r.values}
    for col in cols:
        yield [(f"{r.label}（{col}）", r.cells[col], r.values[col]) for r in coded.values()
               if r.values.get(col) is not None and r.cells.get(col)]
    for r in b.rows:
        if row_code(r) is None and is_money_label(r.label):
            yield [(f"{r.label}（{c}）", r.cells[c], v) for c, v in r.values.items()
                   if v is not None and r.cells.get(c) and is_money_label(c)]


# The money units 10⁴ apart: (the one 10⁴ smaller, the one 10⁴ larger) than the sheet's unit.
_UNITS_APART = {"元": (None, "万元"), "万元": ("元", "亿元"), "亿元": ("万元", None)}


def _slip(unit: str, bigger: bool) -> str:
    """What a figure 10⁴ too big (or too small) in a table kept in ``unit`` most likely is: an
    amount in the unit 10⁴ smaller (larger) typed as ``unit`` — "把“元”当作“万元”填写" in a 万元 table."""
    smaller, larger = _UNITS_APART.get(unit, (None, None))
    other = smaller if bigger else larger
    if other is None:
        return f"疑似{'多' if bigger else '少'}写了约4位数（表中金额单位为{unit}）"
    return f"疑似把“{other}”当作“{unit}”填写"


@check
def magnitude_mismatch(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """A money figure about 10⁴ off from the others of its group (元 written for 万元, or back)."""
    flagged: set[str] = set()
    unit = ev.budget.unit or WAN
    # One against one: the slip is the figure typed in the unit 10⁴ smaller (元 in a 万元 or 万元 in a
    # 亿元 table: the bigger figure) — in a 元 table, where no smaller unit is typed, the smaller one.
    bigger_is_odd = unit != "元"
    for group in _money_groups(ev):
        vals = [(n, c, v) for n, c, v in group if v > 0]
        for name, cell, v in vals:
            if cell in flagged:
                continue
            peers = [(n2, p) for n2, c2, p in vals if c2 != cell]
            far = [(n, p) for n, p in peers if max(v, p) / min(v, p) >= FAR]
            near = [p for _, p in peers if max(v, p) / min(v, p) < NEAR]
            if not far or len(far) < len(near) or (len(far) == len(near) and (v < far[0][1]) == bigger_is_odd):
                continue
            ratio = max(v, far[0][1]) / min(v, far[0][1])
            if ratio > FAR * 10:
                continue   # 10⁵ and beyond is not the 元/万元 slip
            bigger = v > far[0][1]
            exp = v / TEN_THOUSAND if bigger else v * TEN_THOUSAND
            flagged.add(cell)
            yield finding("magnitude-mismatch", cell,
                          f"{name}为{fmt(v)}，与{far[0][0]}{fmt(far[0][1])}相差约1万倍，"
                          f"{_slip(unit, bigger)}，应为{fmt(exp)}（{unit}）。", exp)
