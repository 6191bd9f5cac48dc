"""Template packs and what the reviewer sees when the units' workbooks come back (issue #17).

A 财政局 builds its pack once (``jixiao pack build``), units install it (``jixiao pack install``)
and get the same templates from ``jixiao template`` and the ribbon's 插入模板; ``consolidate``
shows each unit's template, version and rules, reports mixed versions or rules naming the units,
checks every unit against a pack (``--expect-pack``) and flags altered templates.
The province profile is the made-up one of ``test_template_profiles`` (different bands, grades
and weights); the unit data is seed 004's published table.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.cli import main
from addin.excel.macros import press
from udfs import load_profile
from workbook_templates.fill import fill_workbook
from workbook_templates.loaders import load_openpyxl
from workbook_templates.meta import read_meta

from .test_template_profiles import PROVINCE, province_unit


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    """Every test installs into its own jixiao home (and add-in configuration)."""
    h = tmp_path / "home"
    monkeypatch.setenv("JIXIAO_HOME", str(h))
    return h


def make_pack(tmp_path: Path, version: str = "2026.1", profile: dict | None = None, report: bool = False) -> Path:
    d = tmp_path / f"src-{version}"
    d.mkdir()
    (d / "my-province.json").write_text(json.dumps(profile or PROVINCE, ensure_ascii=False), encoding="utf-8")
    manifest = {"issuer": "某省财政厅", "year": 2026, "version": version, "title": "某省项目支出绩效自评模板包",
                "profile": "my-province.json", "templates": ["project", "预算执行情况表"]}
    if report:
        assert main(["report", "--write-template", str(d / "报告模板.docx")]) == 0
        manifest["report_template"] = "报告模板.docx"
    (d / "pack.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / f"某省绩效自评模板包-{version}.zip"
    assert main(["pack", "build", str(d / "pack.json"), "-o", str(out)]) == 0
    return out


def meta_of(path: Path):
    return read_meta(load_openpyxl(path).grid("_meta"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pack_round_trip_build_install_insert(tmp_path, home, capsys):
    """build → install → 插入模板 (the ribbon button, pressed headless): the unit gets the pack's
    template byte for byte, carrying the province's rules and the pack's version."""
    pack = make_pack(tmp_path, report=True)
    with zipfile.ZipFile(pack) as zf:
        names = sorted(zf.namelist())
    assert names == ["manifest.json", "profile.json", "report/报告模板.docx", "templates/budget-execution.xlsx",
                     "templates/project.xlsx"]
    assert main(["pack", "install", str(pack)]) == 0
    assert "已安装到" in capsys.readouterr().out
    unit = tmp_path / "unit"
    unit.mkdir()
    book = unit / "工作簿.xlsx"
    openpyxl.Workbook().save(book)
    pressed = press("插入模板", book, template="project")
    result, actions = pressed.result, pressed.actions
    assert result == unit / "project-模板.xlsx" and result.exists() and pressed.written == [result]
    assert sha(result) == sha(home / "pack" / "templates" / "project.xlsx")
    alert = next(a for a in actions["actions"] if a["func"] == "alert")
    assert "某省项目支出绩效自评模板包" in alert["args"][0]
    meta = meta_of(result)
    assert meta.profile_data["id"] == "demo-province" and meta.pack["version"] == "2026.1"
    # 校验 and 计算得分 on it: the 校验结果 / 计分结果 sheets name the rules the workbook carries
    for button in ("校验", "计算得分"):
        acts = press(button, result).actions
        written = json.dumps([a for a in acts["actions"] if a["func"] == "setValues"], ensure_ascii=False)
        assert "demo-province 2026.1；工作簿模板（project 1.0）内嵌的评分规则" in written, button
    # the command line gives the same file; --list says where the templates come from
    assert main(["template", "project", "-o", str(tmp_path / "cli.xlsx")]) == 0
    assert sha(tmp_path / "cli.xlsx") == sha(result)
    assert main(["template", "--list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert any(line.startswith("project") and "某省项目支出绩效自评模板包" in line for line in listing)
    assert any(line.startswith("scorecard") and "模板包" not in line for line in listing)
    # the pack's report template is the default for `jixiao report`
    from addin import packs

    assert packs.report_template() == home / "pack" / "report" / "报告模板.docx"


def test_shared_folder_is_read_live(tmp_path, home, capsys):
    """--shared records the folder in the add-in's configuration; a new version put there is what
    the next 插入模板 gives, without reinstalling."""
    shared = tmp_path / "财政局" / "绩效模板"
    shared.mkdir(parents=True)
    with zipfile.ZipFile(make_pack(tmp_path, "2026.1")) as zf:
        zf.extractall(shared)
    assert main(["pack", "install", "--shared", str(shared)]) == 0
    conf = (home / "jixiao.conf").read_text(encoding="utf-8")
    assert f'"PACK_FOLDER","{shared}"' in conf
    assert main(["template", "project", "-o", str(tmp_path / "a.xlsx")]) == 0
    assert meta_of(tmp_path / "a.xlsx").pack["version"] == "2026.1"
    for f in list(shared.rglob("*")):
        if f.is_file():
            f.unlink()
    with zipfile.ZipFile(make_pack(tmp_path, "2026.2")) as zf:
        zf.extractall(shared)
    assert main(["template", "project", "-o", str(tmp_path / "b.xlsx")]) == 0
    assert meta_of(tmp_path / "b.xlsx").pack["version"] == "2026.2"
    capsys.readouterr()
    assert main(["pack", "show"]) == 0
    assert "共享文件夹" in capsys.readouterr().out


def _rezip(src: Path, dst: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        items = {n: zin.read(n) for n in zin.namelist()}
        for name, data in edit(items).items():
            zout.writestr(name, data)
    return dst


@pytest.mark.parametrize("case", ["traversal", "absolute", "extra-file", "tampered-template", "tampered-profile",
                                  "symlink", "not-a-zip", "nested-manifest"])
def test_hostile_packs_are_refused_and_nothing_is_written(tmp_path, home, capsys, case):
    pack = make_pack(tmp_path)
    bad = tmp_path / "bad.zip"
    if case == "traversal":
        _rezip(pack, bad, lambda i: {**i, "templates/../../evil.xlsx": b"x"})
    elif case == "absolute":
        _rezip(pack, bad, lambda i: {**i, "/tmp/evil.json": b"{}"})
    elif case == "extra-file":
        _rezip(pack, bad, lambda i: {**i, "run.bat": b"del *"})
    elif case == "tampered-template":
        _rezip(pack, bad, lambda i: {**i, "templates/project.xlsx": i["templates/budget-execution.xlsx"]})
    elif case == "tampered-profile":
        _rezip(pack, bad, lambda i: {**i, "profile.json": i["profile.json"].replace(b'"min": 0.9', b'"min": 0.5')})
    elif case == "symlink":
        with zipfile.ZipFile(pack) as zin, zipfile.ZipFile(bad, "w") as zout:
            for n in zin.namelist():
                zout.writestr(n, zin.read(n))
            link = zipfile.ZipInfo("templates/link.xlsx")
            link.external_attr = (0o120777 << 16)
            zout.writestr(link, "/etc/passwd")
    elif case == "nested-manifest":
        _rezip(pack, bad, lambda i: {**i, "manifest.json": b"[" * 100_000 + b"]" * 100_000})
    else:
        bad.write_bytes(b"%PDF-1.4 not a zip")
    assert main(["pack", "install", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "Traceback" not in err
    assert not (home / "pack").exists()
    assert not (tmp_path / "evil.xlsx").exists() and not (home.parent / "evil.xlsx").exists()


def _unit(tmp_path: Path, name: str, pack: Path | None, seed004, profile: dict = PROVINCE) -> Path:
    """A unit's workbook: the pack's project template (or one built with ``profile``) opened and
    filled with seed 004's table, as a unit does."""
    from workbook_templates.fill import fill_book

    data = province_unit(seed004)
    data["project"] = {**data["project"], "unit": name}
    path = tmp_path / "units" / f"{name}.xlsx"
    path.parent.mkdir(exist_ok=True)
    if pack is None:
        prof_path = tmp_path / f"{profile['id']}.json"
        prof_path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
        wb = fill_workbook("project", data, load_profile(str(prof_path)))
    else:
        with zipfile.ZipFile(pack) as zf:
            (tmp_path / "t.xlsx").write_bytes(zf.read("templates/project.xlsx"))
            prof = json.loads(zf.read("profile.json"))
        from udfs import Profile

        wb = fill_book(openpyxl.load_workbook(tmp_path / "t.xlsx"), "project", data,
                       Profile(prof["id"], prof["title"], prof))
    wb.save(path)
    return path


def test_consolidate_reports_two_versions_and_two_profiles_naming_the_units(tmp_path, seed004, capsys):
    new, old = make_pack(tmp_path, "2026.1"), make_pack(tmp_path, "2025.1")
    _unit(tmp_path, "甲单位", new, seed004)
    _unit(tmp_path, "乙单位", new, seed004)
    _unit(tmp_path, "丙单位", old, seed004)                          # last year's pack
    other = {**PROVINCE, "id": "other-province", "title": "另一省（测试用）", "version": "2024"}
    _unit(tmp_path, "丁单位", None, seed004, other)                   # another province's form
    out = tmp_path / "汇总表.xlsx"
    capsys.readouterr()
    assert main(["consolidate", str(tmp_path / "units"), "-o", str(out), "--json", "-j", "0", "-q"]) == 0
    data = json.loads(capsys.readouterr().out)
    mism = {m["rule"]: m["message"] for m in data["mismatches"]}
    assert "版本 1.0（模板包 2025.1）：丙单位.xlsx（丙单位）" in mism["template-version-mismatch"]
    assert "版本 1.0（模板包 2026.1）：乙单位.xlsx（乙单位）、甲单位.xlsx（甲单位）" in mism["template-version-mismatch"]
    assert "版本 1.0：丁单位.xlsx（丁单位）" in mism["template-version-mismatch"]
    assert "other-province 2024：丁单位.xlsx（丁单位）" in mism["profile-mismatch"]
    projects = {p["unit"]: p for p in data["projects"]}
    assert projects["丙单位"]["template"]["pack"]["version"] == "2025.1"
    assert projects["丁单位"]["profile"]["id"] == "other-province"
    wb = openpyxl.load_workbook(out)
    rows = list(wb["汇总表"].iter_rows(min_row=2, values_only=True))
    header = rows[0]
    col = {h: header.index(h) for h in ("实施单位", "模板", "模板版本", "评分规则")}
    by_unit = {r[col["实施单位"]]: r for r in rows[1:] if r[col["实施单位"]]}
    assert by_unit["丙单位"][col["模板版本"]] == "1.0（模板包 2025.1）"
    assert by_unit["甲单位"][col["评分规则"]] == "demo-province 2026.1（内嵌）"
    assert by_unit["丁单位"][col["模板"]] == "project"
    issues = [r for r in wb["问题清单"].iter_rows(min_row=2, values_only=True) if r[0] == "（各单位）"]
    assert {r[3] for r in issues} == {"template-version-mismatch", "profile-mismatch"}


def test_one_version_and_one_profile_is_no_finding(tmp_path, seed004, capsys):
    new = make_pack(tmp_path, "2026.1")
    _unit(tmp_path, "甲单位", new, seed004)
    _unit(tmp_path, "乙单位", new, seed004)
    capsys.readouterr()
    assert main(["consolidate", str(tmp_path / "units"), "-o", str(tmp_path / "s.xlsx"), "--json", "-j", "0",
                 "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["mismatches"] == []


def test_expect_pack_checks_every_unit_and_altered_templates_are_flagged(tmp_path, seed004, capsys):
    pack, old = make_pack(tmp_path, "2026.1"), make_pack(tmp_path, "2025.1")
    _unit(tmp_path, "甲单位", pack, seed004)
    _unit(tmp_path, "丙单位", old, seed004)
    changed = _unit(tmp_path, "戊单位", pack, seed004)
    wb = openpyxl.load_workbook(changed)
    wb["项目支出绩效自评表"]["L12"] = 20                            # a score typed over the formula
    wb.save(changed)
    out = tmp_path / "汇总表.xlsx"
    assert main(["consolidate", str(tmp_path / "units"), "-o", str(out), "-j", "0", "-q",
                 "--expect-pack", str(pack)]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook(out)
    issues = [(r[0], r[3], r[5]) for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    per_file = {(f, rule) for f, rule, _ in issues}
    assert ("丙单位.xlsx", "template-version-mismatch") in per_file
    assert ("甲单位.xlsx", "template-version-mismatch") not in per_file
    assert not any(rule == "profile-mismatch" and f != "（各单位）" for f, rule, _ in issues)
    altered = [m for f, rule, m in issues if rule == "template-altered"]
    assert [f for f, rule, _ in issues if rule == "template-altered"] == ["戊单位.xlsx"]
    assert "L12" in altered[0]
    rows = list(wb["汇总表"].iter_rows(min_row=2, values_only=True))
    col = rows[0].index("模板版本")
    assert any(r[col] == "1.0（模板包 2026.1），已改动" for r in rows[1:])


def readme_workflow() -> tuple[dict[str, str], list[str], list[list[str]]]:
    """README "Rules are data": the 财政局's files (each ```json block, named by the first
    `….json` of the paragraph before it), the commands quoted in that text, and the five lines."""
    import re

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("The 财政局's files", 1)[1].split("The whole workflow", 1)[0]
    files = {}
    parts = section.split("```json")
    for before, block in zip(parts[:-1], parts[1:], strict=True):
        name = re.search(r"`([^`\s]+\.json)`", before.rsplit("```", 1)[-1]).group(1)
        files[name] = block.split("```", 1)[0]
    quoted = [" ".join(c.split()) for c in re.findall(r"`(jixiao [^`]+)`", section)]
    block = readme.split("these five lines):", 1)[1].split("```", 2)[1]
    commands = [line.split("#", 1)[0].split()[1:] for line in block.strip().splitlines()]
    return files, quoted, commands


def test_the_readme_workflow_in_five_commands(tmp_path, seed004, capsys, monkeypatch):
    """README "Rules are data": the 财政局's three files and the five commands, run as written (the
    unit fills its template between the third and the fourth). The pack's project template is the
    province's form (20 rows: 总分 in row 32); `jixiao score` gives what the template's own formulas
    give in LibreOffice; the 财政局's check finds nothing to report."""
    from workbook_templates.fill import fill_book

    files, quoted, commands = readme_workflow()
    assert sorted(files) == ["my-province.json", "pack.json", "某省项目支出绩效自评表.json"]
    assert [c[0] for c in commands] == ["pack", "pack", "template", "score", "consolidate"]
    monkeypatch.chdir(tmp_path)
    for name, text in files.items():
        Path(name).write_text(text, encoding="utf-8")
    assert "jixiao report --write-template 报告模板.docx" in quoted
    assert main(["report", "--write-template", "报告模板.docx"]) == 0
    Path("各单位").mkdir()
    for argv in commands[:3]:
        assert main(argv) == 0, argv
    wb = openpyxl.load_workbook("自评表.xlsx")
    assert wb.worksheets[0]["A32"].value == "总分"
    assert wb.worksheets[0]["A1"].value == "某省项目支出绩效自评表（2026年度）"
    wb = fill_book(wb, "project", province_unit(seed004), load_profile("my-province.json"))
    wb.save("自评表.xlsx")
    wb.save("各单位/甲单位.xlsx")
    capsys.readouterr()
    assert main([*commands[3], "--json"]) in (0, 1)
    scored = json.loads(capsys.readouterr().out)
    assert scored["profile"] == {**scored["profile"], "id": "my-province", "source": "template"}
    assert scored["template"]["layout"] == "my-province-project" and scored["template"]["altered"] is None
    assert scored["budget"]["rule_score"] == 19.02                      # 20 × min(1521.57 ÷ 1600, 1)
    assert main(commands[3]) in (0, 1)
    assert "my-province 2026.1；工作簿模板（project 2026.1）内嵌的评分规则" in capsys.readouterr().out
    from workbook_templates.libreoffice import find_soffice

    if find_soffice():                                                  # the form's own formulas agree
        from decimal import Decimal

        from workbook_templates.builder import recalculate
        from workbook_templates.template_reader import read_template_file

        lo = read_template_file(recalculate([Path("自评表.xlsx")], tmp_path / "lo")[0])
        assert lo.total_score == Decimal(str(scored["rule_total_score"])) and lo.grade == scored["grade"]
    assert main([*commands[4], "--json", "-j", "0", "-q"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mismatches"] == [] and data["projects"][0]["profile"]["id"] == "my-province"
    issues = [r[3] for r in openpyxl.load_workbook("汇总表.xlsx")["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert not {"template-version-mismatch", "profile-mismatch", "template-altered"} & set(issues)
    from addin import packs

    assert packs.report_template().name == "报告模板.docx"


def test_fill_uses_the_installed_packs_template(tmp_path, seed004, capsys):
    """`jixiao fill` with a pack installed fills the pack's template: same rules, same checksum."""
    assert main(["pack", "install", str(make_pack(tmp_path))]) == 0
    data = tmp_path / "d.json"
    data.write_text(json.dumps(province_unit(seed004), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "f.xlsx"
    assert main(["fill", "project", "--data", str(data), "-o", str(out)]) == 0
    assert "某省项目支出绩效自评模板包" in capsys.readouterr().out
    meta = meta_of(out)
    assert meta.pack["version"] == "2026.1" and meta.profile_data["id"] == "demo-province"
    assert main(["score", str(out), "--json"]) in (0, 1)
    result = json.loads(capsys.readouterr().out)
    assert result["rule_total_score"] == 98.52 and result["template"]["altered"] is None
