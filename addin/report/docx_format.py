"""Official document format (GB/T 9704-2012 conventions) applied with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体 二号 centred;
body 仿宋_GB2312 三号 (16 pt); 一级标题 黑体; 二级标题 楷体_GB2312; line spacing exactly 28 pt;
page numbers "— 1 —" bottom centre (宋体 四号); tables 宋体 五号 with repeated header rows.
Font names are those a Chinese Word has, with ``w:eastAsia`` set; the font table names a
fallback (``w:altName``) Word uses where a font is missing, and ``FALLBACKS`` lists the free
fonts the PDF conversion substitutes on Linux (see ``pdf.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

LATIN_FONT = "Times New Roman"
LINE_SPACING = Pt(28)


@dataclass(frozen=True)
class FontSpec:
    east_asia: str
    size: Pt
    bold: bool = False


# 字号: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt
TITLE = FontSpec("方正小标宋简体", Pt(22))
BODY = FontSpec("仿宋_GB2312", Pt(16))
HEADING1 = FontSpec("黑体", Pt(16))
HEADING2 = FontSpec("楷体_GB2312", Pt(16))
TABLE = FontSpec("宋体", Pt(10.5))
PAGE_NUMBER = FontSpec("宋体", Pt(14))

# Where a font is missing: what Word substitutes (w:altName) and what the PDF uses on Linux.
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体", "黑体": "SimHei", "宋体": "SimSun"}
FALLBACKS = {"仿宋_GB2312": "Noto Serif CJK SC", "仿宋": "Noto Serif CJK SC", "方正小标宋简体": "Noto Serif CJK SC",
             "宋体": "Noto Serif CJK SC", "楷体_GB2312": "Noto Serif CJK SC", "楷体": "Noto Serif CJK SC",
             "黑体": "Noto Sans CJK SC", "SimSun": "Noto Serif CJK SC", "SimHei": "Noto Sans CJK SC",
             LATIN_FONT: "Liberation Serif"}


def set_run_fonts(rpr, spec: FontSpec, latin: str = LATIN_FONT) -> None:
    """rFonts with ascii/hAnsi = Latin font and eastAsia = the Chinese font; theme fonts removed."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), spec.east_asia)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def style_font(style, spec: FontSpec, latin: str = LATIN_FONT) -> None:
    style.font.size = spec.size
    style.font.bold = spec.bold
    style.font.italic = False
    style.font.color.rgb = None
    set_run_fonts(style.element.get_or_add_rPr(), spec, latin)


def paragraph_format(style, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent: Pt | None = Pt(32),
                     exact: Pt | None = LINE_SPACING, before: Pt = Pt(0), after: Pt = Pt(0)) -> None:
    pf = style.paragraph_format
    pf.alignment = align
    pf.first_line_indent = first_indent
    if exact is None:
        pf.line_spacing = 1.0
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = exact
    pf.space_before = before
    pf.space_after = after
    pf.keep_with_next = None


def page_setup(doc: DocumentType) -> None:
    """A4 portrait, margins 37/35/28/26 mm (GB/T 9704-2012 版心 156 × 225 mm)."""
    for s in doc.sections:
        s.orientation = WD_ORIENT.PORTRAIT
        s.page_width, s.page_height = Mm(210), Mm(297)
        s.top_margin, s.bottom_margin = Mm(37), Mm(35)
        s.left_margin, s.right_margin = Mm(28), Mm(26)
        s.header_distance, s.footer_distance = Mm(15), Mm(28) - Mm(7)


def ensure_style(doc: DocumentType, name: str, base: str | None = "Normal",
                 kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH):
    try:
        return doc.styles[name]
    except KeyError:
        st = doc.styles.add_style(name, kind)
        if base:
            st.base_style = doc.styles[base]
        st.quick_style = True
        return st


def setup_styles(doc: DocumentType) -> None:
    """Normal = 正文; 标题/Heading 1/Heading 2 redefined; 表格文字, 图表题, 落款 added."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            set_run_fonts(rpr, BODY)
    normal = doc.styles["Normal"]
    style_font(normal, BODY)
    paragraph_format(normal)
    normal.paragraph_format.widow_control = True

    title = doc.styles["Title"]
    style_font(title, TITLE)
    paragraph_format(title, align=WD_ALIGN_PARAGRAPH.CENTER, first_indent=None, exact=Pt(36), after=Pt(28))
    _remove_borders(title)

    for name, spec, indent in (("Heading 1", HEADING1, Pt(32)), ("Heading 2", HEADING2, Pt(32))):
        st = doc.styles[name]
        style_font(st, spec)
        paragraph_format(st, align=WD_ALIGN_PARAGRAPH.LEFT, first_indent=indent)
        st.paragraph_format.keep_with_next = True
        st.base_style = normal

    h3 = ensure_style(doc, "正文三级标题")
    style_font(h3, FontSpec(BODY.east_asia, BODY.size, bold=True))
    paragraph_format(h3)
    h3.paragraph_format.keep_with_next = True

    tbl = ensure_style(doc, "表格文字")
    style_font(tbl, TABLE)
    paragraph_format(tbl, align=WD_ALIGN_PARAGRAPH.CENTER, first_indent=Pt(0), exact=None)

    cap = ensure_style(doc, "图表题")
    style_font(cap, FontSpec(HEADING1.east_asia, Pt(14)))
    paragraph_format(cap, align=WD_ALIGN_PARAGRAPH.CENTER, first_indent=Pt(0), after=Pt(6))
    cap.paragraph_format.keep_with_next = True

    unit_note = ensure_style(doc, "表注")
    style_font(unit_note, FontSpec(TABLE.east_asia, Pt(12)))
    paragraph_format(unit_note, align=WD_ALIGN_PARAGRAPH.RIGHT, first_indent=Pt(0), exact=Pt(20))
    unit_note.paragraph_format.keep_with_next = True

    sign = ensure_style(doc, "落款")
    style_font(sign, BODY)
    paragraph_format(sign, align=WD_ALIGN_PARAGRAPH.RIGHT, first_indent=None)
    sign.paragraph_format.right_indent = Pt(64)

    signature = ensure_style(doc, "签字栏")
    style_font(signature, BODY)
    paragraph_format(signature, align=WD_ALIGN_PARAGRAPH.LEFT, first_indent=None, before=Pt(28))

    label = ensure_style(doc, "附件标识")
    style_font(label, HEADING1)
    paragraph_format(label, align=WD_ALIGN_PARAGRAPH.LEFT, first_indent=Pt(0))
    label.paragraph_format.keep_with_next = True


def core_properties(doc: DocumentType, title: str | None = None) -> None:
    """File → 属性: written now by jixiao <version>; no developer comment, no template dates."""
    from datetime import datetime, timezone

    from workbook_templates.version import generator

    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    cp = doc.core_properties
    if title:
        cp.title = title
    cp.author = cp.last_modified_by = generator()
    cp.comments = ""
    cp.created = cp.modified = now
    for el in cp._element.findall(qn("cp:lastPrinted")):   # python-docx's default template has one
        cp._element.remove(el)
    cp.revision = 1


def _remove_borders(style) -> None:
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        for b in ppr.findall(qn("w:pBdr")):
            ppr.remove(b)


def add_page_number_footer(doc: DocumentType) -> None:
    """Footer "— PAGE —" centred in 宋体 四号 (GB/T 9704-2012 7.5 页码)."""
    for section in doc.sections:
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        for r in list(p.runs):
            r._element.getparent().remove(r._element)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        _footer_run(p, "— ")
        _field(p, "PAGE", "1")
        _footer_run(p, " —")


def _footer_run(p, text: str):
    run = p.add_run(text)
    run.font.size = PAGE_NUMBER.size
    set_run_fonts(run._element.get_or_add_rPr(), PAGE_NUMBER, latin="宋体")
    return run


def _field(p, instr: str, shown: str) -> None:
    def fld(kind: str):
        r = _footer_run(p, "")
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._element.append(el)
    fld("begin")
    r = _footer_run(p, "")
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    r._element.append(it)
    fld("separate")
    _footer_run(p, shown)
    fld("end")


def repeat_header_row(table: Table, rows: int = 1) -> None:
    """Mark the first ``rows`` rows as header rows repeated on every page (w:tblHeader)."""
    for row in table.rows[:rows]:
        trpr = row._tr.get_or_add_trPr()
        if trpr.find(qn("w:tblHeader")) is None:
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            trpr.append(el)
        if trpr.find(qn("w:cantSplit")) is None:
            trpr.append(OxmlElement("w:cantSplit"))


def table_cell_margins(table: Table, side: Mm) -> None:
    """Left/right cell margins of the whole table (w:tblCellMar), so 五号 columns stay narrow."""
    tblpr = table._tbl.tblPr
    mar = tblpr.find(qn("w:tblCellMar"))
    if mar is None:
        mar = OxmlElement("w:tblCellMar")
        look = tblpr.find(qn("w:tblLook"))   # schema order: … tblLayout, tblCellMar, tblLook
        if look is not None:
            look.addprevious(mar)
        else:
            tblpr.append(mar)
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(int(side.twips)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)


def font_table_fallbacks(doc: DocumentType) -> None:
    """Declare the Chinese fonts in word/fontTable.xml with charset GB2312 and an altName,
    so Word substitutes sensibly (仿宋_GB2312 → 仿宋) on a PC without them."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    xml = part.blob.decode("utf-8")
    entries = []
    for name in (TITLE.east_asia, BODY.east_asia, HEADING1.east_asia, HEADING2.east_asia, TABLE.east_asia):
        if f'w:name="{name}"' in xml:
            continue
        entries.append(f'<w:font w:name="{name}"><w:altName w:val="{ALT_NAMES.get(name, name)}"/>'
                       f'<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>')
    xml = re.sub(r"</w:fonts>\s*$", "".join(entries) + "</w:fonts>", xml)
    part._blob = xml.encode("utf-8")
