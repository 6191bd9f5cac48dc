"""Every loader parse failure has its own Chinese message naming sheet and cell (issue #10 item 5:
471 of the 811 "意外问题" were openpyxl's stream parse errors). Each file is one mutation of a
real workbook (``tests/hostile/corpus.py``); both engines are tried."""

from __future__ import annotations

import pytest

from addin.cli import main
from tests.hostile.corpus import XML_MUTATIONS, write_corpus

EXPECTED = {        # file → words of the message, and the cell it names (None: no single cell)
    "样式索引越界": ("格式编号 9999 不存在", "A1"),
    "缺少styles": ("缺少样式部件 xl/styles.xml", "A1"),
    "布尔值为true": ("逻辑值单元格的值应为 0 或 1，文件中是“true”", "C4"),
    "数值为NaN": ("不是有效的数字（“NaN”）", "C4"),
    "单元格引用错误": ("单元格引用“1A”不是有效的单元格地址", "1A"),
    "共享字符串越界": ("共享字符串编号 99999 不存在", "A1"),
    "日期乱码": ("日期单元格中不是有效的日期", "C4"),
    "未绑定前缀": ("未声明的命名空间前缀", None),
    "未闭合标签": ("标签未闭合", None),
    "名称为REF": ("已失效（#REF!", None),
    "名称为整列": ("指向整列或整行", None),
    "名称为常量": (("打印标题的定义不是单元格区域", "不是单元格引用（123）"), None),
    "缺少工作表部件": ("部件 xl/worksheets/sheet1.xml）不存在", None),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    dest = tmp_path_factory.mktemp("loader-errors")
    write_corpus(dest)
    return dest


@pytest.mark.parametrize("engine", ["auto", "calamine"])
@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_parse_error_is_named(corpus, capsys, kind, engine):
    words, cell = EXPECTED[kind]
    rc = main(["read", str(corpus / f"{kind}.xlsx"), "--engine", engine])
    err = capsys.readouterr().err
    assert "意外问题" not in err and "Traceback" not in err, err
    if engine == "calamine":    # a tolerant engine reads some of these, or the reader names the bad value
        assert rc in (0, 2) and (rc == 0 or err.startswith("错误："))
        return
    assert rc == 2, err
    assert any(w in err for w in ((words,) if isinstance(words, str) else words)), err
    if cell:
        assert f"!{cell}" in err, err


@pytest.mark.parametrize("kind", ["样式索引越界", "布尔值为true", "名称为REF", "未绑定前缀"])
@pytest.mark.parametrize("command", [["validate", "{f}", "-o", "{o}"], ["addin", "press", "校验", "{f}"]])
def test_same_message_from_whole_workbook_loads(corpus, tmp_path, capsys, kind, command):
    """validate -o and addin press load the whole workbook (openpyxl normal mode): same words."""
    argv = [a.replace("{f}", str(corpus / f"{kind}.xlsx")).replace("{o}", str(tmp_path / "o.xlsx")) for a in command]
    rc = main(argv)
    out = capsys.readouterr()
    assert rc == 2 and "意外问题" not in out.out + out.err
    assert EXPECTED[kind][0] in out.err


def test_every_expected_kind_is_in_the_corpus():
    assert set(EXPECTED) <= set(XML_MUTATIONS)
