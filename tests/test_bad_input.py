"""Bad input gets a clear answer and nothing is lost: every hostile or broken file through the CLI
(`validate` and `score`, with and without -o) → a Chinese message naming the file (and cell),
exit code 2, no traceback, the input byte-for-byte unchanged, no output or temp file left."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from addin.cli import main
from workbook_templates.libreoffice import convert, find_soffice
from workbook_templates.samples import write_sample

ROOT = Path(__file__).resolve().parents[1]
JIXIAO = Path(sys.executable).parent / "jixiao"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    return write_sample("seed004", tmp_path_factory.mktemp("good") / "seed004.xlsx")


def weight_cell(ws, name: str = "补助人数（人）"):
    """The 权重 cell on the row of indicator ``name`` (located by the header text)."""
    head = next(c for row in ws.iter_rows() for c in row if c.value == "权重")
    row = next(c.row for r in ws.iter_rows() for c in r if c.value == name)
    return ws.cell(row=row, column=head.column)


def make_text_in_number(good: Path, path: Path) -> str:
    wb = load_workbook(good)
    ws = wb["项目支出绩效自评表"]
    cell = weight_cell(ws)
    cell.value = "二十分"
    wb.save(path)
    return cell.coordinate


def make_merged_across_table(good: Path, path: Path) -> str:
    wb = load_workbook(good)
    ws = wb["项目支出绩效自评表"]
    cell = weight_cell(ws)
    ws.merge_cells(start_row=cell.row, start_column=cell.column, end_row=cell.row + 3, end_column=cell.column + 4)
    wb.save(path)
    return cell.coordinate


def make_encrypted(good: Path, path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(good, "rb") as src, open(path, "wb") as out:
        OOXMLFile(src).encrypt("密码123", out)


def build_cases(good: Path, d: Path) -> dict[str, tuple[Path, str | None]]:
    """name → (file, cell the message must name or None)."""
    d.mkdir(exist_ok=True)
    data = good.read_bytes()
    cases: dict[str, tuple[Path, str | None]] = {}

    def put(name: str, content: bytes, cell: str | None = None) -> None:
        p = d / name
        p.write_bytes(content)
        cases[name] = (p, cell)

    put("truncated.xlsx", data[: len(data) // 2])
    put("corrupt.xlsx", bytes(range(256)) * 12)
    put("empty.xlsx", b"")
    put("renamed-pdf.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    put("not-really.xls", "这不是 Excel 文件\n".encode() * 20)
    z = d / "no-workbook.xlsx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "hello")
    cases[z.name] = (z, None)
    p = d / "locked.xlsx"
    make_encrypted(good, p)
    cases[p.name] = (p, None)
    wb = Workbook()
    wb.active.title = "采购清单"
    wb.active.append(["品名", "数量", "单价"])
    wb.active.append(["打印纸", 20, 25.5])
    p = d / "no-self-evaluation.xlsx"
    wb.save(p)
    cases[p.name] = (p, None)
    p = d / "text-in-number.xlsx"
    cases[p.name] = (p, make_text_in_number(good, p))
    p = d / "merged-across-table.xlsx"
    cases[p.name] = (p, make_merged_across_table(good, p))
    return cases


@pytest.fixture(scope="module")
def cases(good, tmp_path_factory) -> dict[str, tuple[Path, str | None]]:
    return build_cases(good, tmp_path_factory.mktemp("bad"))


CASE_NAMES = ["truncated.xlsx", "corrupt.xlsx", "empty.xlsx", "renamed-pdf.xlsx", "not-really.xls",
              "no-workbook.xlsx", "locked.xlsx", "no-self-evaluation.xlsx", "text-in-number.xlsx",
              "merged-across-table.xlsx"]


def check_refused(capsys, argv: list[str], path: Path, cell: str | None) -> str:
    before = sha(path)
    listing = sorted(os.listdir(path.parent))
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, captured
    err = captured.err
    assert err.startswith("错误："), err
    assert path.name in err
    assert "Traceback" not in err + captured.out
    if cell:
        assert cell in err, err
    assert sha(path) == before
    assert sorted(os.listdir(path.parent)) == listing      # no output, no temp file left behind
    return err


@pytest.mark.parametrize("name", CASE_NAMES)
@pytest.mark.parametrize("command", ["validate", "score"])
def test_bad_file_is_refused_clearly(cases, capsys, name, command):
    path, cell = cases[name]
    check_refused(capsys, [command, str(path)], path, cell)
    check_refused(capsys, [command, str(path), "-o", str(path.parent / f"out-{name}.xlsx"), "--json"], path, cell)


def test_messages_say_what_is_wrong(cases, capsys):
    expect = {"renamed-pdf.xlsx": "PDF", "locked.xlsx": "密码", "no-self-evaluation.xlsx": "未找到",
              "text-in-number.xlsx": "二十分", "merged-across-table.xlsx": "合并", "empty.xlsx": "空"}
    for name, word in expect.items():
        path, cell = cases[name]
        assert word in check_refused(capsys, ["validate", str(path)], path, cell), name


def test_missing_file_and_folder(tmp_path, capsys):
    missing = tmp_path / "不存在.xlsx"
    assert main(["validate", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "不存在.xlsx" in err and "不存在" in err
    assert not missing.exists()
    assert main(["score", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith("错误：")


def test_in_place_keeps_a_backup_and_plain_runs_never_touch_the_input(good, tmp_path, capsys):
    src = tmp_path / "unit.xlsx"
    src.write_bytes(good.read_bytes())
    before = sha(src)
    assert main(["validate", str(src)]) == 1
    assert main(["score", str(src), "--json"]) == 1
    assert sha(src) == before
    main(["score", str(src), "--in-place"])
    capsys.readouterr()
    assert (tmp_path / "unit.xlsx.bak").read_bytes() == good.read_bytes()
    assert sha(src) != before and "计分结果" in load_workbook(src).sheetnames


@pytest.mark.libreoffice
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) 未安装")
def test_real_xls_is_read_and_copy_refused_clearly(good, tmp_path, capsys):
    """.xls (BIFF8, made by LibreOffice) is read through calamine; the marked copy is an .xlsx of its
    values (an .xls can't be written), any other output name is refused clearly."""
    xls = convert(good, "xls", tmp_path)
    before = sha(xls)
    assert main(["validate", str(xls)]) == 1
    assert "unit-mismatch" in capsys.readouterr().out
    check_refused(capsys, ["validate", str(xls), "-o", str(tmp_path / "marked.xls")], xls, None)
    out = tmp_path / "marked.xlsx"
    assert main(["validate", str(xls), "-o", str(out)]) == 1
    capsys.readouterr()
    wb = load_workbook(out)
    assert "校验结果" in wb.sheetnames
    assert any(c.comment is not None and "18.74万人" in c.comment.text
               for row in wb["项目支出绩效自评表"].iter_rows() for c in row)
    assert sha(xls) == before


def test_through_the_installed_command(cases):
    """Once through the real entry point in a subprocess: stderr in Chinese, exit 2, no traceback."""
    path, _ = cases["renamed-pdf.xlsx"]
    exe = [str(JIXIAO)] if JIXIAO.exists() else [sys.executable, "-m", "addin"]
    proc = subprocess.run([*exe, "validate", str(path)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("错误：") and path.name in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_figure_too_large_to_compute_is_named_by_cell(tmp_path):
    """1e28 in 全年执行数 (Excel shows it; Decimal's 28 digits cannot round it): read, validate and
    score all name the cell in Chinese, exit 2 — it used to be "数值过大，无法计算：1E+28" without a place."""
    import openpyxl

    path = write_sample("seed004", tmp_path / "big.xlsx")
    wb = openpyxl.load_workbook(path)
    hits = [(ws, c) for ws in wb for row in ws.iter_rows() for c in row if c.value == 1521.57]
    assert hits
    for _ws, c in hits:
        c.value = 1e28
    wb.save(path)
    before = path.read_bytes()
    for cmd in ("read", "validate", "score"):
        p = subprocess.run([sys.executable, "-m", "addin", cmd, str(path)], capture_output=True, text=True)
        assert p.returncode == 2, (cmd, p.stderr)
        assert f"{hits[0][0].title}!{hits[0][1].coordinate}" in p.stderr and "数值过大" in p.stderr
        assert "意外问题" not in p.stderr and "Traceback" not in p.stderr
    assert path.read_bytes() == before


def test_a_figure_too_large_in_our_template_is_named_by_cell(tmp_path):
    """The same on our own template (read by defined names): validate ended in 意外问题
    (decimal.InvalidOperation) on a 1e28 执行数."""
    from workbook_templates.fill import fill_template
    from workbook_templates.samples import default_data

    path = fill_template("project", default_data("project"), tmp_path / "自评表.xlsx")
    wb = load_workbook(path)
    ws = wb["项目支出绩效自评表"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float)) and c.value > 100)
    cell.value = 1e28
    wb.save(path)
    p = subprocess.run([sys.executable, "-m", "addin", "validate", str(path)], capture_output=True, text=True)
    assert p.returncode == 2 and "过大" in p.stderr and "意外问题" not in p.stderr, p.stderr
