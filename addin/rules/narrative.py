"""The report's text against its tables (Word/PDF reports: ``ev.extra["narrative"]``).

What the text states is found by ``workbook_templates.narrative_text``; here it is compared:

* narrative-total-mismatch — "总得分99.51分" against the 总分 the 自评表 states;
* narrative-grade-mismatch — "属于“优秀”" against the grade of the total (优秀/良好/合格/较差 are
  the words for 优/良/中/差: ``narrative.json``, data);
* narrative-rate-mismatch / narrative-amount-mismatch — "执行1521.57万元，执行率95.1%" against the
  funds table (rates at the precision the text shows: 95.1% = 95.10%; money to the cent of 万元);
* narrative-actual-mismatch — an indicator's actual quoted in the text ("补助人数为187385人")
  against the table's 实际完成值 (18.74万人: equal at the precision the table shows);
* table-copy-mismatch — the same indicator pasted twice (seed 004's section tables and 附件1);
* narrative-share-mismatch / narrative-growth-mismatch / narrative-parts-mismatch — "X万元，占P%",
  "增加D万元，增长G%" and "合计X万元，其中：a、b…" in a 部门整体 report's text against its own amounts
  (seed 002), rounding tolerated.

When the text states a kind of figure several times and one of them agrees with the table, the
others are taken to be about something else (a department report quotes each project's score):
nothing is flagged — a check says only what it can tell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from udfs import Profile, scoring
from udfs.numbers import excel_round
from udfs.parse import parse_quantity
from workbook_templates.model import Evaluation, Finding
from workbook_templates.narrative_text import Statement, normal, number, sentence_at, statements

from . import check, finding
from .common import decimals, fmt, matches_displayed, pct
from .text import texts

CENT = Decimal("0.005")


@lru_cache(maxsize=1)
def words() -> dict:
    return json.loads((resources.files(__package__) / "narrative.json").read_text(encoding="utf-8"))


def paragraphs(ev: Evaluation) -> list[tuple[str, str]]:
    return list(ev.extra.get("narrative") or [])


def prose(ev: Evaluation) -> list[tuple[str | None, str]]:
    """(where, text) of the report's paragraphs and of the prose cells of its tables (年度目标完成情况,
    偏差原因 …): a figure is stated in either."""
    return [(cell, text) for text, cell in texts(ev)]


def where(ref: str | None) -> str:
    """'正文!A23' → '正文第23段'; a cell → '表1!H11单元格'."""
    if ref and ref.startswith("正文!"):
        return f"正文第{ref.rpartition('A')[2]}段"
    return f"{ref}单元格" if ref else "文字说明"


def stated(ev: Evaluation, what: str) -> list[tuple[str | None, Statement, str]]:
    """(where, statement, text) of every statement of one kind, in paragraphs and prose cells."""
    return [(ref, s, text) for ref, text in prose(ev) for s in statements(text) if s.what == what]


def _none_agree(found: list, agrees) -> list:
    """The statements to flag: all of them when none agrees, else none (see the module docstring)."""
    return [] if any(agrees(s) for _, s, _ in found) else found


@check
def narrative_total(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """The total the text states vs the 总分 the 自评表 states (when the total was not taken from the text)."""
    cell = ev.cells.get("total_score") or ""
    if ev.total_score is None or cell.startswith("正文!"):
        return
    for ref, s, _ in _none_agree(stated(ev, "total"), lambda s: abs(s.value - ev.total_score) <= CENT):
        yield finding("narrative-total-mismatch", ref,
                      f"{where(ref)}写“{s.written}”，自评表总分为{fmt(ev.total_score)}（{cell}），两者不一致。",
                      ev.total_score)


def grade_name(word: str, profile: Profile) -> str | None:
    """A grade word of the text as the profile names grades: 优秀 → 优, 合格 → 中 (narrative.json)."""
    names = [n for n, _ in profile.grades]
    if word in names:
        return word
    mapped = words()["grade_words"].get(word)
    return mapped if mapped in names else None


@check
def narrative_grade(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """The grade the text states vs the grade of the stated total (else the rule total)."""
    basis = ev.total_score if ev.total_score is not None else ev.rule_total_score
    if basis is None:
        return
    rule = scoring.grade(basis, profile)
    found = stated(ev, "grade")
    for ref, s, _ in _none_agree(found, lambda s: grade_name(s.value, profile) == rule):
        own = grade_name(s.value, profile)
        if own is None:
            continue
        yield finding("narrative-grade-mismatch", ref,
                      f"{where(ref)}写“{s.written}”（即“{own}”），按总分{fmt(basis)}评价等级应为“{rule}”。", rule)


@check
def narrative_rate(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """执行率 / 到位率 in the text vs the funds table (the rate it states, or 执行数 ÷ 预算数)."""
    b = ev.budget
    rates = {"rate": [x for x in (b.rule_rate, b.rate) if x is not None]}
    if b.available is not None and b.adjusted:
        rates["arrival"] = [b.available / b.adjusted]
    rates["unspent"] = [1 - x for x in rates["rate"]]
    names = {"rate": "预算执行率", "arrival": "资金到位率", "unspent": "未执行的比例（1 − 预算执行率）"}
    for what, known in rates.items():
        if not known:
            continue
        for ref, s, _ in _none_agree(stated(ev, what), lambda s, k=known: any(matches_displayed(s.value, x) for x in k)):
            yield finding("narrative-rate-mismatch", ref,
                          f"{where(ref)}写“{s.written}”，按表中数字{names[what]}为{pct(known[0])}，两者不一致。", known[0])


@check
def narrative_amount(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """执行/预算 amounts in the text vs the funds table (万元, to the cent; any row of it: the text may
    quote the 财政拨款 line)."""
    b = ev.in_wan().budget            # the text speaks 万元; a 元 table's funds are converted (issue #12)
    table = {"executed": [b.executed], "budget": [b.adjusted, b.initial, b.available]}
    for row in b.rows:                # the funds table's other rows (其中：本年财政拨款 …) state amounts too
        for col, v in row.values.items():
            what = f"{row.label}{col}"
            if v is None or "率" in what:
                continue
            if "执行" in what or "支出" in what:
                table["executed"].append(v)
            elif "预算" in what or "到位" in what:
                table["budget"].append(v)
    label = {"executed": "全年执行数", "budget": "预算数"}
    for what, known in table.items():
        known = [k for k in known if k is not None]
        if not known:
            continue
        found = [x for x in stated(ev, what) if x[1].value >= 1 or x[1].written.endswith("万元")]
        for ref, s, _ in _none_agree(found, lambda s, k=known: any(abs(s.value - x) <= CENT for x in k)):
            yield finding("narrative-amount-mismatch", ref,
                          f"{where(ref)}写“{s.written}”，表中{label[what]}为{fmt(known[0])}万元，两者不一致。", known[0])


_TEXT_QTY = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(%|[\u4e00-\u9fff]{0,3})")
_UNIT_IN_BRACKETS = re.compile(r"[（(][^（）()]*[)）]\s*$")


def _quoted_actual(sentence: str, after: int, ctx: dict) -> tuple[str, Decimal, str] | None:
    """The first quantity within a few characters after an indicator's name, unless the words
    before it mark a target ("目标", "≥", "不低于" …) or it is a year."""
    window = sentence[after:after + ctx["window"]]
    m = _TEXT_QTY.search(window)
    if not m or any(w in window[:m.start()] for w in ctx["target_words"]):
        return None
    if re.search(r"\d", window[:m.start()]):
        return None
    unit = next((u for u in ctx["units"] if m.group(2).startswith(u)), None)
    if unit is None or (unit == "年" and "." not in m.group(1) and len(m.group(1)) == 4):
        return None
    return f"{m.group(1)}{unit}", number(m.group(1)), unit


def same_at_table_precision(text_q, table_q) -> bool | None:
    """The text's figure equals the table's as the table shows it (187385人 = 18.74万人); None when
    they are not the same kind of quantity."""
    if text_q.base_unit != table_q.base_unit or table_q.bare or text_q.bare:
        return None
    in_table_units = text_q.value / table_q.scale
    return excel_round(in_table_units, decimals(table_q.number)) == table_q.number or \
        excel_round(table_q.number, decimals(text_q.number * text_q.scale / table_q.scale)) == in_table_units


@check
def narrative_actual(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """An indicator's actual quoted in the text vs its 实际完成值 in the table."""
    ctx = words()["actuals"]
    texts = paragraphs(ev)
    for ind in ev.indicators:
        q = parse_quantity(ind.actual, profile) if isinstance(ind.actual, str) else None
        if q is None or q.high is not None or q.bare:
            continue
        key = normal(_UNIT_IN_BRACKETS.sub("", ind.name or "")).strip()
        if len(key) < 4:
            continue
        for ref, text in texts:
            s = normal(text)
            start = s.find(key)
            while start >= 0:
                sent = sentence_at(s, start)
                pos = start - s.rfind(sent, 0, start + len(sent)) + len(key)   # this mention, not the first
                hit = _quoted_actual(sent, pos, ctx)
                if hit:
                    written, _, _ = hit
                    tq = parse_quantity(written, profile)
                    if tq is not None and same_at_table_precision(tq, q) is False:
                        yield finding("narrative-actual-mismatch", ref,
                                      f"{where(ref)}写“{key}…{written}”，自评表中“{ind.name}”的实际完成值为"
                                      f"“{ind.actual}”（{ind.cells.get('actual') or ind.cell}），两者不一致。", ind.actual)
                        break
                start = s.find(key, start + len(key))


def _same_text(a: object, b: object, profile: Profile) -> bool:
    """Two copies of a value agree: same text, or the same number where one side has no unit."""
    if a is None or b is None:
        return True
    sa, sb = normal(str(a)).strip(), normal(str(b)).strip()
    if sa == sb:
        return True
    qa, qb = parse_quantity(sa, profile), parse_quantity(sb, profile)
    if qa is None or qb is None:
        return False
    if qa.bare or qb.bare:
        return qa.number == qb.number
    return qa.value == qb.value


@check
def table_copies(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """An indicator pasted into two tables of one report with different 分值/目标值/实际值/得分."""
    mine = {normal(i.name or "").strip(): i for i in ev.indicators}
    b = ev.budget
    labels = {"weight": "分值", "target": "目标值", "actual": "实际完成值", "score": "得分"}
    for copy in ev.extra.get("table_copies") or []:
        for row in copy["indicators"]:
            name = normal(row["name"] or "").strip()
            if name == "预算执行率":
                own = {"weight": b.weight, "score": b.score}
                cells = b.cells
            elif name in mine:
                i = mine[name]
                own = {"weight": i.weight, "target": i.target, "actual": i.actual, "score": i.score}
                cells = i.cells
            else:
                continue
            for key, value in own.items():
                if not _same_text(row.get(key), value, profile):
                    at = row["cells"].get(key)
                    yield finding("table-copy-mismatch", at,
                                  f"“{row['name']}”的{labels[key]}在{at}为“{fmt_any(row.get(key))}”，"
                                  f"在自评表{cells.get(key) or ''}为“{fmt_any(value)}”，同一指标两处不一致。", value)


def fmt_any(v: object) -> str:
    return fmt(v) if isinstance(v, Decimal) else str(v)


_AMOUNT = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*万元")
_SHARE = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*万元[,，]?\s*占(?:([^,，。；;\d%]{1,12})的)?\s*(-?\d+(?:\.\d+)?)\s*%")
_GROWTH = re.compile(r"(增加|减少)\s*(\d+(?:\.\d+)?)\s*万元[,，]?\s*(增长|增加|下降|减少)\s*(\d+(?:\.\d+)?)\s*%")


def _sentences(text: str) -> Iterator[str]:
    s = normal(text)
    start = 0
    for m in re.finditer(r"[。！？!?\n]", s):
        yield s[start:m.start()]
        start = m.end()
    yield s[start:]


@check
def narrative_shares(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """"A万元，占P%" against A ÷ the sentence's total (the amount before 其中, else its first amount;
    the total's own "占P%" is of a larger total the sentence does not give: not checked);
    "占决算报表支出的P%" against the amount the paragraph gives for 决算报表支出 (none: not checked)."""
    for ref, text in paragraphs(ev):
        para = normal(text)
        for sent in _sentences(text):
            amounts = [(m.start(), number(m.group(1))) for m in _AMOUNT.finditer(sent)]
            if not amounts:
                continue
            split = sent.find("其中")
            before = [(pos, a) for pos, a in amounts if 0 <= split and pos < split]
            base_at, base = before[-1] if before else amounts[0]
            for m in _SHARE.finditer(sent):
                part, share = number(m.group(1)), number(m.group(3)) / 100
                whole = base
                if m.group(2):
                    named = re.search(re.escape(m.group(2)) + r"[^\d,，。；;]{0,4}?(\d+(?:\.\d+)?)\s*万元", para)
                    if not named:
                        continue
                    whole = number(named.group(1))
                elif m.start() == base_at:     # the whole's own share: of a total the sentence does not give
                    continue
                if whole <= 0 or part > whole:
                    continue
                exact = part / whole
                if not matches_displayed(share, exact):
                    yield finding("narrative-share-mismatch", ref,
                                  f"{where(ref)}写“{m.group(0)}”，按{fmt(part)}÷{fmt(whole)}应为{pct(exact)}。", exact)


_PART = re.compile(r"^([^\d]{1,24}?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*万元$")
_ASIDE = re.compile(r"^(?:占[^\d]{0,12}|[^\d]{0,12}率[^\d]{0,4})-?\d+(?:\.\d+)?\s*%$")    # 占86.8% · 执行率达100%
_NOT_PARTS = ("月", "累计", "预警", "增加", "减少", "增长", "下降", "同比", "较上年", "比上年")


def listed_parts(segment: str) -> list[Decimal] | None:
    """The amounts of a "其中：" list when every clause is "label + amount" (or a 占P% / rate aside);
    None when the list is anything else (cumulative months, changes, nested 其中 …)."""
    parts: list[Decimal] = []
    for clause in re.split(r"[,，;；、]", segment):
        clause = clause.strip()
        if not clause or _ASIDE.match(clause):
            continue
        m = _PART.match(clause)
        if not m or any(w in m.group(1) for w in _NOT_PARTS) or "其中" in m.group(1):
            return None
        parts.append(number(m.group(2)))
    return parts


@check
def narrative_parts(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """"X万元，其中：a万元，b万元…" (the list up to the sentence end) against a + b + … = X, rounding
    of the parts tolerated (n × 0.005); only lists of plain "label + amount" items are checked."""
    for ref, text in paragraphs(ev):
        s = normal(text)
        for m in re.finditer(r"其中\s*[:：]", s):
            before = [x for x in _AMOUNT.finditer(s, 0, m.start())
                      if not any(w in s[max(0, x.start() - 3):x.start()] for w in ("增加", "减少", "增长"))]
            end = re.compile(r"[。\n]").search(s, m.end())
            parts = listed_parts(s[m.end():end.start() if end else len(s)])
            if not before or not parts or len(parts) < 2:
                continue
            whole = number(before[-1].group(1))
            total = sum(parts, Decimal(0))
            if abs(total - whole) > CENT * len(parts):
                yield finding("narrative-parts-mismatch", ref,
                              f"{where(ref)}写合计{fmt(whole)}万元，“其中”所列{len(parts)}项合计{fmt(total)}万元，两者不一致。",
                              total)


_YEAR_FIGURES = re.compile(r"(20\d\d)年[^。；;]*?(\d+(?:\.\d+)?)\s*万元[^。；;]*?(\d+)\s*人[^。；;]*?人均[^。；;\d]{0,8}"
                           r"(\d+(?:\.\d+)?)\s*万元")
_PER_CAPITA = re.compile(r"人均[^。；;\d]{0,8}变化率[^。；;\d-]{0,4}(-?\d+(?:\.\d+)?)\s*%")


@check
def narrative_per_capita(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """"人均资产变化率为-17.52%" against the two years' totals and head counts the paragraph gives
    (seed 002): computed from the unrounded per-capita values (udfs.rates.per_capita_change); a
    figure that comes from the rounded per-capita values the text shows is information, not error."""
    from udfs import rates

    for ref, text in paragraphs(ev):
        s = normal(text)
        m = _PER_CAPITA.search(s)
        years = sorted((int(y), number(a), number(n), number(pc)) for y, a, n, pc in _YEAR_FIGURES.findall(s[:m.start()] if m else ""))
        if not m or len(years) < 2:
            continue
        (_, a1, n1, pc1), (_, a2, n2, pc2) = years[-2], years[-1]
        stated_rate = number(m.group(1)) / 100
        exact = rates.per_capita_change(a2, n2, a1, n1)
        if exact is None or pc1 == 0 or matches_displayed(stated_rate, exact):
            continue
        rounded = (pc2 - pc1) / pc1
        if matches_displayed(stated_rate, rounded):
            yield finding("narrative-per-capita", ref,
                          f"{where(ref)}写“{m.group(0)}”，是按取整后的人均值{fmt(pc2)}与{fmt(pc1)}计算的；"
                          f"按{fmt(a2)}÷{n2}与{fmt(a1)}÷{n1}（不先取整）应为{pct(exact)}。", exact, severity="info")
        else:
            yield finding("narrative-per-capita", ref,
                          f"{where(ref)}写“{m.group(0)}”，按{fmt(a2)}÷{n2}与{fmt(a1)}÷{n1}应为{pct(exact)}。", exact)


@check
def narrative_growth(ev: Evaluation, profile: Profile) -> Iterator[Finding]:
    """"增加D万元，增长G%" against D ÷ (this year's amount − D), this year's amount being the last
    amount the paragraph gives before the change."""
    for ref, text in paragraphs(ev):
        s = normal(text)
        for m in _GROWTH.finditer(s):
            before = list(_AMOUNT.finditer(s, 0, m.start()))
            if not before:
                continue
            current = number(before[-1].group(1))
            change = number(m.group(2)) * (-1 if m.group(1) == "减少" else 1)
            stated_rate = number(m.group(4)) / 100 * (-1 if m.group(3) in ("下降", "减少") else 1)
            prior = current - change
            if prior <= 0:
                continue
            exact = change / prior
            if not matches_displayed(stated_rate, exact):
                yield finding("narrative-growth-mismatch", ref,
                              f"{where(ref)}写“{m.group(0)}”，按{fmt(change)}÷（{fmt(current)}−{fmt(change)}）"
                              f"应为{pct(exact)}。", exact)


