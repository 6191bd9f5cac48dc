"""Measure the worksheet functions: one scalar call, and 100,000 indicator rows through the range form.

Prints figures and a ratio against a reference measured in the same run: a bare float
implementation of the 正向 rule (what a hand-written VBA/Python loop would do without parsing,
Decimal or Excel rounding).  Usage: python benchmarks/udfs_scoring.py [--rows N]
"""

from __future__ import annotations

import argparse
import random
import time

from udfs import FUNCTIONS


def bare_float_score(weight: float, target: float, actual: float) -> float:
    return round(weight * min(actual / target, 1.0), 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    rng = random.Random(1)
    score = FUNCTIONS["指标得分"]

    n_scalar = 20_000
    t0 = time.perf_counter()
    for _ in range(n_scalar):
        score(10, "≥95%", "93.5%")
    scalar_us = (time.perf_counter() - t0) / n_scalar * 1e6

    t0 = time.perf_counter()
    for _ in range(n_scalar):
        bare_float_score(10.0, 0.95, 0.935)
    bare_us = (time.perf_counter() - t0) / n_scalar * 1e6

    n = args.rows
    forms = [("≥95%", "{:.1f}%"), ("18万人", "{:.2f}万人"), ("≤830元/人", "{:.0f}元/人"), (100, "{:.1f}")]
    w, t, a = [], [], []
    for i in range(n):
        target, fmt = forms[i % len(forms)]
        w.append([rng.choice([5, 10, 20])])
        t.append([target])
        a.append([fmt.format(rng.uniform(50, 120))])
    t0 = time.perf_counter()
    out = score(w, t, a)
    range_s = time.perf_counter() - t0
    assert len(out) == n

    numeric_w = [[10]] * n
    numeric_t = [[100.0]] * n
    numeric_a = [[rng.uniform(50, 120)] for _ in range(n)]
    t0 = time.perf_counter()
    score(numeric_w, numeric_t, numeric_a)
    numeric_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    for i in range(n):
        bare_float_score(10.0, 100.0, numeric_a[i][0])
    bare_s = time.perf_counter() - t0

    print(f"scalar 指标得分(10,\"≥95%\",\"93.5%\"): {scalar_us:.1f} µs/call "
          f"(bare float rule {bare_us:.2f} µs; ratio {scalar_us / bare_us:.0f}×)")
    print(f"range form, {n:,} text rows: {range_s:.2f} s = {n / range_s:,.0f} rows/s")
    print(f"range form, {n:,} numeric rows: {numeric_s:.2f} s = {n / numeric_s:,.0f} rows/s "
          f"(bare float loop {n / bare_s:,.0f} rows/s; ratio {numeric_s / bare_s:.0f}×)")


if __name__ == "__main__":
    main()
