"""PDF through LibreOffice headless, with the report's Chinese fonts mapped to free ones.

On a PC with 仿宋_GB2312/黑体/楷体_GB2312 LibreOffice uses them. Where they are missing
(Linux), a private fontconfig file (only for the soffice child process; the system
configuration is included unchanged) maps each name in ``docx_format.FALLBACKS`` to Noto
Serif/Sans CJK, so the PDF embeds real CJK fonts and its text extracts as Chinese.
"""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from html import escape
from pathlib import Path

from workbook_templates.errors import WriteError
from workbook_templates.libreoffice import convert, find_soffice

from .docx_format import FALLBACKS

SYSTEM_FONTS_CONF = "/etc/fonts/fonts.conf"


def fontconfig_xml(fallbacks: dict[str, str] = FALLBACKS) -> str:
    aliases = "".join(
        f"<alias binding=\"same\"><family>{escape(name)}</family><accept><family>{escape(sub)}</family>"
        f"</accept></alias>" for name, sub in fallbacks.items())
    return ('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
            f'<include ignore_missing="yes">{SYSTEM_FONTS_CONF}</include>{aliases}</fontconfig>')


@contextmanager
def font_fallbacks():
    """Set FONTCONFIG_FILE for child processes (Linux/BSD only; a user's own setting wins)."""
    if sys.platform.startswith(("win", "darwin")) or "FONTCONFIG_FILE" in os.environ \
            or not Path(SYSTEM_FONTS_CONF).exists():
        yield
        return
    with tempfile.TemporaryDirectory(prefix="jixiao-fc-") as d:
        conf = Path(d) / "fonts.conf"
        conf.write_text(fontconfig_xml(), encoding="utf-8")
        os.environ["FONTCONFIG_FILE"] = str(conf)
        try:
            yield
        finally:
            os.environ.pop("FONTCONFIG_FILE", None)


def docx_to_pdf(docx: str | Path, pdf: str | Path) -> Path:
    """Convert ``docx`` to ``pdf`` (written atomically). Chinese message when LibreOffice is missing."""
    from workbook_templates.fileio import atomic_path

    if not find_soffice():
        raise WriteError("未找到 LibreOffice（soffice），无法导出 PDF；已生成 Word 报告。"
                         "请安装 LibreOffice，或在 Word/WPS 中“另存为 PDF”。")
    pdf = Path(pdf)
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as d, font_fallbacks():
        produced = convert(docx, "pdf", d)
        with atomic_path(pdf) as tmp:
            Path(tmp).write_bytes(produced.read_bytes())
    return pdf
