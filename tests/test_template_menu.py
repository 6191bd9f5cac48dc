"""The ribbon's 插入模板 menu lists the installed pack's templates (issue #17).

The menu is a ``dynamicMenu``: its getContent callback (``Jx_TemplateMenu`` in JixiaoRibbon.bas)
runs ``addin.excel.macros.template_menu`` through RunPython and returns the XML Python wrote.
Executed here in LibreOffice Basic (tests/test_addin_vba_engine.py's project: our real modules,
xlwings stubbed — its RunPython runs this one command with the project's Python for real), then
the same menu headless (``jixiao addin menu``), then the acceptance: build → install → 插入模板
pressed headless (``jixiao addin press 插入模板``) gives the pack's template.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from defusedxml import ElementTree

from addin.cli import main
from addin.excel.template_menu import menu_xml

from .test_addin_vba_engine import PYTHON_UNO, run_basic
from .test_template_packs import make_pack, sha

CUI = "{http://schemas.microsoft.com/office/2006/01/customui}"


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    h = tmp_path / "home"
    monkeypatch.setenv("JIXIAO_HOME", str(h))
    return h


def buttons(xml: str) -> list[tuple[str, str]]:
    menu = ElementTree.fromstring(xml)
    return [(e.get("tag"), e.get("label")) for e in menu if e.tag == f"{CUI}button"]


def test_menu_lists_the_pack_first_then_the_standard_templates(tmp_path, home, capsys):
    assert [t for t, _ in buttons(menu_xml())][:2] == ["project", "budget-execution"]   # no pack: standard order
    assert main(["pack", "install", str(make_pack(tmp_path))]) == 0
    xml = menu_xml()
    menu = ElementTree.fromstring(xml)
    titles = [e.get("title") for e in menu if e.tag == f"{CUI}menuSeparator"]
    assert titles[0].startswith("某省项目支出绩效自评模板包（某省财政厅 2026 版本 2026.1）") and titles[1] == "标准模板"
    tags = [t for t, _ in buttons(xml)]
    assert tags[:2] == ["project", "budget-execution"]                # the pack's two
    assert sorted(tags[2:]) == sorted(["scorecard", "department", "summary", "annex1"])
    capsys.readouterr()
    assert main(["addin", "menu", "--xml"]) == 0
    assert capsys.readouterr().out == xml
    assert main(["addin", "menu"]) == 0
    out = capsys.readouterr().out
    assert "—— 某省项目支出绩效自评模板包" in out and "项目支出绩效自评表\tproject" in out


def test_a_broken_shared_folder_is_said_in_the_menu(tmp_path, home, capsys):
    shared = tmp_path / "共享"
    shared.mkdir()
    assert main(["pack", "install", str(make_pack(tmp_path))]) == 0
    conf = home / "jixiao.conf"
    conf.write_text(f'"PACK_FOLDER","{shared}"\n', encoding="utf-8")     # the 财政局's folder, now empty
    menu = ElementTree.fromstring(menu_xml())
    titles = [e.get("title") for e in menu if e.tag == f"{CUI}menuSeparator"]
    assert titles[0].startswith("某省项目支出绩效自评模板包")           # the installed copy, and why
    assert f"共享文件夹 {shared} 无法使用" in titles[0]


@pytest.mark.libreoffice
@pytest.mark.skipif(PYTHON_UNO is None, reason="LibreOffice 或 python3-uno 未安装")
def test_the_vba_callback_returns_the_menu_python_writes(tmp_path, home):
    """Jx_TemplateMenu executed: it hands RunPython ``template_menu('<temp>/jixiao-template-menu.xml',
    scratch=False)``, reads the file Python wrote and returns its text — the installed pack's
    templates first; with no Python output it returns the one-entry fallback that runs 自检."""
    assert main(["pack", "install", str(make_pack(tmp_path))]) == 0
    lo = tmp_path / "lo"
    lo.mkdir()
    stale = lo / "jixiao-template-menu.xml"
    stale.write_text("<menu>last time</menu>", encoding="ascii")
    out = run_basic(lo, "zh", [("MenuFile", []), ("Menu", [True]), ("Menu", [False])], env={"JIXIAO_HOME": str(home)})
    assert out[0] == str(stale)
    calls, xml = out[1].split("#", 1)
    assert calls.strip() == ("import jixiao_entry, addin.excel.macros; addin.excel.macros.template_menu("
                             f"'{stale}', scratch=False)")
    assert xml.replace("\n", "") == menu_xml().replace("\r\n", "\n").replace("\n", "")
    assert [t for t, _ in buttons(xml)][:2] == ["project", "budget-execution"]
    _, fallback = out[2].split("#", 1)                 # Python wrote nothing (and last time's menu is gone)
    root = ElementTree.fromstring(fallback)
    (entry,) = list(root)
    assert entry.get("onAction") == "Jx_Doctor" and "自检" in entry.get("label")


def test_pack_round_trip_through_the_menu_and_addin_press(tmp_path, home, capsys):
    """The acceptance: build → install → 插入模板 via `jixiao addin press`: the press lists the menu
    (the pack's templates first) and writes the pack's template byte for byte."""
    pack = make_pack(tmp_path)
    assert main(["pack", "install", str(pack)]) == 0
    unit = tmp_path / "unit"
    unit.mkdir()
    book = unit / "工作簿.xlsx"
    openpyxl.Workbook().save(book)
    capsys.readouterr()
    assert main(["addin", "press", "插入模板", str(book), "--template", "预算执行情况表"]) == 0
    out = capsys.readouterr().out
    assert "“插入模板”菜单：" in out and "—— 某省项目支出绩效自评模板包" in out
    written = unit / "budget-execution-模板.xlsx"
    assert f"写出文件：{written}" in out
    assert sha(written) == sha(home / "pack" / "templates" / "budget-execution.xlsx")
    assert main(["addin", "press", "插入模板", str(book), "--template", "scorecard", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [m[1] for m in data["menu"]][:2] == ["project", "budget-execution"]
    assert data["written"] == [str(unit / "scorecard-模板.xlsx")]            # standard: not in the pack
    assert main(["addin", "press", "插入模板", str(book), "--template", "nope"]) == 2
    assert "没有名为“nope”的模板" in capsys.readouterr().err


def test_a_menu_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path, home):
    """template_menu as RunPython calls it, with a temp folder that is gone: a Chinese message box
    naming the file, no menu file (the callback then shows its fallback entry → 自检)."""
    from addin.excel.macros import payload_from_openpyxl, remote_xlwings, template_menu

    wb = openpyxl.Workbook()
    book = remote_xlwings().Book(json=payload_from_openpyxl(wb, "工作簿.xlsx"))
    target = tmp_path / "gone" / "jixiao-template-menu.xml"
    assert template_menu(str(target), book=book) is None and not target.exists()
    alerts = [a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"]
    assert len(alerts) == 1 and alerts[0].startswith("错误：无法列出模板：") and "gone" in alerts[0]
    ok = tmp_path / "jixiao-template-menu.xml"
    assert template_menu(str(ok), book=book) == ok
    assert ok.read_bytes() == menu_xml().replace("\n", "\r\n").encode("ascii")     # CRLF, as VBA writes text


def test_a_listed_template_that_fails_its_full_check_is_said_when_inserted(tmp_path, home, capsys):
    """The menu lists the pack from its manifest and checksums; the template chosen is checked in
    full. A pack whose project.xlsx was swapped for a standard template (manifest checksum updated
    to match) is still listed, and 插入模板 then writes the standard template and says why."""
    import hashlib

    from workbook_templates.builder import build_template

    assert main(["pack", "install", str(make_pack(tmp_path))]) == 0
    swapped = home / "pack" / "templates" / "project.xlsx"
    build_template("project", swapped)
    manifest = json.loads((home / "pack" / "manifest.json").read_text(encoding="utf-8"))
    for t in manifest["templates"]:
        if t["id"] == "project":
            t["sha256"] = hashlib.sha256(swapped.read_bytes()).hexdigest()
    (home / "pack" / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    assert [t for t, _ in buttons(menu_xml())][:2] == ["project", "budget-execution"]
    book = tmp_path / "工作簿.xlsx"
    openpyxl.Workbook().save(book)
    capsys.readouterr()
    assert main(["addin", "press", "插入模板", str(book)]) == 0
    out = capsys.readouterr().out
    assert "标准模板（已安装的模板包无法使用：模板包中的“templates/project.xlsx”不是按包内评分规则生成的" in out
