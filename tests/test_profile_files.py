"""A profile file a user (or a 财政局) writes by hand: each way it can be broken gives its own
Chinese message, exit 2 — not Python's English JSON error text."""

from __future__ import annotations

import pytest

from addin.cli import main
from workbook_templates.samples import write_sample


@pytest.mark.parametrize(("content", "expect"), [
    (b'{id: "x"}', "第1行第2列键名应加英文双引号"),
    (b'{"id": "x",}', "第1行第12列键名应加英文双引号，或有多余的逗号"),
    (b'{"id": "x" "title": "y"}', "第1行第12列缺少逗号"),
    (b"[1, 2]", "应为 JSON 对象（{…}），实际为列表"),
    (b"\xff\xfe{", "不是 UTF-8 编码的文字"),
    (b"[" * 100000, "嵌套过深"),
])
def test_broken_profile_file_is_named_in_chinese(tmp_path, capsys, content, expect):
    prof = tmp_path / "省规则.json"
    prof.write_bytes(content)
    book = write_sample("seed004", tmp_path / "自评表.xlsx")
    assert main(["score", str(book), "--profile", str(prof)]) == 2
    err = capsys.readouterr().err
    assert expect in err and "意外问题" not in err and "Expecting" not in err
