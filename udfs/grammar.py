"""The grammar of 年度指标值 / 实际完成值: text as units write it → one typed ``Value``.

Why a hand-written grammar and not ``lark``: the language is small and regular (a quantity, two
quantities, a change word, a date, a duration, a phrase) and ``udfs`` must stay pure Python with no
dependency (it is packaged for Pyodide). Each production below is one named regular expression
built from the same fragments, tried in the order listed; the first that matches the whole
normalised text wins. Reading this list *is* reading the grammar::

    text        := na | range | change | date | deadline | duration | number | phrase | unknown
    na          := "/" | "-" | "—" | "无" | "不适用" …                  (lexicon.json not_applicable)
    range       := "[" q "," q "]" | "(" q "," q ")"  (either end open or closed)
                 | GE q ("且"|",")? LE q  |  q LE "x" LE q  |  q "±" q  |  q ("-"|"~"|"至"|"到") q ("之间")?
                   (q "±" N% is relative, in q's unit: 200万元±5% = [190万元,210万元]; a span of months
                    "1-12月", "1-6月完成" is a calendar period, not a range: unknown, and said so)
    change      := base? ("增长"|"提高"|"下降"|"降低"|"减少"…) op? q ("个百分点")? suffix?   base := "较上年"…
    date        := op? (YYYY "年" | YYYY "年度")? (M "月")? (D "日")? ("底"|"末"|"全年")? ("前"|"以前"|"之前")? ("完成")?
                 | YYYY "-" MM "-" DD                                  (year or month+day required)
    deadline    := "按期" | "按时" | "及时" | "如期" … (+ 完成/到位/拨付…)   (lexicon.json deadline_targets)
    duration    := op? N ("个")? ("工作日"|"天"|"日"|"小时"|"分钟"|"周"|"个月") ("内"|"以内"|"之内")?
    number      := op? q suffix? | "控制在" q "以内"
    q           := NUM unit?      NUM := [-+]?digits(.digits)?     unit := up to 8 non-digit characters
                   (a 、 after "/" inside a unit joins it: 元/人、天 = 元/人·天)
    op          := ≥ > ≤ < = (and every look-alike: ＝ ﹦ ═ ≧ ≦ ⩾ ⩽ ＞＝ >= <= == 大于等于 不低于 不少于
                   高于 超过 不高于 不超过 低于 小于 等于 …)
    suffix      := 以上 | 及以上 | 以下 | 及以下 | 以内 | 之内           (keeps its direction when alone)
    phrase      := text with no digit (效果明显, 达成预期指标)
    unknown     := anything else — never silently qualitative

Numbers keep their written form (``number``, ``unit``) and their value in base units (``value``:
18.74万人 → 187400, 95% → 0.95). ``Value.display()`` writes a value back in a canonical form that
parses to the same value (tested as a property).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

NUMBER, RANGE, CHANGE, DATE, DEADLINE, DURATION, PHRASE, NA, UNKNOWN = (
    "number", "range", "change", "date", "deadline", "duration", "qualitative", "not-applicable", "unknown")
KINDS = (NUMBER, RANGE, CHANGE, DATE, DEADLINE, DURATION, PHRASE, NA, UNKNOWN)

GE, GT, LE, LT, EQ = ">=", ">", "<=", "<", "="
SYMBOL = {GE: "≥", GT: ">", LE: "≤", LT: "<", EQ: "="}

_PERCENT, _PERMILLE = Decimal("0.01"), Decimal("0.001")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The word lists of ``udfs/lexicon.json`` (not-applicable marks, negators, phrases, deadline words)."""
    return json.loads((resources.files("udfs") / "lexicon.json").read_text(encoding="utf-8"))


# ---- normalisation -------------------------------------------------------------------------
_LOOKALIKE = [("＞＝", ">="), ("＜＝", "<="), ("═", "="), ("﹦", "="), ("≧", "≥"), ("≦", "≤"), ("⩾", "≥"), ("⩽", "≤"),
              (">=", "≥"), ("<=", "≤"), ("=>", "≥"), ("=<", "≤"), ("≥=", "≥"), ("≤=", "≤"), ("==", "="),
              ("〜", "~"), ("∽", "~"), ("–", "-"), ("―", "-"), ("－", "-"), ("【", "["), ("】", "]"),
              ("〔", "["), ("〕", "]"), ("％", "%"), ("﹪", "%"), ("×", "x"), ("＋", "+"), ("∶", ":")]


# "400元/人、天": a 、 inside a unit after a "/" joins the denominators (元/人·天), it does not list
# two values — only between a number's "/unit" and unit letters that end the quantity.
_UNIT_CHAR = r"[^\d≥≤<>=~±\[\](),、且/]"
_COMPOUND_UNIT = re.compile(rf"(\d{_UNIT_CHAR}{{0,4}}/{_UNIT_CHAR}{{1,4}})、(?={_UNIT_CHAR}{{1,4}}(?:$|[^\d、/]))")


def normalize(s: str) -> str:
    """NFKC (full-width → half-width), every comparator look-alike → one symbol, spaces removed,
    a 、 inside a compound unit → · (元/人、天 = 元/人·天), thousands separators removed (only
    outside brackets, where a comma separates two bounds)."""
    s = unicodedata.normalize("NFKC", s)
    for a, b in _LOOKALIKE:
        s = s.replace(a, b)
    s = re.sub(r"\s+", "", s)
    s = _COMPOUND_UNIT.sub(r"\1·", s)
    if "[" not in s and "(" not in s:
        s = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", s)
    return s.strip("。;；")


# ---- fragments -----------------------------------------------------------------------------
_NUM = r"[-+]?\d+(?:\.\d+)?"
_UNIT = r"[^\d≥≤<>=~±\[\](),、且]{0,8}?"
_Q = rf"(?P<@n>{_NUM})(?P<@u>{_UNIT})"
_PREFIX_WORDS = [  # longest first so 大于等于 wins over 大于
    ("大于或等于", GE), ("大于等于", GE), ("不低于", GE), ("不少于", GE), ("不小于", GE), ("至少", GE), ("≥", GE),
    ("超过", GT), ("大于", GT), ("高于", GT), ("多于", GT), (">", GT),
    ("小于或等于", LE), ("小于等于", LE), ("不高于", LE), ("不超过", LE), ("不大于", LE), ("不多于", LE), ("最多", LE),
    ("≤", LE), ("低于", LT), ("小于", LT), ("少于", LT), ("<", LT), ("等于", EQ), ("=", EQ),
]
_SUFFIX_WORDS = [("及以上", GE), ("以上", GE), ("及以下", LE), ("以下", LE), ("以内", LE), ("之内", LE)]
_OP_RE = "|".join(re.escape(w) for w, _ in _PREFIX_WORDS)
_SUF_RE = "|".join(re.escape(w) for w, _ in _SUFFIX_WORDS)
_OP_OF = dict(_PREFIX_WORDS)
_SUF_OF = dict(_SUFFIX_WORDS)
_DURATION_UNITS = ("个工作日", "工作日", "自然日", "个小时", "小时", "分钟", "个月", "天", "日", "周", "秒")
_DUR_RE = "|".join(_DURATION_UNITS)


def _q(n: str, u: str) -> str:
    return _Q.replace("@n", n).replace("@u", u)


_P_BRACKET = re.compile(rf"^(?P<lb>[\[(]){_q('a', 'ua')},{_q('b', 'ub')}(?P<rb>[\])])$")
_P_TWO_OPS = re.compile(rf"^(?P<o1>≥|>|大于等于|不低于|不少于|高于|大于){_q('a', 'ua')}(?:且|并且|,|、|and|&)?"
                        rf"(?P<o2>≤|<|小于等于|不高于|不超过|低于|小于){_q('b', 'ub')}$")
_P_BETWEEN_X = re.compile(rf"^{_q('a', 'ua')}(?P<o1>≤|<)(?:x|X|实际值|完成值|指标值)(?P<o2>≤|<){_q('b', 'ub')}$")
_P_PM = re.compile(rf"^{_q('a', 'ua')}±{_q('b', 'ub')}$")
_P_DASH = re.compile(rf"^{_q('a', 'ua')}(?:~|-|—|至|到){_q('b', 'ub')}(?:之间|以内|范围内)?$")
_P_MONTHS = re.compile(r"^(?:0?[1-9]|1[0-2])月?(?:~|-|—|至|到)(?:0?[1-9]|1[0-2])月(?!\d)")   # 1-12月, 1月至6月
_P_DATE_ISO = re.compile(r"^(?P<op>" + _OP_RE + r")?(?P<y>(?:19|20)\d\d)(?:(?P<sep>[-/])(?P<m>\d{1,2})"
                         r"(?:(?P=sep)(?P<d>\d{1,2}))?|\.(?P<m2>\d{1,2})\.(?P<d2>\d{1,2}))(?P<before>前|以前|之前)?$")
# (2023-06, 2023/6/30, 2023.6.30 — but never 2023.6, which is a decimal number)
_P_DATE = re.compile(r"^(?P<op>" + _OP_RE + r")?(?:(?P<y>(?:19|20)\d\d)年度?)?(?:(?P<m>\d{1,2})月(?:份)?)?"
                     r"(?:(?P<d>\d{1,2})[日号])?(?P<end>底|末|年底|年末|全年)?(?P<before>前|以前|之前|内)?"
                     r"(?P<done>完成|完工|竣工|办结|到位|前完成|实施|开工|投入使用|交付)?$")
_P_DURATION = re.compile(rf"^(?P<op>{_OP_RE})?(?P<n>{_NUM})(?P<u>{_DUR_RE})(?P<suf>内|以内|之内|以上|以下)?$")
_P_NUMBER = re.compile(rf"^(?P<label>[^\d≥≤<>=]*?)(?P<op>{_OP_RE})?{_q('a', 'ua')}(?P<suf>{_SUF_RE})?$")
_P_CONTROL = re.compile(rf"^控制在{_q('a', 'ua')}(?:以内|之内|以下)$")


@dataclass(frozen=True)
class Value:
    """One target or actual, typed. Numbers in base units (``value``), as written (``number``, ``unit``)."""

    kind: str
    text: str = ""
    op: str | None = None           # GE GT LE LT EQ; None = a bare number
    number: Decimal | None = None   # as written (18.74; for a change its size, 5)
    unit: str = ""                  # as written ("万人", "%", "元/人", "个工作日", "个百分点")
    base_unit: str = ""             # without magnitude ("人", "%")
    scale: Decimal = Decimal(1)     # value = number × scale
    value: Decimal | None = None    # in base units
    low: Decimal | None = None      # range bounds in base units
    high: Decimal | None = None
    low_open: bool = False
    high_open: bool = False
    low_number: Decimal | None = None   # bounds as written
    high_number: Decimal | None = None
    sign: int = 0                   # change: +1 up, −1 down
    base: str | None = None         # change: 较上年 …
    year: int | None = None         # date
    month: int | None = None
    day: int | None = None
    phrase: str | None = None       # qualitative phrase / deadline word
    low_unit: str = ""              # range: the unit written on the low bound ("" in "80-90%")

    # -- convenience ----------------------------------------------------------------------
    @property
    def is_percent(self) -> bool:
        return self.base_unit == "%"

    @property
    def bare(self) -> bool:
        return self.kind == NUMBER and self.unit == ""

    @property
    def strict(self) -> bool:
        return self.op in (GT, LT)

    @property
    def points(self) -> bool:
        return self.kind == CHANGE and self.unit == "个百分点"

    def display(self) -> str:
        """Canonical text that parses back to this value ("≥95%", "[95%,100%)", "提高5个百分点")."""
        op = SYMBOL.get(self.op or "", "")
        if self.kind in (NUMBER, DURATION):
            return f"{op}{fmt(self.number)}{self.unit}"
        if self.kind == RANGE:
            lu, hu = self.low_unit, self.unit
            return (f"{'(' if self.low_open else '['}{fmt(self.low_number)}{lu},"
                    f"{fmt(self.high_number)}{hu}{')' if self.high_open else ']'}")
        if self.kind == CHANGE:
            word = "提高" if self.sign > 0 else "下降"
            suffix = {GE: "以上", LE: "以内"}.get(self.op or "", "")
            return f"{self.base or ''}{word}{fmt(self.number)}{self.unit}{suffix}"
        if self.kind == DATE:
            out = f"{self.year}年" if self.year else ""
            if self.month:
                out += f"{self.month}月"
            if self.day:
                out += f"{self.day}日"
            if self.op == LE:
                out += "前" if self.day else "底前"
            return out
        if self.kind == NA:
            return "/"
        return self.phrase if self.phrase is not None else self.text

    def key(self) -> tuple:
        """What the value means (for comparing two parses): everything but the text."""
        return (self.kind, self.op, self.value, self.low, self.high, self.low_open, self.high_open, self.sign,
                self.base_unit, self.points, self.year, self.month, self.day,
                self.phrase)         # set on phrases and deadline words only


def fmt(d: Decimal | None) -> str:
    """A Decimal without exponent or trailing zeros (95.50 → 95.5)."""
    if d is None:
        return ""
    d = d.normalize()
    s = format(d, "f")
    return s


# ---- units ---------------------------------------------------------------------------------
def split_unit(unit: str, magnitudes: dict[str, Decimal], percent: tuple[str, ...],
               permille: tuple[str, ...]) -> tuple[str, Decimal]:
    """'万人' → ('人', 10⁴); '%' → ('%', 0.01); '元/人' → ('元/人', 1); '%覆盖' → ('%', 0.01).
    A magnitude word alone is a magnitude, not a unit: '万' → ('', 10⁴) — "200万" is 2,000,000 of
    whatever the other side counts (200万 against 195.5万元 is 200万元)."""
    if unit in percent or unit.startswith("%"):
        return "%", _PERCENT
    if unit in permille or unit.startswith("‰"):
        return "‰", _PERMILLE
    for prefix, factor in sorted(magnitudes.items(), key=lambda kv: -len(kv[0])):
        if unit.startswith(prefix) and unit != prefix + "分比":
            return unit[len(prefix):], factor
    return unit, Decimal(1)


@dataclass(frozen=True)
class Units:
    """The profile's unit table (``units`` of the profile JSON: ``udfs.parse.units_of``), hashable
    (the parser's cache key). No built-in copy: the table is the profile's data."""

    magnitudes: tuple[tuple[str, Decimal], ...]
    percent: tuple[str, ...]
    permille: tuple[str, ...]

    def split(self, unit: str) -> tuple[str, Decimal]:
        return split_unit(unit, dict(self.magnitudes), self.percent, self.permille)


def _clean_unit(u: str) -> str:
    return u.strip("()").strip()


# ---- the parser ----------------------------------------------------------------------------
def parse(x: object, units: Units) -> Value:
    """Text or a cell value → ``Value``, units by the profile's table (``udfs.parse.parse_value``).
    Blank → ``Value(NA)`` is *not* given: blank is ``UNKNOWN`` with empty text; callers check blank
    first. Numbers (cell values) are bare numbers."""
    if x is None:
        return Value(UNKNOWN, "")
    if isinstance(x, bool):
        return Value(UNKNOWN, str(x))
    if isinstance(x, (int, float, Decimal)):
        d = Decimal(repr(x)) if isinstance(x, float) else Decimal(x)
        if not d.is_finite():
            return Value(UNKNOWN, str(x))
        return Value(NUMBER, str(x), None, d, "", "", Decimal(1), d)
    if not isinstance(x, str):
        return Value(UNKNOWN, str(x))
    return _parse_text(x, units)


@lru_cache(maxsize=65536)
def _parse_text(text: str, units: Units) -> Value:
    s = normalize(text)
    if not s:
        return Value(UNKNOWN, text)
    lex = lexicon()
    if s in lex["not_applicable"] or re.fullmatch(r"[-—/\\]+", s):
        return Value(NA, text)
    for production in (_range, _change, _date, _deadline, _duration, _number):
        v = production(s, text, units)
        if v is not None:
            return v
    if not re.search(r"\d", s):
        return Value(PHRASE, text, phrase=s)
    return Value(UNKNOWN, text)


def _number_value(text: str, op: str | None, n: str, u: str, units: Units, kind: str = NUMBER) -> Value:
    number = Decimal(n)
    unit = _clean_unit(u)
    base, scale = units.split(unit)
    return Value(kind, text, op, number, unit, base, scale, number * scale)


def _range_value(text: str, a: str, ua: str, b: str, ub: str, units: Units,
                 low_open: bool = False, high_open: bool = False) -> Value | None:
    ua, ub = _clean_unit(ua), _clean_unit(ub)
    if ua.endswith("之间"):
        return None
    unit = ub or ua
    base_b, scale_b = _range_unit(unit, units)
    base_a, scale_a = _range_unit(ua, units) if ua else (base_b, scale_b)
    if ua and ub and base_a != base_b:
        return None
    lo, hi = Decimal(a) * scale_a, Decimal(b) * scale_b
    if lo > hi:
        return None
    return Value(RANGE, text, None, None, unit, base_b, scale_b, None, lo, hi, low_open, high_open,
                 Decimal(a), Decimal(b), low_unit=ua)


def _range_unit(unit: str, units: Units) -> tuple[str, Decimal]:
    """A bound's (base unit, scale): a duration's by the duration table ("3-5个工作日" against
    "4个工作日", "1-2周" = 7–14天), any other by the profile's units. Not 日 alone ("1-15日" may be
    days of a month, as "15日" alone is)."""
    if unit in _DURATION_BASE and unit != "日":
        return _duration_unit(unit)
    return units.split(unit)


def _range(s: str, text: str, units: Units) -> Value | None:
    m = _P_BRACKET.match(s)
    if m:
        v = _range_value(text, m["a"], m["ua"], m["b"], m["ub"], units, m["lb"] == "(", m["rb"] == ")")
        if v is not None:
            return v
    for pat in (_P_TWO_OPS, _P_BETWEEN_X):
        m = pat.match(s)
        if m:
            lo_open = _OP_OF.get(m["o1"], GE) in (GT,) or m["o1"] == "<"
            hi_open = _OP_OF.get(m["o2"], LE) in (LT,) or m["o2"] == "<"
            v = _range_value(text, m["a"], m["ua"], m["b"], m["ub"], units, lo_open, hi_open)
            if v is not None:
                return v
    m = _P_PM.match(s)
    if m:
        ua, ub = _clean_unit(m["ua"]), _clean_unit(m["ub"])
        c, t = Decimal(m["a"]), Decimal(m["b"])
        if ub == "%" and units.split(ua)[0] != "%":     # 100±5%, 200万元±5%: relative, in the centre's unit
            v = _range_value(text, fmt(c * (1 - t / 100)), ua, fmt(c * (1 + t / 100)), ua, units)
        elif ub in ("", ua):                            # 95%±2%, 100±5, 50万元±5万元: absolute
            v = _range_value(text, fmt(c - t), ua, fmt(c + t), ua, units)
        else:                                           # 100±5万元: which unit the centre is in is not said
            v = None
        if v is not None:
            return v
    if _P_MONTHS.match(s):
        return None        # "1-12月", "1-6月完成": a calendar period, not a number range to score against
    m = _P_DASH.match(s)
    if m and not m["a"].startswith(("-", "+")) and not m["b"].startswith(("-", "+")):
        return _range_value(text, m["a"], m["ua"], m["b"], m["ub"], units)
    return None


def _change(s: str, text: str, units: Units) -> Value | None:
    lex = lexicon()
    base = next((b for b in sorted(lex["change_bases"], key=len, reverse=True) if s.startswith(b)), None)
    rest = s[len(base):] if base else s
    rest = re.sub(r"^(?:的|有所)", "", rest)
    for direction, sign in (("up", 1), ("down", -1)):
        # the longest change word the text starts with (增长 before 增); no text starts with both an
        # up and a down word
        word = next((w for w in sorted(lex["change_words"][direction], key=len, reverse=True)
                     if rest.startswith(w)), None)
        if word is None:
            continue
        body = re.sub(r"^(?:了|率|幅度|幅)", "", rest[len(word):])
        m = re.match(rf"^(?P<op>{_OP_RE})?(?P<n>{_NUM})(?P<u>%|‰|个百分点|百分点|[^\d]{{0,6}}?)"
                     rf"(?P<suf>{_SUF_RE})?(?:\(?(?P<base2>{'|'.join(lex['change_bases'])})\)?)?$", body)
        if not m or m["n"].startswith(("-", "+")):
            return None
        unit = "个百分点" if m["u"] in ("个百分点", "百分点") else _clean_unit(m["u"])
        op = _OP_OF.get(m["op"] or "") or _SUF_OF.get(m["suf"] or "")
        number = Decimal(m["n"])
        b_unit, scale = ("个百分点", _PERCENT) if unit == "个百分点" else units.split(unit)
        return Value(CHANGE, text, op, number, unit, b_unit, scale, number * scale, sign=sign,
                     base=base or m["base2"])
    return None


def _date(s: str, text: str, units: Units) -> Value | None:
    m = _P_DATE_ISO.match(s) or _P_DATE.match(s)
    if not m:
        return None
    gd = m.groupdict()
    if gd.get("m2"):
        gd["m"], gd["d"] = gd["m2"], gd["d2"]
    y = int(gd["y"]) if gd.get("y") else None
    mo = int(gd["m"]) if gd.get("m") else None
    d = int(gd["d"]) if gd.get("d") else None
    if y is None and not (mo and (d or gd.get("end") or gd.get("before"))):
        return None
    if mo is not None and not 1 <= mo <= 12 or d is not None and not 1 <= d <= 31:
        return None
    if d is not None and mo is None:
        return None
    op = _OP_OF.get(gd.get("op") or "")
    if gd.get("before") or (gd.get("end") and gd.get("done")):
        op = LE                                # "…前", "…内", "年底完成": by that date
    return Value(DATE, text, op, year=y, month=mo, day=d)


def _deadline(s: str, text: str, units: Units) -> Value | None:
    lex = lexicon()
    for word in sorted(lex["deadline_targets"], key=len, reverse=True):
        if s.startswith(word) and len(s) <= len(word) + 4 and not re.search(r"\d", s):
            return Value(DEADLINE, text, phrase=s)
    return None


def _duration(s: str, text: str, units: Units) -> Value | None:
    m = _P_DURATION.match(s)
    if not m:
        return None
    op = _OP_OF.get(m["op"] or "")
    suf = m["suf"]
    if suf in ("内", "以内", "之内", "以下"):
        op = op or LE
    elif suf == "以上":
        op = op or GE
    unit = m["u"]
    if unit == "日" and op is None:      # (a suffix has set op: 内/以内/以下 ≤, 以上 ≥)
        return None        # "15日" alone is a day of a month more often than a duration
    number = Decimal(m["n"])
    base, scale = _duration_unit(unit)
    return Value(DURATION, text, op, number, unit, base, scale, number * scale)


_DURATION_BASE = {"个工作日": ("工作日", 1), "工作日": ("工作日", 1), "自然日": ("天", 1), "天": ("天", 1), "日": ("天", 1),
                  "周": ("天", 7), "个小时": ("小时", 1), "小时": ("小时", 1), "分钟": ("小时", Decimal(1) / 60),
                  "秒": ("小时", Decimal(1) / 3600), "个月": ("月", 1)}


def _duration_unit(unit: str) -> tuple[str, Decimal]:
    base, scale = _DURATION_BASE[unit]
    return base, Decimal(scale)


def _number(s: str, text: str, units: Units) -> Value | None:
    m = _P_CONTROL.match(s)
    if m:
        return _number_value(text, LE, m["a"], m["ua"], units)
    m = _P_NUMBER.match(s)
    if not m:
        return None
    label = m["label"]
    op = _OP_OF.get(m["op"] or "")
    if label and op is None:
        return None        # "完成5个" — words before a number without a comparator: not a target form
    unit = _clean_unit(m["ua"])
    if re.search(r"[≥≤<>=~±]", unit):
        return None
    op = op or _SUF_OF.get(m["suf"] or "")
    return _number_value(text, op, m["a"], unit, units)
