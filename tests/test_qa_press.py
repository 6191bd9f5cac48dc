"""QA: `jixiao addin press` on the files a county accountant actually has.

Found by QA: pressing a button on the unit's Word report printed openpyxl's English exception
(“无法打开工作簿（InvalidFileException: openpyxl does not support .docx file format…”) and the file
went to openpyxl without the safety preflight every other command runs; `--out-dir` naming a folder
that does not exist made 汇总各单位 write its 汇总表 into the units' own folder without listing it
(the other buttons showed an error box and the command still exited 0).
"""

from __future__ import annotations

import zipfile

from addin.cli import main
from tests.docx_reports import build
from workbook_templates.samples import write_sample


def test_press_on_a_word_report_or_a_bomb_is_a_chinese_refusal(tmp_path, capsys):
    report = build("seed004", tmp_path / "医保中心绩效自评报告.docx")
    assert main(["addin", "press", "校验", str(report)]) == 2
    err = capsys.readouterr().err
    assert "Word" in err and "jixiao validate" in err
    assert "openpyxl" not in err and "Exception" not in err and "Traceback" not in err
    bomb = tmp_path / "炸弹.xlsx"                       # a sheet that inflates to 2 GB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (200 * 2**20))
    assert main(["addin", "press", "校验", str(bomb)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_press_with_a_missing_out_dir_writes_nothing(tmp_path, capsys):
    book = write_sample("seed004", tmp_path / "seed004.xlsx")
    units = tmp_path / "各单位"
    units.mkdir()
    write_sample("seed004", units / "单位甲.xlsx")
    before = sorted(p.name for p in units.iterdir())
    for button in ("汇总各单位", "生成报告", "插入模板"):
        code = main(["addin", "press", button, str(book), "--out-dir", str(tmp_path / "没有"), "--folder", str(units)])
        assert code == 2, button
        assert "没有" in capsys.readouterr().err
    assert sorted(p.name for p in units.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seed004.xlsx", "各单位"]
