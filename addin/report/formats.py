"""How finance staff write numbers in a report: the one place that formats them.

万元 to 2 decimals with thousands separators, percentages to 2 decimals, 得分 to 2 decimals,
分值 as written (10, 7.5). Rounding is Excel's ROUND (half away from zero), from the unrounded
value (DESIGN.md rounding rules). ``None`` (blank cell) formats as "—" in tables.
"""

from __future__ import annotations

from decimal import Decimal

from udfs.numbers import excel_round

BLANK = "—"


def money(v: Decimal | int | float | None, blank: str = BLANK) -> str:
    """万元 amount: ``1,521.57`` (2 decimals, thousands separators)."""
    if v is None:
        return blank
    return f"{excel_round(Decimal(str(v)), 2):,.2f}"


def percent(ratio: Decimal | int | float | None, blank: str = BLANK) -> str:
    """A ratio as a percentage to 2 decimals: 0.951 → ``95.10%``."""
    if ratio is None:
        return blank
    return f"{excel_round(Decimal(str(ratio)) * 100, 2):,.2f}%"


def score(v: Decimal | int | float | None, blank: str = BLANK) -> str:
    """得分 to 2 decimals: ``9.51``, ``20.00``."""
    if v is None:
        return blank
    return f"{excel_round(Decimal(str(v)), 2):.2f}"


def points(v: Decimal | int | float | None, blank: str = BLANK) -> str:
    """分值 / 权重 as written, without trailing zeros: 10, 7.5."""
    if v is None:
        return blank
    d = Decimal(str(v))
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def threshold(ratio: Decimal | float | str) -> str:
    """A rule threshold as the rules write it: 0.3 → ``30%``, 0.9 → ``90%``, 0.125 → ``12.5%``."""
    return points(Decimal(str(ratio)) * 100) + "%"
