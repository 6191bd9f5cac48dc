"""汇总各单位 with hostile and broken files among good ones (issue #7): each is reported in 无法读取
with a clear Chinese reason (or read, where it holds a 自评表), and the run goes on."""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.consolidate import TIMEOUT_REASON, consolidate, run_tasks
from addin.consolidate_sources import SourceFile
from addin.consolidate_worker import summarize_file
from workbook_templates.samples import random_unit, write_sample

BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                  + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>'
                    b'</worksheet>')


def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes] | None = None,
                add: dict[str, bytes] | None = None) -> None:
    """Copy a workbook's zip, replacing or adding parts."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, zin.read(info))
            zout.writestr(info.filename, data)
        for name, data in add.items():
            zout.writestr(name, data)


def write_bomb(src: Path, dst: Path, mib: int = 300) -> None:
    """A real workbook plus a sheet part that inflates to ``mib`` MiB (a few hundred KB on disk)."""
    shutil.copy(src, dst)
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as f:
            chunk = b" " * (1 << 20)
            for _ in range(mib):
                f.write(chunk)


def write_million_rows(data: dict, dst: Path, rows: int = 1_000_000) -> None:
    """A unit's 自评表 plus an extra sheet with a million rows (written as XML, streamed)."""
    wb = openpyxl.Workbook()
    tmp = dst.with_suffix(".tmp.xlsx")
    write_sample("cz2020-annex", tmp, data)
    wb = openpyxl.load_workbook(tmp)
    wb.create_sheet("明细")
    wb.save(tmp)
    n = len(wb.sheetnames)
    part = f"xl/worksheets/sheet{n}.xml"
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            if info.filename != part:
                zout.writestr(info.filename, zin.read(info))
        with zout.open(part, "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><sheetData>')
            buf = io.BytesIO()
            for r in range(1, rows + 1):
                buf.write(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
                if r % 50000 == 0:
                    f.write(buf.getvalue())
                    buf = io.BytesIO()
            f.write(buf.getvalue())
            f.write(b"</sheetData></worksheet>")
    tmp.unlink()


def encrypt(src: Path, dst: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(src, "rb") as fin, open(dst, "wb") as fout:
        OOXMLFile(fin).encrypt("密码123", fout)


EXPECTED_REASONS = {          # file → any of these words in the Chinese reason
    "截断.xlsx": ("损坏", "不完整"),
    "改名的PDF.xlsx": ("PDF", "不是"),
    "文本.xls": ("不是",),
    "无工作簿.xlsx": ("没有工作簿", "xl/workbook.xml"),
    "加密.xlsx": ("密码", "加密"),
    "压缩炸弹.xlsx": ("压缩炸弹", "过大", "压缩比"),
    "实体炸弹.xlsx": ("DOCTYPE", "ENTITY", "实体"),
    "没有自评表.xlsx": ("未找到", "自评表"),
    "空文件.xlsx": ("空",),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    rng = random.Random(99)
    goods = []
    for i, layout in enumerate(("cz2020-annex", "sichuan", "seed004")):
        data = random_unit(rng, i)
        data["project"]["name"] += str(i)
        write_sample(layout, root / f"正常{i}.xlsx", data)
        goods.append(f"正常{i}.xlsx")
    good = root / "正常0.xlsx"
    raw = good.read_bytes()
    (root / "截断.xlsx").write_bytes(raw[: len(raw) // 2])
    (root / "改名的PDF.xlsx").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    (root / "文本.xls").write_text("项目名称,得分\n示例,90\n", encoding="utf-8")
    with zipfile.ZipFile(root / "无工作簿.xlsx", "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    encrypt(good, root / "加密.xlsx")
    write_bomb(good, root / "压缩炸弹.xlsx")
    with zipfile.ZipFile(good) as zf:
        first_sheet = sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))[0]
    rewrite_zip(good, root / "实体炸弹.xlsx", replace={first_sheet: BILLION_LAUGHS})
    other = openpyxl.Workbook()
    other.active.append(["姓名", "年龄"])
    other.active.append(["张三", 30])
    other.save(root / "没有自评表.xlsx")
    (root / "空文件.xlsx").write_bytes(b"")
    # read, not refused: a huge extra sheet beside the 自评表, and a macro-enabled workbook
    big = random_unit(rng, 7)
    big["project"]["name"] += "大表"
    write_million_rows(big, root / "百万行.xlsx")
    macro = random_unit(rng, 8)
    macro["project"]["name"] += "宏"
    write_sample("sichuan", root / "tmp_macro.xlsx", macro)
    marker = root / "宏被执行了.txt"
    vba = b"Sub Workbook_Open()\r\n  Open \"" + str(marker).encode() + b"\" For Output As #1\r\nEnd Sub\r\n"
    with zipfile.ZipFile(root / "tmp_macro.xlsx") as zf:
        ct = zf.read("[Content_Types].xml").replace(
            b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    rewrite_zip(root / "tmp_macro.xlsx", root / "带宏.xlsm", replace={"[Content_Types].xml": ct},
                add={"xl/vbaProject.bin": vba})
    (root / "tmp_macro.xlsx").unlink()
    # the same project reported twice
    shutil.copy(root / "正常1.xlsx", root / "正常1 - 副本.xlsx")
    # a pipe with an Excel name: opening it would block forever
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "管道.xlsx")
    # skipped silently
    (root / "~$正常0.xlsx").write_bytes(b"\x00" * 165)
    (root / ".~lock.正常0.xlsx#").write_text("lock")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.iterdir() if p.is_file()}
    out = tmp_path_factory.mktemp("out") / "summary.xlsx"
    result = consolidate(root, out, jobs=2)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.iterdir() if p.is_file()}
    return root, result, out, goods, before, after, marker


def test_every_hostile_file_reported_with_reason(hostile):
    root, result, out, goods, *_ = hostile
    reasons = {f["file"]: f["reason"] for f in result.failed}
    for name, words in EXPECTED_REASONS.items():
        assert name in reasons, (name, reasons)
        assert any(w in reasons[name] for w in words), (name, reasons[name])
        assert "Traceback" not in reasons[name]
    if hasattr(os, "mkfifo"):
        assert "普通文件" in reasons["管道.xlsx"]
    assert set(reasons) == set(EXPECTED_REASONS) | ({"管道.xlsx"} if hasattr(os, "mkfifo") else set())


def test_good_files_still_read(hostile):
    root, result, out, goods, *_ = hostile
    read = {p["file"] for p in result.projects}
    assert set(goods) | {"正常1 - 副本.xlsx", "带宏.xlsm", "百万行.xlsx"} == read
    assert result.files == len(read) + len(result.failed)      # lock files not counted


def test_million_row_sheet_read_with_cap(hostile):
    root, result, *_ = hostile
    big = next(p for p in result.projects if p["file"] == "百万行.xlsx")
    assert big["name"].endswith("大表")
    assert big["score"] is not None


def test_macros_never_executed(hostile):
    root, result, out, goods, before, after, marker = hostile
    assert not marker.exists()
    with zipfile.ZipFile(out) as zf:
        assert not any("vba" in n.lower() for n in zf.namelist())


def test_sheets_list_failures_and_duplicates(hostile):
    root, result, out, *_ = hostile
    wb = openpyxl.load_workbook(out)
    failed = [r for r in wb["无法读取"].iter_rows(min_row=2, values_only=True)]
    assert [r[0] for r in failed] == sorted(f["file"] for f in result.failed)
    assert all(r[1] for r in failed)
    dups = [r for r in wb["问题清单"].iter_rows(min_row=2, values_only=True) if r[3] == "duplicate-project"]
    assert [(r[0], r[4]) for r in dups] == [("正常1.xlsx", "警告")] or \
        [(r[0], r[4]) for r in dups] == [("正常1 - 副本.xlsx", "警告")]


def test_inputs_unchanged(hostile):
    *_, before, after, marker = hostile
    assert before == after


def test_zip_of_hostile_files(hostile, tmp_path):
    root, result, *_ = hostile
    z = tmp_path / "报送.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in sorted(root.iterdir()):
            if p.is_file() and not p.name.startswith("压缩炸弹"):
                zf.write(p, f"各单位/{p.name}")
        zf.writestr("各单位/压缩炸弹.xlsx", (root / "压缩炸弹.xlsx").read_bytes())
        bomb = zipfile.ZipInfo("各单位/外层炸弹.xlsx")      # the member itself inflates to 300 MiB
        bomb.compress_type = zipfile.ZIP_DEFLATED
        bomb._compresslevel = 1
        with zf.open(bomb, "w", force_zip64=True) as f:
            for _ in range(300):
                f.write(b" " * (1 << 20))
    before = hashlib.sha256(z.read_bytes()).hexdigest()
    r = consolidate(z, tmp_path / "s.xlsx", jobs=2)
    assert hashlib.sha256(z.read_bytes()).hexdigest() == before
    reasons = {f["file"].split("/")[-1]: f["reason"] for f in r.failed}
    assert set(EXPECTED_REASONS) <= set(reasons)
    assert "压缩炸弹" in reasons["外层炸弹.xlsx"]
    assert r.ok == result.ok


def test_truncated_zip_input_is_unusable(tmp_path):
    from workbook_templates.errors import ReadError

    z = tmp_path / "坏包.zip"
    src = tmp_path / "one.xlsx"
    write_sample("cz2020-annex", src, random_unit(random.Random(1), 0))
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(src, "one.xlsx")
    z.write_bytes(z.read_bytes()[:-40])
    with pytest.raises(ReadError, match="压缩包"):
        consolidate(z, tmp_path / "s.xlsx", jobs=0)
    empty = tmp_path / "空包.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("说明.txt", "无")
    with pytest.raises(ReadError, match="没有找到 Excel"):
        consolidate(empty, tmp_path / "s.xlsx", jobs=0)


# -- the pool's own guards: a file that hangs or kills its worker ------------------------------

def hang_or_crash(path: str, display: str, profile=None) -> dict:
    """Worker for the guard test: reads normally, except files named to hang or to kill the worker."""
    if "hang" in display:
        time.sleep(3600)
    if "crash" in display:
        os._exit(70)
    return summarize_file(path, display, profile)


def test_hanging_and_crashing_files_do_not_stop_the_run(hostile):
    root, *_ = hostile
    good = str(root / "正常0.xlsx")
    names = ["a.xlsx", "hang.xlsx", "b.xlsx", "crash.xlsx", "c.xlsx", "d.xlsx"]
    tasks = [SourceFile(i, good, n) for i, n in enumerate(names)]
    for batch in (1, 3):       # one file per task, and batches re-run file by file
        out = dict(run_tasks(tasks, 2, None, 3.0, worker=hang_or_crash, batch=batch))
        assert sorted(out) == list(range(len(names)))
        assert out[1] == {"ok": False, "file": "hang.xlsx", "reason": TIMEOUT_REASON.format(s=3.0)}
        assert not out[3]["ok"] and "异常退出" in out[3]["reason"]
        assert all(out[i]["ok"] and out[i]["file"] == names[i] for i in (0, 2, 4, 5))



def test_time_budget_runs_from_the_worker_start(hostile):
    """A file's time budget counts from when its worker begins it: workers that take 4 s to start
    (tests/slow_start_worker.py) read three good files under a 2-second budget — none is reported
    as 读取超时 (the budget used to run from submission, so a pool restarting on a loaded machine
    timed out files that had not started)."""
    from tests.slow_start_worker import slow_start

    root, *_ = hostile
    good = str(root / "正常0.xlsx")
    names = ["a.xlsx", "b.xlsx", "c.xlsx"]
    out = dict(run_tasks([SourceFile(i, good, n) for i, n in enumerate(names)], 2, None, 2.0,
                         worker=slow_start, batch=1))
    assert [(out[i]["ok"], out[i]["file"]) for i in range(3)] == [(True, n) for n in names]


@pytest.mark.libreoffice
def test_xls_biff8_is_read(tmp_path):
    """An .xls (BIFF8) made by LibreOffice from a unit's .xlsx is read through calamine."""
    from workbook_templates.libreoffice import convert, find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice not installed")
    data = random_unit(random.Random(12), 3)
    src = tmp_path / "src"
    src.mkdir()
    write_sample("cz2020-annex", src / "单位.xlsx", data)
    units = tmp_path / "units"
    units.mkdir()
    xls = convert(src / "单位.xlsx", "xls:MS Excel 97", units, timeout=120)
    assert Path(xls).read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    r = consolidate(units, tmp_path / "s.xlsx", jobs=0)
    assert r.failed == [] and r.ok == 1
    p = r.projects[0]
    assert p["file"] == "单位.xls"
    assert p["name"] == data["project"]["name"]
    assert p["budget"] == pytest.approx(data["budget"]["adjusted"])
    assert p["score"] == pytest.approx(data["total_score"])


def test_a_pool_that_never_starts_does_not_hang_the_run(hostile, monkeypatch):
    """Workers stuck at start-up (tests/never_start_worker.py sleeps an hour on import): the budget
    runs from a worker's start, so without a fallback nothing would ever time out. With no batch
    started within the budget plus START_GRACE (1 s here) each file is reported — 读取进程未能启动 —
    and the run ends."""
    import addin.consolidate as c
    from tests.never_start_worker import never_starts

    monkeypatch.setattr(c, "START_GRACE", 1.0)
    root, *_ = hostile
    good = str(root / "正常0.xlsx")
    out = dict(run_tasks([SourceFile(i, good, n) for i, n in enumerate(["a.xlsx", "b.xlsx"])], 1, None, 1.0,
                         worker=never_starts, batch=1))
    assert [out[i]["ok"] for i in range(2)] == [False, False]
    assert all("未能启动" in out[i]["reason"] for i in range(2))
