"""VBA source text for one locale of the add-in.

The Chinese build's project is stored in code page 936; its string literals and comments are
Chinese. The English build (for Windows whose ANSI code page is not 936, e.g. 1252) must hold no
character outside its code page: ``english_source`` replaces every non-ASCII string literal of a
hand-written module by its English text from ``ENGLISH`` (a missing one is a build error, never a
silent '?') and drops non-ASCII comments. Text that must stay Chinese in that build — the
function-wizard descriptions — is spelled as code points (``unicode_expr``): VBA strings are
Unicode inside, only source literals pass through the code page.
"""

from __future__ import annotations

import re

# Chinese literal (as it reads between the quotes, quotes undoubled) → English literal.
ENGLISH: dict[str, str] = {
    "绩效自评": "Jixiao",
    "当前文件在“受保护的视图”中打开，加载项无法读取。请先点击黄色提示栏上的“启用编辑”，再点击“":
        'The file is open in Protected View, which add-ins cannot read. Click "Enable Editing" in the '
        'yellow bar first, then click "',
    "没有打开的工作簿。请先打开一份自评表，再点击“": 'No workbook is open. Open a self-evaluation workbook first, then click "',
    "”。": '" again.',
    "（请输入或粘贴文件夹路径）": " (type or paste the folder path)",
    "选择保存新模板的文件夹": "Choose the folder for the new template",
    "选择存放各单位自评表的文件夹": "Choose the folder that holds the units' workbooks",
    "计算得分": "Score",
    "校验": "Validate",
    "清除标记": "Clear marks",
    "生成报告": "Report",
    "审核用报告": "Review report",
    "导出PDF": "Export PDF",
    "函数说明": "Functions",
    "无法列出模板，请点击“自检”查看原因": "Templates could not be listed: click Doctor to see why",
}

_TOKEN = re.compile(r'"(?:[^"\n]|"")*"|\'[^\n]*')


def _english_literal(body: str) -> str:
    text = body.replace('""', '"')
    if text.isascii():
        return body
    if text not in ENGLISH:
        raise RuntimeError(f"VBA 字符串没有英文版（addin/excel/vba_text.py ENGLISH）：{text}")
    return ENGLISH[text].replace('"', '""')


def english_source(source: str) -> str:
    """``source`` with its non-ASCII string literals in English and its non-ASCII comments removed."""

    def replace(m: re.Match[str]) -> str:
        token = m.group(0)
        if token.startswith('"'):
            return '"' + _english_literal(token[1:-1]) + '"'
        return token if token.isascii() else "'"

    out = "\n".join(_TOKEN.sub(replace, line) for line in source.split("\n"))
    if not out.isascii():
        raise RuntimeError("英文版 VBA 中仍有非 ASCII 字符（不在字符串或注释中）")
    return out


def unicode_expr(text: str, chunk: int = 120) -> list[str]:
    """VBA expressions (one per ``chunk`` characters) whose concatenation is ``text``, ASCII only:
    ``JxU("39044 31639")`` (decimal code points) for non-ASCII runs, plain literals otherwise."""
    parts = []
    for i in range(0, len(text), chunk):
        piece = text[i:i + chunk]
        if piece.isascii():
            parts.append('"' + piece.replace('"', '""') + '"')
        else:
            parts.append('JxU("' + " ".join(str(ord(ch)) for ch in piece) + '")')
    return parts or ['""']
