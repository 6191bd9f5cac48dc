"""Measure the ribbon's 插入模板 menu (issue #17): each time the dynamic menu drops down, Excel
runs ``template_menu`` in a fresh Python through RunPython, so the user waits for a cold start.

Builds a two-template pack (one of them a 20-row layout) into a temporary jixiao home, then runs
the exact RunPython command ``--repeat`` times as a new process and prints the wall time of each
(median and spread), against a bare ``python -c pass`` and an ``import`` of the entry modules.
Usage: python benchmarks/template_menu.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYOUT = {"id": "bench-project", "extends": "project", "title": "某省项目支出绩效自评表", "version": "2026.1",
          "tables": [{"id": "indicators", "rows": 20}]}
PROFILE = {"id": "bench-province", "title": "某省", "version": "2026.1", "extends": "cz2020-10", "budget_weight": 20,
           "weights": {"预算执行率": 20, "产出指标": 40, "效益指标": 30, "满意度指标": 10}}


def timed(code: str, env: dict[str, str], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="jixiao-menu-bench-") as tmp:
        d = Path(tmp)
        env = {**os.environ, "JIXIAO_HOME": str(d / "home"), "PYTHONPATH": str(ROOT)}
        (d / "layout.json").write_text(json.dumps(LAYOUT, ensure_ascii=False), encoding="utf-8")
        (d / "p.json").write_text(json.dumps(PROFILE, ensure_ascii=False), encoding="utf-8")
        (d / "pack.json").write_text(json.dumps({"issuer": "某省财政厅", "year": 2026, "version": "2026.1",
                                                 "profile": "p.json", "templates": ["layout.json", "budget-execution"]},
                                                ensure_ascii=False), encoding="utf-8")
        setup = ("from addin.cli import main; "
                 f"main(['pack', 'build', {str(d / 'pack.json')!r}, '-o', {str(d / 'pack.zip')!r}]); "
                 f"main(['pack', 'install', {str(d / 'pack.zip')!r}])")
        subprocess.run([sys.executable, "-c", setup], env=env, cwd=ROOT, check=True, capture_output=True)
        menu = d / "menu.xml"
        rows = [("python -c pass", timed("pass", env, args.repeat)),
                ("import jixiao_entry, addin.excel.macros", timed("import jixiao_entry, addin.excel.macros", env,
                                                                  args.repeat)),
                ("template_menu (the RunPython command)",
                 timed(f"import jixiao_entry, addin.excel.macros; addin.excel.macros.template_menu({str(menu)!r})",
                       env, args.repeat))]
        print(f"插入模板 menu, {args.repeat} cold starts each (load average {os.getloadavg()[0]:.1f}):")
        for name, times in rows:
            print(f"  {name:45s} median {statistics.median(times):.2f} s  (min {min(times):.2f}, max {max(times):.2f})")
        print(f"  menu: {menu.stat().st_size} bytes, {menu.read_text(encoding='ascii').count('<button')} entries")


if __name__ == "__main__":
    main()
