"""Peak memory and time of the bounded paths (issue #10 item 4): ``validate`` / ``validate -o`` and
``consolidate`` on a workbook with a million-row sheet, and ``consolidate`` on many small files.

Each command runs as a child process (``python -m addin …``); its wall time and peak memory (max
RSS of the process and the workers it waited for, from ``wait4``) are printed. Nothing is asserted.

    python benchmarks/memory.py [--rows 1000000] [--files 2000] [--jobs 2]

Files are generated in a temporary folder: the million-row sheet as streamed XML beside a unit's
自评表, the small files as copies of three real unit workbooks with distinct project names.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure(argv: list[str]) -> tuple[float, float, int]:
    """(seconds, peak RSS in MiB, exit code) of ``python -m addin argv``."""
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "addin", *argv], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=os.environ | {"PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    return time.monotonic() - t0, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    from tests.hostile.units import unit_copies
    from tests.test_consolidate_hostile import write_million_rows
    from workbook_templates.samples import random_unit

    tmp = Path(tempfile.mkdtemp(prefix="jx-bench-"))
    try:
        big_dir = tmp / "big"
        big_dir.mkdir()
        big = big_dir / "百万行.xlsx"
        t = time.monotonic()
        write_million_rows(random_unit(random.Random(1), 0), big, rows=args.rows)
        print(f"generated a {args.rows:,}-row sheet ({big.stat().st_size / 2**20:.1f} MB) in {time.monotonic() - t:.1f} s")
        small = tmp / "small"
        t = time.monotonic()
        unit_copies(small, args.files)
        print(f"generated {args.files:,} small unit workbooks in {time.monotonic() - t:.1f} s")
        runs = [
            (f"validate ({args.rows:,}-row sheet)", ["validate", str(big), "--json"]),
            (f"validate -o ({args.rows:,}-row sheet)", ["validate", str(big), "-o", str(tmp / "v.xlsx")]),
            (f"consolidate ({args.rows:,}-row sheet)", ["consolidate", str(big_dir), "-o", str(tmp / "s1.xlsx"),
                                                      "-q", "--jobs", str(args.jobs)]),
            ("validate -o (one small file)", ["validate", str(small / "单位000.xlsx"), "-o", str(tmp / "v1.xlsx")]),
            (f"consolidate ({args.files:,} small files, {args.jobs} workers)",
             ["consolidate", str(small), "-o", str(tmp / "s2.xlsx"), "-q", "--jobs", str(args.jobs)]),
        ]
        print(f"{'command':<48} {'seconds':>8} {'peak MiB':>9} {'exit':>5}   (peak: the command's process; consolidate workers not included)")
        for label, argv in runs:
            secs, mib, rc = measure(argv)
            print(f"{label:<48} {secs:8.2f} {mib:9.1f} {rc:5d}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
