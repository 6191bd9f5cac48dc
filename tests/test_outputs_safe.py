"""Outputs (issue #10 items 5 and 7): every refusal of the OS is a Chinese message naming the path
(a folder, a name over 255 bytes, an unwritable folder, a .bak that cannot be made, ``demo -o`` a
file); files are created readable by colleagues (0666 less the umask, like ``cp``; mkstemp gave
0600); ``--in-place`` keeps the original's mode and refuses a read-only file; ``--timeout inf``."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from addin.cli import main
from workbook_templates.samples import write_sample

LONG = "长" * 90 + ".xlsx"          # 275 bytes in UTF-8: over the 255-byte limit of ext4/NTFS/APFS


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def src(tmp_path) -> Path:
    return write_sample("seed004", tmp_path / "自评表.xlsx")


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.mark.parametrize("argv", [
    ["score", "{src}", "-o", "{dir}/" + LONG],
    ["validate", "{src}", "-o", "{dir}/" + LONG],
    ["report", "{src}", "-o", "{dir}/" + LONG.replace(".xlsx", ".docx"), "--no-chart"],
    ["fill", "project", "--from", "{src}", "-o", "{dir}/" + LONG],
    ["template", "project", "-o", "{dir}/" + LONG],
    ["consolidate", "{dir}", "-o", "{dir}/" + LONG, "-q"],
])
def test_output_name_too_long(src, tmp_path, capsys, argv):
    rc = main([a.replace("{src}", str(src)).replace("{dir}", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err
    assert rc == 2 and "文件名过长" in err and "意外问题" not in err


def test_output_in_a_folder_that_cannot_hold_files(src, capsys):
    rc = main(["validate", str(src), "-o", "/proc/校验.xlsx"])
    err = capsys.readouterr().err
    assert rc == 2 and "/proc" in err and "意外问题" not in err


def test_demo_output_that_is_a_file(src, capsys):
    before = src.read_bytes()
    assert main(["demo", "-o", str(src)]) == 2
    err = capsys.readouterr().err
    assert "文件夹" in err and "意外问题" not in err
    assert src.read_bytes() == before


def test_timeout_inf_means_no_limit(src, tmp_path, capsys):
    """Before: OverflowError (timestamp out of range for platform time_t)."""
    assert main(["consolidate", str(tmp_path), "-o", str(tmp_path / "汇总.xlsx"), "--timeout", "inf", "-q"]) == 0
    assert "意外问题" not in capsys.readouterr().err


def test_outputs_readable_by_colleagues(src, tmp_path, umask022):
    outs = {"score": tmp_path / "计分.xlsx", "validate": tmp_path / "校验.xlsx"}
    for cmd, out in outs.items():
        main([cmd, str(src), "-o", str(out)])
        assert mode(out) == 0o644, cmd
    main(["report", str(src), "-o", str(tmp_path / "报告.docx"), "--no-chart"])
    main(["template", "project", "-o", str(tmp_path / "模板.xlsx")])
    main(["consolidate", str(tmp_path), "-o", str(tmp_path / "汇总.xlsx"), "-q", "--jobs", "0"])
    for name in ("报告.docx", "模板.xlsx", "汇总.xlsx"):
        assert mode(tmp_path / name) == 0o644, name
    assert mode(src) == 0o644              # write_sample goes through the same atomic write


def test_umask_is_respected(src, tmp_path):
    old = os.umask(0o077)
    try:
        main(["score", str(src), "-o", str(tmp_path / "私有.xlsx")])
    finally:
        os.umask(old)
    assert mode(tmp_path / "私有.xlsx") == 0o600


def test_in_place_keeps_the_mode(src, umask022):
    src.chmod(0o640)
    assert main(["score", str(src), "--in-place"]) in (0, 1)
    assert mode(src) == 0o640
    assert Path(str(src) + ".bak").exists()


def test_in_place_refuses_a_read_only_file(src, capsys):
    """Before: a 0444 file was overwritten (rename ignores the mode) and became 0600."""
    src.chmod(0o444)
    before = src.read_bytes()
    assert main(["score", str(src), "--in-place"]) == 2
    err = capsys.readouterr().err
    assert "只读" in err and src.read_bytes() == before and mode(src) == 0o444


def test_in_place_with_a_bak_that_cannot_be_written(src, capsys):
    """Before: IsADirectoryError from copy2, 意外问题. The original is untouched."""
    Path(str(src) + ".bak").mkdir()
    before = src.read_bytes()
    assert main(["validate", str(src), "--in-place"]) == 2
    err = capsys.readouterr().err
    assert ".bak" in err and "意外问题" not in err and src.read_bytes() == before


def test_read_table_prints_markup_in_names_literally(tmp_path, capsys):
    """Before: '[/b]' in an indicator name ended `read` in MarkupError (意外问题) after the work."""
    import openpyxl

    from workbook_templates.reader import read_workbook

    src = write_sample("seed004", tmp_path / "s.xlsx")
    ev = read_workbook(src)
    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value == ev.project.name:
                    c.value = "[/]项目[bold]甲"
                elif c.value == ev.indicators[0].name:
                    c.value = "[/b]指标"
    wb.save(src)
    assert main(["read", str(src)]) == 0
    out = capsys.readouterr().out
    assert "[/]项目[bold]甲" in out and "[/b]指标" in out
