"""Measure what a template's checksum check (issue #17: ``template-altered``) adds to reading it.

Reads the filled sample of each template with python-calamine (the consolidation engine) N times,
with the check and with it switched off, and prints ms per file and the difference. The same file
is read repeatedly, as in a consolidation where every unit returns the same template (the
per-formula caches are warm after the first file).  Usage: python benchmarks/template_checksum.py [--n 30]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from workbook_templates import template_reader
from workbook_templates.fill import write_samples
from workbook_templates.reader import read_workbook


def per_file_ms(path: Path, n: int) -> float:
    read_workbook(path, engine="calamine")            # warm-up
    t0 = time.perf_counter()
    for _ in range(n):
        read_workbook(path, engine="calamine")
    return (time.perf_counter() - t0) / n * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = {k: v for k, v in write_samples(tmp).items() if k.endswith("示例")}
        print(f"{'template':<22}{'with check':>12}{'without':>10}{'check':>8}  (ms per file, calamine, n={args.n})")
        check = template_reader.check_integrity
        for name, path in files.items():
            with_check = per_file_ms(path, args.n)
            template_reader.check_integrity = lambda *a, **k: None
            try:
                without = per_file_ms(path, args.n)
            finally:
                template_reader.check_integrity = check
            print(f"{name:<22}{with_check:>12.2f}{without:>10.2f}{with_check - without:>8.2f}")


if __name__ == "__main__":
    main()
