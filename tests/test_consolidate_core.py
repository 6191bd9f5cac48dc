"""汇总各单位 on a generated corpus of good unit workbooks in every published layout (issue #7).

Expected numbers come from the generated data (the test's own arithmetic) and the shared scoring
pipeline applied to that data — never from the consolidation's output.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import shutil
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from addin.cli import main as cli_main
from addin.consolidate import consolidate
from addin.pipeline import score_evaluation
from udfs.numbers import excel_round
from workbook_templates.model import Budget, Evaluation, Indicator, Project
from workbook_templates.samples import SAMPLE_LAYOUTS, default_data, random_unit, write_sample

HEADERS = ["序号", "文件", "主管部门", "实施单位", "项目名称", "全年预算数", "全年执行数", "执行率",
           "自评得分", "规则得分", "等级", "错误数", "警告数", "排名", "年度", "模板", "模板版本", "评分规则"]
RANDOM_LAYOUTS = ("cz2020-annex", "sichuan", "seed004")
PER_LAYOUT = 3


def D(x) -> Decimal | None:
    return None if x is None else Decimal(str(x))


def rule_total(data: dict) -> Decimal | None:
    """The rule total of a generated unit, from its data (not from any workbook)."""
    b = data["budget"]
    ev = Evaluation(project=Project(name=data["project"]["name"]),
                    budget=Budget(initial=D(b.get("initial")), adjusted=D(b.get("adjusted")),
                                  executed=D(b.get("executed")), weight=D(b.get("weight")), score=D(b.get("score"))))
    for i in data["indicators"]:
        ev.indicators.append(Indicator(level1=i["level1"], level2=i["level2"], name=i["name"], target=i["target"],
                                       actual=i["actual"], weight=D(i["weight"]), score=D(i["score"])))
    return score_evaluation(ev).rule_total_score


def weighted(pairs: list[tuple[Decimal | None, Decimal | None]]) -> Decimal | None:
    """Σ(得分 × 全年预算数) / Σ全年预算数 over projects with both — written out here, independently."""
    num = sum((s * f for s, f in pairs if s is not None and f is not None), Decimal(0))
    den = sum((f for s, f in pairs if s is not None and f is not None), Decimal(0))
    return excel_round(num / den, 2) if den else None


def tree_hash(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Good units in every layout (in sub-folders), one duplicate, and files that must be skipped."""
    root = tmp_path_factory.mktemp("units")
    rng = random.Random(2021)
    units = []          # (display path, data)
    k = 0
    for layout in RANDOM_LAYOUTS:
        for _ in range(PER_LAYOUT):
            k += 1
            data = random_unit(rng, k)
            data["project"]["name"] = f"{data['project']['name']}{k}"        # unique projects
            rel = f"{layout}/单位{k:02d}.xlsx"
            (root / layout).mkdir(exist_ok=True)
            write_sample(layout, root / rel, data)
            units.append((rel, data))
    assert "seed001-scorecard" in SAMPLE_LAYOUTS
    write_sample("seed001-scorecard", root / "scorecard.xlsx")
    units.append(("scorecard.xlsx", default_data("seed001-scorecard")))
    # the same project sent twice
    shutil.copy(root / units[0][0], root / "重复报送.xlsx")
    units.append(("重复报送.xlsx", units[0][1]))
    # skipped silently: Excel lock file, hidden/system files, other extensions
    (root / "~$单位01.xlsx").write_bytes(b"\x00lock")
    (root / ".DS_Store").write_bytes(b"\x00\x01")
    (root / "Thumbs.db").write_bytes(b"\x00")
    (root / "__MACOSX").mkdir()
    (root / "__MACOSX" / "._单位01.xlsx").write_bytes(b"\x00\x05\x16\x07")
    (root / ".hidden").mkdir()
    shutil.copy(root / units[1][0], root / ".hidden" / "copy.xlsx")
    (root / "说明.txt").write_text("各单位自评表", encoding="utf-8")
    return root, units


@pytest.fixture(scope="module")
def run(corpus, tmp_path_factory):
    root, units = corpus
    before = tree_hash(root)
    out = tmp_path_factory.mktemp("out") / "summary.xlsx"
    seen = []
    result = consolidate(root, out, jobs=2, progress=lambda d, t, f: seen.append((d, t, f)))
    return root, units, out, result, before, seen


def test_counts_and_progress(run):
    root, units, out, result, before, seen = run
    assert result.files == len(units)              # lock/hidden/system/.txt files not counted
    assert result.ok == len(units)
    assert result.failed == []
    assert [d for d, _, _ in seen] == list(range(1, len(units) + 1))
    assert {t for _, t, _ in seen} == {len(units)}
    assert sorted(f for _, _, f in seen) == sorted(rel for rel, _ in units)


def test_weighted_scores_computed_independently(run):
    _, units, _, result, _, _ = run
    stated = [(D(d.get("total_score")), D(d["budget"].get("adjusted"))) for _, d in units]
    assert result.weighted_score == weighted(stated)
    rules = [(rule_total(d), D(d["budget"].get("adjusted"))) for _, d in units if d["budget"].get("adjusted")]
    assert result.rule_weighted_score == weighted(rules)


def test_summary_sheet_contents(run):
    _, units, out, result, _, _ = run
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["汇总表", "问题清单", "无法读取"]
    ws = wb["汇总表"]
    assert [c.value for c in ws[2]] == HEADERS
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    data = {r[1]: r for r in rows if isinstance(r[0], int)}
    assert set(data) == {rel for rel, _ in units}
    col = {h: i for i, h in enumerate(HEADERS)}
    by_file = dict(units)
    for rel, row in data.items():
        d = by_file[rel]
        assert D(row[col["全年预算数"]]) == D(d["budget"].get("adjusted")), rel
        assert D(row[col["全年执行数"]]) == D(d["budget"].get("executed")), rel
        assert D(row[col["自评得分"]]) == D(d.get("total_score")), rel
        if d["budget"].get("adjusted"):
            expect_rate = excel_round(D(d["budget"]["executed"]) / D(d["budget"]["adjusted"]), 4)
            assert D(row[col["执行率"]]) == expect_rate, rel
            assert D(row[col["规则得分"]]) == rule_total(d), rel
    # ranks: Excel RANK (descending, ties share) of 自评得分, worked out here
    scores = {rel: D(d.get("total_score")) for rel, d in units}
    for rel, row in data.items():
        assert row[col["排名"]] == 1 + sum(1 for s in scores.values() if s > scores[rel]), rel
    # the 合计 and 资金加权得分 rows
    labels = {r[0]: r for r in rows if isinstance(r[0], str)}
    total = labels["合计"]
    budgets = [D(d["budget"].get("adjusted")) for _, d in units if d["budget"].get("adjusted")]
    assert D(total[col["全年预算数"]]) == sum(budgets)
    w = next(r for k, r in labels.items() if k.startswith("资金加权得分（统计值）"))   # a statistic (issue #16)
    assert D(w[col["自评得分"]]) == result.weighted_score
    assert D(w[col["规则得分"]]) == result.rule_weighted_score
    # number formats
    first = ws.cell(row=3, column=col["全年预算数"] + 1)
    assert first.number_format == "#,##0.00"
    assert ws.cell(row=3, column=col["执行率"] + 1).number_format == "0.00%"


def test_duplicate_project_flagged(run):
    _, units, out, result, _, _ = run
    assert result.duplicates == 1
    ws = openpyxl.load_workbook(out)["问题清单"]
    assert [c.value for c in ws[1]] == ["文件", "项目名称", "单元格", "规则", "级别", "说明"]
    dups = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[3].value == "duplicate-project"]
    assert len(dups) == 1
    first, second = sorted(["重复报送.xlsx", units[0][0]])
    assert dups[0][0] == second and first in dups[0][5]
    assert dups[0][4] == "警告"


def test_findings_listed_per_file(run):
    _, units, out, result, _, _ = run
    ws = openpyxl.load_workbook(out)
    listed = [r for r in ws["问题清单"].iter_rows(min_row=2, values_only=True) if r[3] != "duplicate-project"]
    col = {h: i for i, h in enumerate(HEADERS)}
    per_row = [r for r in ws["汇总表"].iter_rows(min_row=3, values_only=True) if isinstance(r[0], int)]
    assert len([r for r in listed if r[4] == "错误"]) == sum(r[col["错误数"]] for r in per_row)
    assert sum(r[col["错误数"]] for r in per_row) == result.errors


def test_input_folder_unchanged(run):
    root, _, out, _, before, _ = run
    assert tree_hash(root) == before
    assert out.parent != root


def test_output_inside_input_folder_is_not_read_back(corpus, tmp_path):
    root, units = corpus
    src = tmp_path / "units"
    shutil.copytree(root, src)
    out = src / "汇总表.xlsx"
    first = consolidate(src, out, jobs=0)
    again = consolidate(src, out, jobs=0)
    assert again.files == first.files == len(units)
    shutil.copy(out, src / "去年的汇总表.xlsx")          # an earlier summary left among the units
    third = consolidate(src, tmp_path / "s.xlsx", jobs=2)
    assert (third.files, third.ok, third.failed) == (len(units), len(units), [])


def test_zip_input_with_unsafe_members(corpus, tmp_path):
    root, units = corpus
    z = tmp_path / "各单位.zip"

    class GbkName(zipfile.ZipInfo):           # what zip tools on Chinese Windows write: GBK, no UTF-8 flag
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, _ in units:
            zf.write(root / rel, f"报送/{rel}")
        zf.writestr("__MACOSX/报送/._x.xlsx", b"\x00")
        zf.writestr("../../escape.xlsx", (root / units[0][0]).read_bytes())
        info = GbkName("县教育局.xlsx")
        zf.writestr(info, (root / units[1][0]).read_bytes())
    before = hashlib.sha256(z.read_bytes()).hexdigest()
    result = consolidate(z, tmp_path / "summary.xlsx", jobs=2)
    assert hashlib.sha256(z.read_bytes()).hexdigest() == before
    assert result.files == len(units) + 2
    assert result.ok == len(units) + 1
    names = [p["file"] for p in result.projects]
    assert "各单位.zip/县教育局.xlsx" in names
    assert [f["file"] for f in result.failed] == ["各单位.zip/../../escape.xlsx"]
    assert "路径不安全" in result.failed[0]["reason"]
    assert not (tmp_path.parent / "escape.xlsx").exists()


def write_with_texts(path: Path, texts: dict[str, str]) -> None:
    """A unit workbook whose project name / unit / department cells hold ``texts`` as text cells
    (what a unit's sheet can hold: Excel stores '=1+1 typed with a quote prefix as a string)."""
    data = random_unit(random.Random(5), 1)
    data["project"].update({k: f"PLACEHOLDER-{k}" for k in texts})
    write_sample("cz2020-annex", path, data)
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("PLACEHOLDER-"):
                    c.value = texts[c.value.removeprefix("PLACEHOLDER-")]
                    c.data_type = "s"
    wb.save(path)


def test_formula_injection_written_as_text(tmp_path):
    hostile = {"name": '=HYPERLINK("http://example.invalid","点我")', "unit": "+1+1", "department": "-2+3"}
    src = tmp_path / "in"
    src.mkdir()
    write_with_texts(src / "@SUM(1,1).xlsx", hostile)
    out = tmp_path / "summary.xlsx"
    result = consolidate(src, out, jobs=0)
    assert result.ok == 1
    ws = openpyxl.load_workbook(out)["汇总表"]
    row = {h: c for h, c in zip(HEADERS, ws[3], strict=True)}
    for header, key in (("项目名称", "name"), ("实施单位", "unit"), ("主管部门", "department")):
        assert row[header].value == hostile[key]
        assert row[header].data_type == "s"
    assert row["文件"].value == "@SUM(1,1).xlsx" and row["文件"].data_type == "s"
    assert not any(c.data_type == "f" for r in ws.iter_rows() for c in r)


@pytest.mark.libreoffice
def test_formula_injection_not_evaluated_by_libreoffice(tmp_path):
    """An independent spreadsheet engine opens the summary: the hostile texts stay text."""
    from workbook_templates.libreoffice import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    src = tmp_path / "in"
    src.mkdir()
    write_with_texts(src / "unit.xlsx", {"name": "=1+1", "unit": "+2+2", "department": "@SUM(3,3)"})
    out = tmp_path / "summary.xlsx"
    consolidate(src, out, jobs=0)
    csv_path = convert(out, "csv", tmp_path / "csv", timeout=120)
    text = Path(csv_path).read_text(encoding="utf-8", errors="replace")
    line = [ln for ln in text.splitlines() if ln.startswith("1,")][0]
    assert "=1+1" in line and "+2+2" in line and "@SUM(3,3)" in line
    # the three text cells by their columns (the row's other cells hold counts such as 4 warnings)
    row = dict(zip(HEADERS, next(csv.reader([line])), strict=False))
    assert (row["项目名称"], row["实施单位"], row["主管部门"]) == ("=1+1", "+2+2", "@SUM(3,3)")


def test_parent_memory_does_not_grow_with_files(corpus, tmp_path):
    """tracemalloc peak of the parent for 4× the files stays within a small per-file allowance."""
    root, units = corpus
    files = [root / rel for rel, _ in units]

    def folder(n: int) -> Path:
        d = tmp_path / f"n{n}"
        d.mkdir()
        for i in range(n):
            shutil.copy(files[i % len(files)], d / f"u{i:04d}.xlsx")
        return d

    peaks = {}
    for n in (20, 80):
        src = folder(n)
        tracemalloc.start()
        consolidate(src, tmp_path / f"s{n}.xlsx", jobs=2, keep_projects=False)
        peaks[n] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peaks[80] < 64 * 2**20
    assert peaks[80] - peaks[20] < 60 * 8 * 1024, peaks      # < 8 KiB per extra file


def test_cli_json_and_exit_codes(corpus, tmp_path, capsys):
    root, units = corpus
    out = tmp_path / "s.xlsx"
    code = cli_main(["consolidate", str(root), "-o", str(out), "--json", "--jobs", "2"])
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"files", "ok", "failed", "weighted_score", "rule_weighted_score", "projects",
                         "mismatches"}
    assert data["files"] == len(units) and data["ok"] == len(units)
    assert len(data["projects"]) == len(units)
    stated = [(D(d.get("total_score")), D(d["budget"].get("adjusted"))) for _, d in units]
    assert Decimal(str(data["weighted_score"])) == weighted(stated)
    has_errors = any(p["errors"] for p in data["projects"])
    assert code == 0
    strict = cli_main(["consolidate", str(root), "-o", str(out), "--strict", "--quiet"])
    assert strict == (1 if has_errors else 0)
    capsys.readouterr()
    assert cli_main(["consolidate", str(tmp_path / "missing"), "-o", str(out)]) == 2
    assert "错误" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli_main(["consolidate", str(empty), "-o", str(out)]) == 2
    capsys.readouterr()
    for bad in (["--jobs", "-3"], ["--timeout", "0"], ["--timeout", "-1"]):   # not "every file timed out"
        target = tmp_path / f"bad{bad[1]}.xlsx"
        assert cli_main(["consolidate", str(root), "-o", str(target), "-q", *bad]) == 2, bad
        assert capsys.readouterr().err.startswith(f"错误：{bad[0]}")
        assert not target.exists()


def test_demo_units(tmp_path):
    """The demo set: 12 units, a duplicate, three unreadable files, a lock file skipped."""
    from addin.consolidate_demo import run_demo

    r = run_demo(tmp_path, n=12, jobs=2)
    assert (r.files, r.ok, len(r.failed), r.duplicates) == (16, 13, 3, 1)
    assert {f["file"] for f in r.failed} == {"下载中断.xlsx", "扫描件.xlsx", "设了密码.xlsx"}
    wb = openpyxl.load_workbook(tmp_path / "汇总表.xlsx")
    assert wb.sheetnames == ["汇总表", "问题清单", "无法读取", "统计"]
    with zipfile.ZipFile(tmp_path / "汇总表.xlsx") as zf:
        assert len([n for n in zf.namelist() if n.startswith("xl/charts/chart")]) == 2


def test_output_never_overwrites_a_units_file(corpus, tmp_path, capsys):
    root, units = corpus
    src = tmp_path / "units"
    shutil.copytree(root, src)
    victim = src / units[0][0]
    before = victim.read_bytes()
    assert cli_main(["consolidate", str(src), "-o", str(victim), "-q"]) == 2
    assert "不予覆盖" in capsys.readouterr().err
    assert victim.read_bytes() == before
    assert cli_main(["consolidate", str(src), "-o", str(tmp_path / "no-such-dir" / "s.xlsx")]) == 2
    assert cli_main(["consolidate", str(src), "-o", str(tmp_path / "summary.csv")]) == 2
    err = capsys.readouterr().err
    assert "输出目录不存在" in err and ".xlsx" in err and "Traceback" not in err


def test_strict_exit_code_with_an_unreadable_file(corpus, tmp_path, capsys):
    root, units = corpus
    src = tmp_path / "units"
    src.mkdir()
    shutil.copy(root / "scorecard.xlsx", src / "a.xlsx")
    (src / "b.xlsx").write_text("不是工作簿", encoding="utf-8")
    out = tmp_path / "s.xlsx"
    assert cli_main(["consolidate", str(src), "-o", str(out), "-q", "--jobs", "0"]) == 0
    assert cli_main(["consolidate", str(src), "-o", str(out), "-q", "--strict", "--jobs", "0"]) == 1
    capsys.readouterr()
    assert cli_main(["consolidate", str(src), "-o", str(out), "--json", "--jobs", "0"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == 2 and data["ok"] == 1
    assert data["failed"][0]["file"] == "b.xlsx" and "不是" in data["failed"][0]["reason"]
