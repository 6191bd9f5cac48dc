"""argparse's own words in Chinese: "usage:", "options", "-h" help, and every error message.

argparse looks its texts up through ``gettext`` (``argparse._`` and ``argparse.ngettext``,
bound at import). ``chinese_argparse()`` swaps both for a lookup in ``MESSAGES`` for as long
as the ``jixiao`` command line runs and restores them afterwards, so other programs in the
same process (pytest, a user's script) keep argparse as it was. Texts of newer Pythons that
are not listed stay English rather than being guessed.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

MESSAGES = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的参数值 %r",
    "expected one argument": "需要一个参数值",
    "expected at most one argument": "最多一个参数值",
    "expected at least one argument": "至少需要一个参数值",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项值：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
    "%(prog)s: warning: %(message)s\n": "%(prog)s：警告：%(message)s\n",
}
PLURALS = {
    ("expected %s argument", "expected %s arguments"): "需要 %s 个参数值",
}


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return PLURALS.get((singular, plural), singular if n == 1 else plural)


@contextmanager
def chinese_argparse() -> Iterator[None]:
    """argparse speaks Chinese inside the block (parser construction, help, errors)."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = translate, translate_plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples (epilog) keep their line breaks; options wrap as usual;
    section headings end in a full-width colon (argparse writes ``heading:`` itself)."""

    def start_section(self, heading: str | None) -> None:
        super().start_section(f"{heading}\uff1a" if heading else heading)

    def format_help(self) -> str:
        return super().format_help().replace("\uff1a:\n", "\uff1a\n")
