"""Render a docxtpl template with a context: the chart becomes an InlineImage, text is escaped.

Jinja autoescape is on: workbook text can hold ``&``/``<`` safely, and ``markup`` objects
(placeholders, line breaks) supply their own WordprocessingML.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError

from workbook_templates.errors import ReadError, WriteError
from workbook_templates.fileio import atomic_path


def load_template(template: str | Path | bytes) -> DocxTemplate:
    if isinstance(template, bytes):
        return DocxTemplate(io.BytesIO(template))
    path = Path(template)
    if not path.is_file():
        raise ReadError(f"报告模板不存在：{path}", file=str(path))
    try:
        tpl = DocxTemplate(str(path))
        tpl.init_docx()           # docxtpl opens lazily: open now, so a bad file is reported here
        return tpl
    except Exception as exc:  # not a .docx (e.g. an .xlsx) / damaged zip
        raise ReadError(f"报告模板无法打开（应为 Word .docx 文件）：{path}（{exc}）", file=str(path)) from None


def render(template: str | Path | bytes, context: dict[str, Any], out_path: str | Path, *,
           chart: Path | None = None, chart_width_mm: float = 150, source: str | Path | None = None) -> Path:
    """Render ``template`` with ``context`` to ``out_path`` atomically; ``chart`` → ``{{ chart }}``."""
    tpl = load_template(template)
    ctx = dict(context)
    ctx["chart"] = InlineImage(tpl, str(chart), width=Mm(chart_width_mm)) if chart else ""
    try:
        tpl.render(ctx, autoescape=True)
    except TemplateError as exc:
        where = " ".join(getattr(exc, "docx_context", []) or [])[:200]
        raise ReadError(f"报告模板有语法错误：{exc}" + (f"（附近内容：{where}）" if where else "")) from None
    out_path = Path(out_path)
    with atomic_path(out_path, source=source) as tmp:
        try:
            tpl.save(str(tmp))
        except OSError as exc:
            raise WriteError(f"无法写入报告：{out_path}（{exc}）") from None
    return out_path


def temp_png() -> Path:
    fd, name = tempfile.mkstemp(prefix="jixiao-chart-", suffix=".png")
    import os

    os.close(fd)
    return Path(name)
