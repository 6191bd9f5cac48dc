"""PDF through LibreOffice: the Chinese comes out as text (real embedded CJK fonts), page 1 renders.
One soffice call for the whole module."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal

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
    build_report(ev, d / "report.docx", pdf=True)
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
    with pytest.raises(WriteError, match="未找到 LibreOffice"):
        docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()


def test_fontconfig_maps_every_official_font():
    xml = fontconfig_xml()
    for name in ("仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"):
        assert f"<family>{name}</family>" in xml
