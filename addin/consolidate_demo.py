"""A small set of units' workbooks to show 汇总各单位 (for ``jixiao demo`` / ``make demo``).

``write_demo_units(folder)`` writes realistic unit workbooks in the published layouts plus what a
finance office really receives: a file sent twice, a truncated download, a PDF renamed .xlsx, a
password-protected workbook and an Excel lock file. ``run_demo(out_dir)`` writes them and
consolidates them into ``out_dir/汇总表.xlsx``.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

LAYOUTS = ("cz2020-annex", "sichuan", "seed004")


def write_demo_units(folder: str | Path, n: int = 12, seed: int = 2021) -> Path:
    """``n`` good units (unique projects) across layouts, plus a few bad files; returns ``folder``."""
    from workbook_templates.samples import random_unit, write_sample

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    first = None
    for i in range(n):
        layout = LAYOUTS[i % len(LAYOUTS)]
        data = random_unit(rng, i)
        data["project"]["name"] = f"{data['project']['name']}（{i + 1:02d}）"
        sub = folder / ("县卫生健康局" if "医" in (data["project"]["unit"] or "") else "县财政局")
        sub.mkdir(exist_ok=True)
        path = write_sample(layout, sub / f"{data['project']['unit']}-{i + 1:02d}.xlsx", data)
        first = first or path
    assert first is not None
    shutil.copy(first, folder / f"{first.stem}（重复报送）.xlsx")
    raw = first.read_bytes()
    (folder / "下载中断.xlsx").write_bytes(raw[: len(raw) // 2])
    (folder / "扫描件.xlsx").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    try:
        from msoffcrypto.format.ooxml import OOXMLFile

        with open(first, "rb") as fin, open(folder / "设了密码.xlsx", "wb") as fout:
            OOXMLFile(fin).encrypt("123456", fout)
    except Exception:  # noqa: BLE001 — optional showcase only
        pass
    (folder / f"~${first.name}").write_bytes(b"\x00" * 165)      # Excel's lock file: skipped
    return folder


def run_demo(out_dir: str | Path, n: int = 12, jobs: int | None = None):
    """Write the demo units under ``out_dir/units`` and consolidate them into ``out_dir/汇总表.xlsx``."""
    from .consolidate import consolidate

    out_dir = Path(out_dir)
    units = out_dir / "units"
    if units.exists():
        shutil.rmtree(units)
    write_demo_units(units, n)
    return consolidate(units, out_dir / "汇总表.xlsx", jobs=jobs)
