"""Numbers like an accountant: Decimal throughout, Excel-compatible ROUND.

Excel's ROUND rounds half away from zero on the decimal value the cell shows, so
ROUND(2.675, 2) = 2.68 where Python's round(2.675, 2) gives 2.67 (binary float).
Floats are converted through their shortest repr (``str(2.675)`` → ``'2.675'``), which is the
decimal value Excel displays.
"""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import InputError

Number = int | float | Decimal
EXCEL_MAX = Decimal("1E+308")   # Excel's largest number is 9.99999999999999E+307


def is_blank(x: object) -> bool:
    """None, empty or whitespace-only text — Excel's empty cell."""
    return x is None or (isinstance(x, str) and x.strip() == "")


def normalize_text(s: str) -> str:
    """Full-width → half-width (NFKC), thousands separators and spaces removed."""
    s = unicodedata.normalize("NFKC", s).strip()
    return s.replace(",", "").replace(" ", "").replace("\u3000", "")


def to_decimal(x: object, what: str = "数值") -> Decimal | None:
    """A number cell's value as Decimal; None for blank. Text like '１,２３４.５' is accepted.

    Raises InputError (Chinese message naming ``what``) for text that is not a plain number,
    booleans, NaN/inf.
    """
    if is_blank(x):
        return None
    if isinstance(x, bool):
        raise InputError(f"{what}应为数值，而不是逻辑值 {x}")
    if isinstance(x, Decimal):
        d = x
    elif isinstance(x, int):
        d = Decimal(x)
    elif isinstance(x, float):
        d = Decimal(repr(x))
    elif isinstance(x, str):
        s = normalize_text(x)
        pct = s.endswith("%")
        if pct:
            s = s[:-1]
        try:
            d = Decimal(s)
        except InvalidOperation:
            raise InputError(f"{what}“{x}”不是数值") from None
        if pct:
            d = d / 100
    else:
        raise InputError(f"{what}的类型无法识别：{type(x).__name__}")
    if not d.is_finite():
        raise InputError(f"{what}不是有限数值：{x}")
    if abs(d) >= EXCEL_MAX:
        raise InputError(f"{what}“{x}”超出 Excel 可表示的数值范围")
    return d


def excel_round(x: Number, digits: int = 2) -> Decimal:
    """Excel ROUND: half away from zero at ``digits`` decimals (ROUND(2.675,2)=2.68, ROUND(-1.005,2)=-1.01)."""
    d = x if isinstance(x, Decimal) else to_decimal(x)
    if d is None:
        raise InputError("无法对空值取整")
    q = Decimal(1).scaleb(-digits)
    try:
        return d.quantize(q, rounding=ROUND_HALF_UP)  # ROUND_HALF_UP on Decimal is half away from zero
    except InvalidOperation:
        raise InputError(f"数值过大，无法计算：{d}") from None


def dec_or_none(x: object) -> Decimal | None:
    """Like to_decimal but returns None instead of raising for non-numeric text."""
    try:
        return to_decimal(x)
    except InputError:
        return None


def is_percent_format(code: str | None) -> bool:
    """Whether an Excel number format shows the value ×100 with a % sign ("0%", "0.00%", "#,##0.0%").

    Only an unquoted, unescaped % scales: ``0"%"`` and ``0\\%`` print a literal % after the number as
    it is (95 shows "95%"), so such a cell holds percent points, not a ratio. Only the first section
    (positive numbers) is looked at.
    """
    if not code or "%" not in code:
        return False
    section = code.split(";")[0]
    i, quoted = 0, False
    while i < len(section):
        ch = section[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "\\":
            i += 2
            continue
        elif not quoted and ch == "[":
            end = section.find("]", i)
            i = end + 1 if end > 0 else len(section)
            continue
        elif not quoted and ch == "%":
            return True
        i += 1
    return False
