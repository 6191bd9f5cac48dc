"""Helpers shared by the checks: rounding tolerance, displayed precision, number formatting."""

from __future__ import annotations

from decimal import Decimal

from udfs.numbers import excel_round, is_blank

HALF_CENT = Decimal("0.005")


def rounding_tolerance(n_parts: int) -> Decimal:
    """Σ of n parts rounded to 2 decimals may differ from the rounded total by n × 0.005 (DESIGN.md)."""
    return HALF_CENT * max(1, n_parts)


def decimals(d: Decimal) -> int:
    """Decimal places a stated value shows (0.951 → 3; 0.86 → 2; 100 → 0)."""
    exp = d.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def matches_displayed(stated: Decimal, exact: Decimal, max_digits: int = 4) -> bool:
    """A stated rate equals ``exact`` rounded to the precision it shows (86% for 0.862 is fine).

    A rate shows at least whole percents (2 decimals of the ratio: 0.8 is "80%", 1 is "100%");
    precision is capped at ``max_digits`` (a float cell like 0.95100000001 counts as 4 decimals).
    """
    d = min(max(decimals(stated), 2), max_digits)
    if excel_round(exact, d) == excel_round(stated, d):
        return True
    return abs(stated - exact) <= Decimal(5).scaleb(-d - 1)


def as_ratio(stated: Decimal, exact: Decimal) -> Decimal:
    """A rate written as a percent number (95.1 for 95.1%) → ratio, when the exact ratio says so."""
    if abs(stated) > Decimal("1.5") and abs(exact) <= Decimal("1.5"):
        return stated / 100
    return stated


def fmt(d: Decimal | int | float | None) -> str:
    """A number as an accountant writes it: 8.62, 9, 1521.57 (no trailing zeros)."""
    if d is None:
        return "空"
    d = Decimal(str(d)) if not isinstance(d, Decimal) else d
    if d == d.to_integral_value():
        return f"{d.quantize(Decimal(1)):f}"
    return f"{d.normalize():f}"


def pct(d: Decimal | None, digits: int = 2) -> str:
    """A ratio as a percent: 0.951 → 95.10%."""
    if d is None:
        return "空"
    return f"{excel_round(d * 100, digits):f}%"


def blank(x: object) -> bool:
    return is_blank(x)


def cell_of(cells: dict[str, str], *keys: str, default: str | None = None) -> str | None:
    """The first recorded cell among ``keys``."""
    for k in keys:
        if cells.get(k):
            return cells[k]
    return default
