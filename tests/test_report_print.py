"""Issue #16 — the report as printed (LibreOffice → PDF): the 落款 never stands alone on its page,
and the Chinese is set in Simplified Chinese glyphs.

The glyph check is independent of our code: fontTools reads the cmap of the Noto Serif CJK face for
SC and for JP from the installed font collection; the PDF's embedded subset must hold the SC
glyph of every character whose SC and JP forms differ ("说" "过" "骨" …), and none of the JP ones.
(Noto CJK's collection shares one CFF table named …CJKjp… between its faces, so pdffonts always
prints "jp"; which face was used shows only in the glyphs.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from addin.report import build_report

from .pdf_helpers import embedded_type1_glyphs, needs_pdf_tools, page_count, page_texts
from .test_report_docx import seed004_evaluation

NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
needs_lo = needs_pdf_tools


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    d = tmp_path_factory.mktemp("print")
    ev = seed004_evaluation(unit="某县医疗保障事务中心")
    build_report(ev, d / "report.docx", pdf=True, findings=[])
    return d / "report.pdf"


@pytest.mark.libreoffice
@needs_lo
def test_the_page_with_the_signature_holds_more_than_the_signature(pdf):
    pages = page_texts(pdf)
    assert page_count(pdf) == len(pages) >= 3
    k = next(i for i, p in enumerate(pages) if "单位负责人：" in p)
    page = pages[k]
    assert "某县医疗保障事务中心【请填写：成文日期】" in page
    assert "财务负责人：" in page and "填表人：" in page
    assert "【请填写：下一步改进措施和建议】" in page      # the last body paragraph is on the same page
    assert pages[k + 1].startswith("附表1")


@pytest.mark.libreoffice
@needs_lo
def test_pdf_glyphs_are_simplified_chinese(pdf):
    fontTools = pytest.importorskip("fontTools.ttLib")
    if not NOTO_SERIF.exists():
        pytest.skip("Noto Serif CJK 未安装")
    faces = {f["name"].getDebugName(6): f.getBestCmap() for f in fontTools.TTCollection(str(NOTO_SERIF)).fonts}
    sc, jp = faces["NotoSerifCJKsc-Regular"], faces["NotoSerifCJKjp-Regular"]
    used = set().union(*(g for name, g in embedded_type1_glyphs(pdf).items() if "Serif" in name
                         and "Bold" not in name))
    text = set("".join(page_texts(pdf)))
    differing = [ch for ch in text if ord(ch) in sc and ord(ch) in jp and sc[ord(ch)] != jp[ord(ch)]]
    assert len(differing) > 20
    sc_cids = {sc[ord(ch)] for ch in text if ord(ch) in sc}
    shown_sc = [ch for ch in differing if sc[ord(ch)] in used]
    shown_jp = [ch for ch in differing if jp[ord(ch)] in used and jp[ord(ch)] not in sc_cids]
    assert len(shown_sc) > 20 and shown_jp == [], ("".join(shown_jp))
