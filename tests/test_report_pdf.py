"""PDF through LibreOffice: the Chinese comes out as text (real embedded CJK fonts), page 1 renders.
One soffice call for the whole module."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from addin.report import build_report
from addin.report.pdf import docx_to_pdf, fontconfig_xml
from workbook_templates.errors import WriteError
from workbook_templates.libreoffice import find_soffice

from .test_report_docx import seed004_evaluation

needs_lo = pytest.mark.skipif(find_soffice() is None or shutil.which("pdftotext") is None,
                              reason="LibreOffice / poppler-utils 未安装")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    d = tmp_path_factory.mktemp("pdf")
    ev = seed004_evaluation(unit="某县医疗保障事务中心")
    ev.indicators[-1].score = Decimal("12")          # so the findings appendix is there too
    build_report(ev, d / "report.docx", pdf=True, review=True)   # the reviewer's copy has 附表2
    return d / "report.pdf"


@pytest.mark.libreoffice
@needs_lo
def test_pdf_text_is_chinese_with_the_workbooks_numbers(pdf):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace(" ", "").replace("\n", "")
    for s in ("某县医疗保障事务中心2021年度医疗保险", "项目支出绩效自评报告", "一、项目基本情况",
              "执行1,521.57万元", "预算执行率95.10%", "【请填写：", "附表1", "附表2", "—1—"):
        assert s in text, s


@pytest.mark.libreoffice
@needs_lo
def test_pdf_embeds_cjk_fonts(pdf):
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts                 # Noto Serif/Sans CJK substituted for 仿宋_GB2312/黑体
    assert "Serif" in fonts and "Sans" in fonts   # 仿宋/宋体 → serif, 黑体 → sans: the mapping applied


@pytest.mark.libreoffice
@needs_lo
def test_page_one_renders(pdf, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm 未安装")
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True)
    png = next(tmp_path.glob("p*.png"))
    assert png.stat().st_size > 5000


def test_missing_libreoffice_is_a_clear_message(tmp_path, monkeypatch):
    import addin.report.pdf as pdfmod

    monkeypatch.setattr(pdfmod, "find_soffice", lambda: None)
    (tmp_path / "a.docx").write_bytes(b"")
    monkeypatch.setattr(pdfmod, "word_available", lambda platform=None: False)
    with pytest.raises(WriteError, match="LibreOffice"):
        docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()


def test_fontconfig_maps_every_official_font():
    xml = fontconfig_xml()
    for name in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"):
        assert f"<family>{name}</family>" in xml


def test_libreoffice_profile_is_a_valid_file_url():
    """`-env:UserInstallation` needs file:///C:/… on Windows (file://C:/… names a host 'C:');
    non-ASCII user names are percent-encoded (RFC 8089 file URLs)."""
    from pathlib import PurePosixPath, PureWindowsPath

    from workbook_templates.libreoffice import user_installation

    win = PureWindowsPath(r"C:\Users\张三\AppData\Local\Temp\jixiao-lo-1")
    assert user_installation(win) == ("-env:UserInstallation=file:///C:/Users/%E5%BC%A0%E4%B8%89"
                                      "/AppData/Local/Temp/jixiao-lo-1")
    assert user_installation(PurePosixPath("/tmp/jixiao lo")) == "-env:UserInstallation=file:///tmp/jixiao%20lo"


def test_no_word_no_libreoffice_is_a_clear_message(tmp_path, monkeypatch):
    import addin.report.pdf as pdfmod

    monkeypatch.setattr(pdfmod, "find_soffice", lambda: None)
    monkeypatch.setattr(pdfmod, "word_available", lambda platform=None: False)
    (tmp_path / "a.docx").write_bytes(b"")
    with pytest.raises(WriteError, match="未找到 Microsoft Word 或 LibreOffice.*另存为 PDF"):
        docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists() and list(tmp_path.iterdir()) == [tmp_path / "a.docx"]


def test_word_is_preferred_on_windows_and_libreoffice_elsewhere(monkeypatch):
    import addin.report.pdf as pdfmod

    monkeypatch.setattr(pdfmod, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdfmod, "word_available", lambda platform=None: True)
    assert pdfmod.pdf_converter() is pdfmod.word_export
    monkeypatch.setattr(pdfmod, "word_available", lambda platform=None: False)
    assert pdfmod.pdf_converter() is pdfmod.libreoffice_export
    monkeypatch.undo()
    assert pdfmod.word_available("linux") is False


class _WordRecorder:
    """Stands in for Word's COM object model (Application → Documents → Document), recording calls;
    Word itself cannot run here. The calls are the ones Word's VBA reference documents:
    Documents.Open(FileName, ConfirmConversions, ReadOnly, AddToRecentFiles),
    Document.ExportAsFixedFormat(OutputFileName, ExportFormat=wdExportFormatPDF=17), Close, Quit."""

    def __init__(self, fail: bool = False):
        self.calls: list[tuple] = []
        self.fail = fail
        self.Documents = self

    def Open(self, name, **kw):  # noqa: N802 - COM names
        self.calls.append(("Open", name, kw))
        return self

    def ExportAsFixedFormat(self, **kw):  # noqa: N802
        self.calls.append(("Export", kw))
        if self.fail:
            raise OSError("(-2147352567, '发生意外。')")
        Path(kw["OutputFileName"]).write_bytes(b"%PDF-1.7 from Word")

    def Close(self, save):  # noqa: N802
        self.calls.append(("Close", save))

    def Quit(self):  # noqa: N802
        self.calls.append(("Quit",))


def test_word_export_calls(tmp_path, monkeypatch):
    import addin.report.pdf as pdfmod

    word = _WordRecorder()
    monkeypatch.setattr(pdfmod, "pdf_converter",
                        lambda: lambda d, p: pdfmod.word_export(d, p, dispatch=lambda progid: word))
    (tmp_path / "r.docx").write_bytes(b"docx")
    out = docx_to_pdf(tmp_path / "r.docx", tmp_path / "r.pdf")
    assert out.read_bytes() == b"%PDF-1.7 from Word"
    kinds = [c[0] for c in word.calls]
    assert kinds == ["Open", "Export", "Close", "Quit"]
    assert word.calls[0][2]["ReadOnly"] is True
    assert word.calls[1][1]["ExportFormat"] == 17
    assert word.calls[2][1] == 0                      # wdDoNotSaveChanges: the .docx is left alone
    failing = _WordRecorder(fail=True)
    with pytest.raises(WriteError, match="Word 导出 PDF 失败"):
        pdfmod.word_export(tmp_path / "r.docx", tmp_path / "x.pdf", dispatch=lambda progid: failing)
    assert [c[0] for c in failing.calls][-2:] == ["Close", "Quit"]
