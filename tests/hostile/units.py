"""Healthy units' workbooks, cheaply: one real workbook per layout (``samples.write_sample``), then
copies whose 项目名称/实施单位 differ (the sheet XML's inline strings rewritten), so a test can put
hundreds of distinct units beside the hostile files without building each one."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from workbook_templates.samples import random_unit, write_sample

LAYOUTS = ("cz2020-annex", "sichuan", "seed004")


def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes] | None = None,
                add: dict[str, bytes] | None = None, drop: tuple[str, ...] = ()) -> Path:
    """Copy a workbook's zip, replacing, adding or dropping parts."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def _plain(text: str) -> bytes:
    return escape(text).encode()


def _charrefs(text: str) -> bytes:
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in escape(text)).encode()


def unit_copies(dest: Path, n: int, seed: int = 0) -> list[Path]:
    """``n`` distinct units (file ``单位NNN.xlsx``; project name suffixed with NNN) over the layouts."""
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    bases = []
    for i, layout in enumerate(LAYOUTS):
        data = random_unit(rng, i)
        base = write_sample(layout, dest / f".base-{layout}.xlsx", data)
        bases.append((base, data["project"]["name"]))
    out = []
    for i in range(n):
        base, name = bases[i % len(bases)]
        with zipfile.ZipFile(base) as zf:
            parts = {info.filename: zf.read(info) for info in zf.infolist()
                     if info.filename.startswith("xl/worksheets/")}
        replaced = {}
        for part, xml in parts.items():
            for form in (_plain, _charrefs):       # openpyxl writes non-ASCII text as &#NNNN;
                old, new = b">" + form(name) + b"<", b">" + form(f"{name}{i:03d}") + b"<"
                if old in xml:
                    replaced[part] = xml.replace(old, new)
        assert replaced, f"project name not found in {base}"
        out.append(rewrite_zip(base, dest / f"单位{i:03d}.xlsx", replace=replaced))
    for base, _ in bases:
        base.unlink()
    return out
