"""PDF of a report: Word's own export on Windows, else LibreOffice headless.

Windows with Word (most office PCs, often without LibreOffice): ``Document.ExportAsFixedFormat``
through COM (pywin32, which xlwings already needs), Word opened invisibly and read-only — the
PDF uses the PC's real 仿宋_GB2312/黑体/楷体_GB2312. Otherwise LibreOffice headless
(``workbook_templates.libreoffice``). Neither: a Chinese message saying what to install or do.

LibreOffice on a PC with 仿宋_GB2312/黑体/楷体_GB2312 LibreOffice uses them. Where they are missing
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


WD_EXPORT_FORMAT_PDF = 17          # WdExportFormat.wdExportFormatPDF
WD_DO_NOT_SAVE_CHANGES = 0
NO_CONVERTER = ("未找到 Microsoft Word 或 LibreOffice，无法导出 PDF；已生成 Word 报告。"
                "请在 Word/WPS 中打开报告“另存为 PDF”，或安装 LibreOffice（免费）后重试。")


def word_available(platform: str | None = None) -> bool:
    """Word is registered for COM automation on this Windows PC (``Word.Application``)."""
    if not (platform or sys.platform).startswith("win"):
        return False
    try:
        import winreg

        with winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, r"Word.Application\CLSID"):
            return True
    except OSError:
        return False


def word_export(docx: Path, pdf: Path, dispatch=None) -> None:
    """``docx`` → ``pdf`` with Word (a private, invisible instance; the document opened read-only).

    ``dispatch`` makes the COM application object (``win32com.client.DispatchEx``)."""
    if dispatch is None:
        from win32com.client import DispatchEx as dispatch  # pywin32: installed with xlwings on Windows
    word = dispatch("Word.Application")
    try:
        word.Visible = False
        word.DisplayAlerts = 0
        doc = word.Documents.Open(str(Path(docx).resolve()), ConfirmConversions=False, ReadOnly=True,
                                  AddToRecentFiles=False)
        try:
            doc.ExportAsFixedFormat(OutputFileName=str(Path(pdf).resolve()), ExportFormat=WD_EXPORT_FORMAT_PDF)
        finally:
            doc.Close(WD_DO_NOT_SAVE_CHANGES)
    except Exception as exc:  # noqa: BLE001 - COM errors (pywintypes.com_error) carry Word's reason
        raise WriteError(f"Word 导出 PDF 失败（{exc}）；已生成 Word 报告，可在 Word 中“另存为 PDF”。") from None
    finally:
        word.Quit()


def libreoffice_export(docx: Path, pdf: Path) -> None:
    """``docx`` → ``pdf`` with LibreOffice headless (official fonts mapped to Noto CJK on Linux)."""
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as d, font_fallbacks():
        produced = convert(docx, "pdf", d)
        pdf.write_bytes(produced.read_bytes())


def pdf_converter(platform: str | None = None):
    """The export to use here: Word when installed (Windows), else LibreOffice, else None."""
    if word_available(platform):
        return word_export
    if find_soffice():
        return libreoffice_export
    return None


def docx_to_pdf(docx: str | Path, pdf: str | Path) -> Path:
    """Convert ``docx`` to ``pdf`` (written atomically). Chinese message when there is no converter."""
    from workbook_templates.fileio import atomic_path

    export = pdf_converter()
    if export is None:
        raise WriteError(NO_CONVERTER)
    pdf = Path(pdf)
    with atomic_path(pdf) as tmp:
        export(Path(docx), Path(tmp))
    return pdf
