"""Reading a produced PDF in tests with poppler (pdfinfo, pdftotext) and the PDF bytes themselves:
page count, text per page, and the glyphs of the embedded Type 1 subsets LibreOffice writes."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest

from workbook_templates.libreoffice import find_soffice

needs_pdf_tools = pytest.mark.skipif(find_soffice() is None or shutil.which("pdftotext") is None
                                     or shutil.which("pdfinfo") is None, reason="LibreOffice / poppler-utils 未安装")


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def page_texts(pdf: Path) -> list[str]:
    """The text of every page (pdftotext separates pages by form feeds), spaces/newlines removed."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [re.sub(r"\s+", "", p) for p in pages]


def _eexec(data: bytes, r: int = 55665) -> bytes:
    out = bytearray()
    for c in data:
        out.append(c ^ (r >> 8))
        r = ((c + r) * 52845 + 22719) & 0xFFFF
    return bytes(out)


def embedded_type1_glyphs(pdf: Path) -> dict[str, set[str]]:
    """{font name: glyph names} of every embedded Type 1 font (LibreOffice writes CFF subsets as
    Type 1 with glyph names ``cidNNNNN``; the charstrings sit in the eexec-encrypted part)."""
    data = Path(pdf).read_bytes()
    fonts: dict[str, set[str]] = {}
    for m in re.finditer(rb"stream\r?\n", data):
        raw = data[m.end():data.find(b"endstream", m.end())]
        try:
            d = zlib.decompress(raw)
        except zlib.error:
            continue
        if b"eexec" not in d[:8000]:
            continue
        name = re.search(rb"/FontName\s*/(\S+)", d)
        i = d.find(b"eexec") + 5
        while d[i:i + 1] in (b"\r", b"\n", b" "):
            i += 1
        glyphs = {g.decode() for g in re.findall(rb"/([A-Za-z0-9_.]+)\s+\d+\s+RD", _eexec(d[i:]))}
        fonts.setdefault(name.group(1).decode() if name else "?", set()).update(glyphs)
    return fonts
