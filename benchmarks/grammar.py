"""How fast the 指标值 grammar and the scoring by kind run: parse + evaluate every pair of
tests/fixtures/indicator_values.json, cold (cache cleared each round) and warm. Prints figures only.

    .venv/bin/python benchmarks/grammar.py [rounds]
"""

from __future__ import annotations

import json
import sys
import time
from decimal import Decimal
from pathlib import Path

from udfs import default_profile
from udfs import grammar as g
from udfs.evaluate import evaluate
from udfs.parse import parse_value


def main(rounds: int = 20) -> None:
    cases = json.loads((Path(__file__).parent.parent / "tests" / "fixtures" / "indicator_values.json")
                       .read_text(encoding="utf-8"))["cases"]
    p = default_profile()

    def run() -> None:
        for c in cases:
            evaluate(parse_value(c["target"], p), parse_value(c["actual"], p), p, weight=Decimal(10))

    cold = []
    for _ in range(rounds):
        g._parse_text.cache_clear()
        t0 = time.perf_counter()
        run()
        cold.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    for _ in range(rounds):
        run()
    warm = (time.perf_counter() - t0) / rounds
    n = len(cases)
    print(f"{n} pairs; cold (parse + score): {min(cold) / n * 1e6:.1f} µs/pair; "
          f"warm (parse cached): {warm / n * 1e6:.1f} µs/pair")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
