"""One file cannot abort or poison a consolidation (issue #10 items 2, 3 and 7): a value in
XFD1048576 (python-calamine aborts the process allocating 531 GB), a batch whose worker raises, a
GBK file name, corrupt and encrypted members of a .zip, an unreadable sub-folder, SIGTERM/SIGHUP,
and no ``jixiao-consolidate-*`` folder left behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin.consolidate import consolidate, run_tasks
from addin.consolidate_sources import SourceFile
from addin.consolidate_worker import summarize_file
from tests.hostile.units import unit_copies

ROOT = Path(__file__).resolve().parents[1]


def xfd_workbook(src: Path, dst: Path, cell: str = "XFD1048576") -> Path:
    """A unit's workbook with one more value in the sheet's last cell (openpyxl, as a user's stray
    keystroke after Ctrl+End would leave it)."""
    wb = openpyxl.load_workbook(src)
    wb.worksheets[0][cell] = 1
    wb.save(dst)
    return dst


def jixiao(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "addin", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env=os.environ | {"PYTHONPATH": str(ROOT)} | (env or {}))


@pytest.fixture(scope="module")
def forty(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("forty")
    units = unit_copies(root, 40)
    xfd_workbook(units[0], root / "最后一格.xlsx")
    return root


def test_value_in_xfd1048576_among_forty_good_files(forty, tmp_path):
    """Before: the worker died, then ``min() arg is an empty sequence`` — no 汇总表 at all. The file
    itself is a valid workbook: read (by streaming), not refused."""
    r = consolidate(forty, tmp_path / "s.xlsx", jobs=2)
    assert r.failed == [] and r.ok == 41
    assert (tmp_path / "s.xlsx").exists()


def test_xfd_file_with_jobs_0_and_read_engine_calamine(forty, tmp_path):
    """Before: SIGABRT (exit -6) in the parent process, without a word."""
    p = jixiao("consolidate", str(forty), "-o", str(tmp_path / "s.xlsx"), "--jobs", "0", "-q")
    assert p.returncode == 0, p.stderr
    assert "成功读取 41 个" in p.stdout
    for engine in ("calamine", "auto", "openpyxl"):
        p = jixiao("read", str(forty / "最后一格.xlsx"), "--engine", engine, "--json")
        assert p.returncode == 0, (engine, p.stderr)


@pytest.mark.parametrize("threaded", [False, True])
def test_calamine_abort_in_its_child_is_a_read_error(forty, threaded):
    """Past the cell-span check (forced here), calamine's abort kills only its child process — a
    fork, or (when the parent runs threads, e.g. a progress bar) a one-worker process pool."""
    start = "import threading, time; threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
    code = ((start if threaded else "") + "from workbook_templates import loaders; loaders.CALAMINE_MAX_CELLS = 10**12\n"
            "from workbook_templates.errors import ReadError\n"
            f"try:\n    loaders.load_book({str(forty / '最后一格.xlsx')!r}, engine='calamine')\n"
            "except ReadError as e:\n    print('READERROR', e)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120,
                       env=os.environ | {"PYTHONPATH": str(ROOT), "JIXIAO_WORKER_MEMORY_MB": "1024"})
    assert p.returncode == 0, p.stderr[-500:]
    assert "READERROR" in p.stdout and "异常退出" in p.stdout


def test_sheet_cell_span():
    from workbook_templates.loaders import sheet_cell_span

    assert sheet_cell_span(b'<c r="B2"><v>1</v></c><c r="D5" t="s"><v>0</v></c>') == 4 * 3
    assert sheet_cell_span(b'<c r="A1"/><c r="XFD1048576"><v>1</v></c>') == 1048576 * 16384
    assert sheet_cell_span(b'<row r="1"><c><v>1</v></c></row>') is None       # position implied
    assert sheet_cell_span(b"<sheetData/>") == 0


def unpicklable_for_one(path: str, display: str, profile=None) -> dict:
    """Worker: a normal summary, except for one file whose result cannot be sent back."""
    out = summarize_file(path, display, profile)
    if display == "bad":
        out["oops"] = lambda: None
    return out


def test_a_batch_failure_blames_only_its_file(forty):
    """Before: the whole batch of 8 was listed as 无法读取 with the one file's error."""
    good = sorted(str(p) for p in forty.glob("单位*.xlsx"))[:16]
    tasks = [SourceFile(i, p, "bad" if i == 5 else f"u{i}") for i, p in enumerate(good)]
    out = dict(run_tasks(tasks, 2, None, 60.0, worker=unpicklable_for_one, batch=8))
    assert sorted(out) == list(range(16))
    assert [i for i, rec in out.items() if not rec["ok"]] == [5]
    assert "无法从处理进程传回" in out[5]["reason"]


def test_gbk_file_names(forty, tmp_path):
    """A folder copied from a Chinese Windows share keeps GBK bytes in its names (not UTF-8). Before:
    UnicodeEncodeError, the whole run aborted. Now read, and shown readably."""
    root = tmp_path / "gbk"
    root.mkdir()
    good = sorted(forty.glob("单位*.xlsx"))[0]
    shutil.copy(good, os.path.join(os.fsencode(root), "县文化馆.xlsx".encode("gbk")))
    os.mkdir(os.path.join(os.fsencode(root), "子目录".encode("gbk")))
    (Path(os.fsdecode(os.path.join(os.fsencode(root), "子目录".encode("gbk")))) / "坏.xlsx").write_bytes(b"x")
    shutil.copy(good, root / "正常.xlsx")
    out = tmp_path / "s.xlsx"
    r = consolidate(root, out, jobs=0)
    assert r.ok == 2
    assert {p["file"] for p in r.projects} == {"县文化馆.xlsx", "正常.xlsx"}
    assert [f["file"] for f in r.failed] == ["子目录/坏.xlsx"]
    wb = openpyxl.load_workbook(out)
    assert [row[0] for row in wb["无法读取"].iter_rows(min_row=2, values_only=True)] == ["子目录/坏.xlsx"]
    p = jixiao("consolidate", str(root), "-o", str(tmp_path / "s2.xlsx"), "-q")
    assert p.returncode == 0 and "子目录/坏.xlsx" in p.stdout, p.stderr


def damaged_zip(members: dict[str, bytes], dst: Path, corrupt: str, encrypted: str) -> Path:
    """A .zip of units' workbooks where one member's deflate data is damaged (zlib.error on
    inflating) and one is flagged as encrypted (zipfile: RuntimeError, password required)."""
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    raw = bytearray(dst.read_bytes())
    with zipfile.ZipFile(dst) as zf:
        infos = zf.infolist()
    for info in infos:
        if info.filename == corrupt:
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            for k in range(40, 400):
                raw[start + k] ^= 0x5A
        if info.filename == encrypted:
            raw[info.header_offset + 6] |= 1
    cd = raw.find(b"PK\x01\x02")
    while cd != -1:
        n = int.from_bytes(raw[cd + 28:cd + 30], "little")
        if bytes(raw[cd + 46:cd + 46 + n]).decode() == encrypted:
            raw[cd + 8] |= 1
        cd = raw.find(b"PK\x01\x02", cd + 4)
    dst.write_bytes(bytes(raw))
    return dst


def test_zip_with_corrupt_and_encrypted_members(forty, tmp_path, monkeypatch):
    """Before: 'Error -3 while decompressing data' ended the run (意外问题). Now each member is in
    无法读取 with its own reason, the others read, and the temporary folder is removed."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    goods = sorted(forty.glob("单位*.xlsx"))[:4]
    members = {f"各单位/{p.name}": p.read_bytes() for p in goods}
    z = damaged_zip(members, tmp_path / "报送.zip", corrupt="各单位/单位001.xlsx", encrypted="各单位/单位002.xlsx")
    r = consolidate(z, tmp_path / "s.xlsx", jobs=0)
    reasons = {f["file"]: f["reason"] for f in r.failed}
    assert r.ok == 2 and set(reasons) == {"报送.zip/各单位/单位001.xlsx", "报送.zip/各单位/单位002.xlsx"}
    assert "已损坏" in reasons["报送.zip/各单位/单位001.xlsx"]
    assert "加密" in reasons["报送.zip/各单位/单位002.xlsx"]
    assert not list(tmp_path.glob("jixiao-consolidate-*"))


def test_no_temp_folder_left_when_the_zip_holds_no_workbook(tmp_path, monkeypatch):
    """Before: the ReadError came from ``Sources.__enter__``, whose ``__exit__`` never ran."""
    from workbook_templates.errors import ReadError

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    z = tmp_path / "空包.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("说明.txt", "无")
    with pytest.raises(ReadError):
        consolidate(z, tmp_path / "s.xlsx", jobs=0)
    assert not list(tmp_path.glob("jixiao-consolidate-*"))


def deep_folder(root: Path, levels: int = 30) -> None:
    """Sub-folders nested past PATH_MAX (4096 bytes), made through directory fds as a file manager
    would; the deepest holds a workbook. The folder walk cannot open the deepest ones."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for i in range(levels):
            name = f"{i:02d}" + "子" * 60
            os.mkdir(name, dir_fd=fd)
            new = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = new
        wfd = os.open("深处.xlsx", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
        os.write(wfd, b"x")
        os.close(wfd)
    finally:
        os.close(fd)


def test_unreadable_sub_folder_is_listed(forty, tmp_path):
    """Before: skipped without a trace (its units in neither sheet)."""
    root = tmp_path / "units"
    root.mkdir()
    shutil.copy(sorted(forty.glob("单位*.xlsx"))[0], root / "正常.xlsx")
    deep_folder(root)
    locked = None
    if os.geteuid() != 0:
        locked = root / "无权限"
        locked.mkdir()
        (locked / "a.xlsx").write_bytes(b"x")
        locked.chmod(0)
    try:
        r = consolidate(root, tmp_path / "s.xlsx", jobs=0)
    finally:
        if locked:
            locked.chmod(0o755)
    assert r.ok == 1
    folders = [f for f in r.failed if f["file"].endswith("/")]
    assert folders and all("无法打开子文件夹" in f["reason"] for f in folders)
    assert any("路径过长" in f["reason"] for f in folders)
    if locked:
        assert any(f["file"] == "无权限/" and "权限" in f["reason"] for f in folders)
    shutil.rmtree(root)


def _descendants(pid: int) -> set[int]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                fields = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            kids.setdefault(int(fields[1]), []).append(int(d))
    out, todo = set(), [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.add(k)
            todo.append(k)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forkserver and /proc: Linux")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signal_stops_forkserver_workers_and_cleans_up(tmp_path, sig):
    """Before: the forkserver and its workers kept running after the consolidation was killed."""
    units = tmp_path / "u"
    goods = unit_copies(units, 3)
    z = tmp_path / "报送.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for i in range(600):
            zf.write(goods[i % 3], f"各单位/{i:04d}.xlsx")
    tmp = Path(tempfile.mkdtemp(prefix="jx-"))     # short: the forkserver's socket lives there (108 bytes)
    proc = subprocess.Popen([sys.executable, "-m", "addin", "consolidate", str(z), "-o", str(tmp_path / "s.xlsx"),
                             "--jobs", "2", "-q"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=os.environ | {"PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)})
    seen: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(seen) < 3 and proc.poll() is None:
        seen |= _descendants(proc.pid)            # the forkserver and two workers
        time.sleep(0.05)
    assert proc.poll() is None and len(seen) >= 3, "consolidation ended before the signal"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in seen):
        time.sleep(0.1)
    assert not [p for p in seen if _alive(p)]
    left = list(tmp.glob("jixiao-consolidate-*"))
    shutil.rmtree(tmp, ignore_errors=True)
    assert not left
    assert "Traceback" not in err.decode()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forkserver: Linux")
def test_long_tmpdir_does_not_stop_the_workers(forty, tmp_path):
    """The forkserver's socket lives in TMPDIR; a path over 108 bytes ('AF_UNIX path too long')
    ended in 意外问题. Workers are spawned instead."""
    tmp = tmp_path / ("临时" * 30)
    tmp.mkdir()
    p = jixiao("consolidate", str(forty), "-o", str(tmp_path / "s.xlsx"), "--jobs", "2", "-q",
               env={"TMPDIR": str(tmp)})
    assert p.returncode == 0, p.stderr
    assert "成功读取 41 个" in p.stdout
