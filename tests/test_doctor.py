"""`jixiao doctor`: every check that can run on Linux runs here — Windows ones with the install
layout of a fake Windows home (as `jixiao addin install` writes it), Excel's bitness from PE headers
laid out as the PE/COFF specification says (Machine 0x8664 = x64, 0x014C = x86). The real xlwings
DLLs are checked in test_release.py."""

from __future__ import annotations

import struct
import sys

import pytest

from addin import doctor
from addin.cli import main
from addin.excel import install


def pe_file(path, machine: int):
    """A minimal PE image header: 'MZ', e_lfanew at 0x3C → 'PE\\0\\0' + Machine."""
    head = bytearray(0x100)
    head[:2] = b"MZ"
    struct.pack_into("<I", head, 0x3C, 0x80)
    head[0x80:0x84] = b"PE\0\0"
    struct.pack_into("<H", head, 0x84, machine)
    path.write_bytes(bytes(head))
    return path


def fake_windows(tmp_path):
    return {"platform": "win32", "home": tmp_path,
            "env": {"APPDATA": str(tmp_path / "AppData" / "Roaming"), "USERPROFILE": str(tmp_path)}}


def test_python_version_and_bits():
    assert doctor.check_python().status == doctor.OK          # the suite runs on 64-bit CPython ≥ 3.10
    old = doctor.check_python((3, 9, 13), 64)
    assert old.status == doctor.FAIL and "3.10" in old.fix
    w32 = doctor.check_python((3, 12, 4), 32)
    assert w32.status == doctor.FAIL and "32 位" in w32.detail and "64 位" in w32.fix


def test_pe_bitness(tmp_path):
    assert doctor.pe_bitness(pe_file(tmp_path / "x64.exe", 0x8664)) == 64
    assert doctor.pe_bitness(pe_file(tmp_path / "x86.exe", 0x014C)) == 32
    (tmp_path / "text.exe").write_text("not an executable")
    assert doctor.pe_bitness(tmp_path / "text.exe") is None
    assert doctor.pe_bitness(tmp_path / "missing.exe") is None


def test_excel(tmp_path):
    assert doctor.check_excel(None, "linux").status == doctor.NA
    missing = doctor.check_excel(None, "win32")
    assert missing.status == doctor.FAIL and "WPS" in missing.fix
    found = doctor.check_excel(pe_file(tmp_path / "EXCEL.EXE", 0x014C), "win32")
    assert found.status == doctor.OK and "32 位" in found.detail


def test_xlwings_dll_for_excels_bitness(tmp_path):
    import xlwings

    v = xlwings.__version__
    venv = tmp_path / "venv"
    (venv / "Scripts").mkdir(parents=True)
    folders = doctor.dll_folders(venv / "Scripts" / "pythonw.exe")
    assert folders == [venv / "Scripts", venv]
    none = doctor.check_xlwings("win32", 64, folders)
    assert none.status == doctor.FAIL and f"xlwings64-{v}.dll" in none.detail and "64 位 Python" in none.fix
    (venv / f"xlwings32-{v}.dll").write_bytes(b"")      # the wheel installs both into the venv root
    assert doctor.check_xlwings("win32", 32, folders).status == doctor.OK
    assert doctor.check_xlwings("win32", 64, folders).status == doctor.FAIL
    (venv / f"xlwings64-{v}.dll").write_bytes(b"")
    assert doctor.check_xlwings("win32", 64, folders).status == doctor.OK
    assert doctor.check_xlwings("win32", None, folders).status == doctor.OK   # Excel not found: both there
    assert doctor.check_xlwings("linux", None).status == doctor.OK


def test_addin_and_config_after_install(tmp_path):
    kw = fake_windows(tmp_path)
    assert doctor.check_addin(**kw).status == doctor.FAIL
    assert doctor.check_config(**kw).status == doctor.FAIL
    assert install.install(**kw) == 0
    addin = doctor.check_addin(**kw)
    assert addin.status == doctor.OK and "XLSTART" in addin.detail
    assert doctor.check_config(**kw).status == doctor.OK
    xlam = install.layout(**kw).addin_path
    from addin.excel.xlam import build

    for locale in ("zh", "en"):                          # either build, as install chose it by code page
        build(xlam, locale=locale)
        assert doctor.check_addin(**kw).status == doctor.OK
    import zipfile

    with zipfile.ZipFile(xlam, "a") as zf:                # the same xlwings, another jixiao build
        zf.writestr("customUI/extra.xml", "<x/>")
    stale = doctor.check_addin(**kw)
    assert stale.status == doctor.FAIL and "jixiao addin install" in stale.fix and "jixiao 版本" in stale.detail
    conf = install.layout(**kw).config_file
    conf.write_text(conf.read_text("utf-8").replace('"jixiao_entry"', '"udfs.excel"'), encoding="utf-8")
    bad = doctor.check_config(**kw)
    assert bad.status == doctor.FAIL and "UDF MODULES = udfs.excel" in bad.detail
    conf.write_text(conf.read_text("utf-8").replace('"udfs.excel"', '"jixiao_entry"')
                    .replace('"ADD_WORKBOOK_TO_PYTHONPATH","false"', '"ADD_WORKBOOK_TO_PYTHONPATH","true"'),
                    encoding="utf-8")
    older = doctor.check_config(**kw)
    assert older.status == doctor.FAIL and "ADD_WORKBOOK_TO_PYTHONPATH" in older.detail
    assert doctor.check_addin(platform="linux").status == doctor.NA
    assert doctor.check_config(platform="linux").status == doctor.NA


def test_pdf_converter(monkeypatch):
    import addin.report.pdf as pdfmod
    import workbook_templates.libreoffice as lo

    monkeypatch.setattr(pdfmod, "word_available", lambda platform=None: False)
    monkeypatch.setattr(lo, "find_soffice", lambda: None)
    none = doctor.check_pdf()
    assert none.status == doctor.FAIL and "LibreOffice" in none.fix
    monkeypatch.setattr(lo, "find_soffice", lambda: "/usr/bin/soffice")
    assert doctor.check_pdf().detail.startswith("LibreOffice")
    monkeypatch.setattr(pdfmod, "word_available", lambda platform=None: True)
    assert doctor.check_pdf().detail == "Microsoft Word"


def test_cjk_font(monkeypatch):
    from matplotlib import font_manager

    from addin.report import charts

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    monkeypatch.setattr(charts, "_refreshed", False)
    gone = doctor.check_fonts()
    assert gone.status == doctor.FAIL and "fonts-noto-cjk" in gone.fix


def test_command_prints_every_check(capsys):
    code = main(["doctor"])
    out = capsys.readouterr().out
    assert out.startswith("jixiao ") and "自检" in out
    for name in ("Python", "xlwings", "Excel", "加载项", "xlwings 配置", "模板包", "导出PDF", "图表中文字体"):
        assert any(line[2:].startswith(name + "：") for line in out.splitlines()), name
    assert code == (1 if "\n✗ " in out else 0)
    if sys.platform.startswith("linux"):
        assert "· Excel：" in out


@pytest.mark.parametrize("check", [doctor.Check("x", doctor.FAIL, "坏了", "这样修")])
def test_failed_line_carries_the_fix(check):
    assert check.line() == "✗ x：坏了\n    → 这样修"


def test_ribbon_button_shows_the_same_checks(tmp_path):
    """The 自检 button (RunPython addin.excel.macros.doctor) pressed headless: one message box with
    the text `jixiao doctor` prints."""
    from addin.excel.macros import press
    from workbook_templates.samples import write_sample

    pressed = press("自检", write_sample("seed004", tmp_path / "s.xlsx"))
    alerts = [a["args"][0] for a in pressed.actions["actions"] if a["func"] == "alert"]
    assert pressed.written == []
    assert len(alerts) == 1
    assert alerts[0] == doctor.report(doctor.run_checks())


def test_template_pack_check(tmp_path, monkeypatch):
    """模板包: none installed (插入模板 lists the standard templates), the installed pack, and a
    configured shared folder that cannot be read — named, with what 插入模板 falls back to."""
    from .test_template_packs import make_pack

    home = tmp_path / "home"
    monkeypatch.setenv("JIXIAO_HOME", str(home))
    none = doctor.check_pack()
    assert none.status == doctor.NA and "标准模板" in none.detail
    assert main(["pack", "install", str(make_pack(tmp_path))]) == 0
    ok = doctor.check_pack()
    assert ok.status == doctor.OK and ok.detail.startswith("某省项目支出绩效自评模板包（某省财政厅 2026 版本 2026.1）")
    shared = tmp_path / "财政局"
    shared.mkdir()
    (home / "jixiao.conf").write_text(f'"PACK_FOLDER","{shared}"\n', encoding="utf-8")
    bad = doctor.check_pack()
    assert bad.status == doctor.FAIL and f"共享文件夹 {shared} 无法使用" in bad.detail
    assert "已安装的模板包" in bad.detail and "pack install" in bad.fix
