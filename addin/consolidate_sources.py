"""Which files a consolidation reads: a folder (recursively) or a zip of units' workbooks.

Excel's lock files (``~$…``) and hidden/system files (dot-files, ``__MACOSX``, ``Thumbs.db``,
``desktop.ini``) are skipped silently. Zip members are extracted safely to a temporary folder:
no absolute paths or ``..`` (path traversal), bounded member count, per-member and total
inflated size, and compression ratio (zip bombs) — sizes are checked as declared *and* while
inflating, since declared sizes can lie. Chinese member names written by Windows tools (GBK
without the UTF-8 flag) are decoded as such.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from workbook_templates.errors import ReadError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
REPORT_SUFFIXES = (".docx", ".doc", ".odt")   # 绩效自评报告 in Word/LibreOffice: read by workbook_templates.docx_loader
SYSTEM_NAMES = {"thumbs.db", "desktop.ini", "__macosx", "$recycle.bin", "system volume information"}

# Limits for members of an input zip (the workbooks inside are themselves checked by preflight).
MAX_MEMBERS = 100_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024
MAX_RATIO = 100          # inflated / compressed, for members above RATIO_MIN_BYTES
RATIO_MIN_BYTES = 1024 * 1024


@dataclass(frozen=True)
class SourceFile:
    """One workbook to read: where it is on disk and how to name it to the user."""

    index: int
    path: str
    display: str


@dataclass(frozen=True)
class SkippedMember:
    """A zip member refused before extraction (reported in 无法读取)."""

    display: str
    reason: str


def is_ignored(parts: tuple[str, ...]) -> bool:
    """Lock files, hidden/system files and folders: skipped silently."""
    for part in parts:
        low = part.lower()
        if part.startswith((".", "~$")) or low in SYSTEM_NAMES:
            return True
    return False


def is_workbook_name(name: str) -> bool:
    return name.lower().endswith(EXCEL_SUFFIXES + REPORT_SUFFIXES)


def scan_folder(folder: Path) -> tuple[list[tuple[str, str]], list[SkippedMember]]:
    """(path, display) of every workbook under ``folder``, sorted, not following linked folders;
    and the workbook-named entries that are not regular files (pipes, devices, broken links),
    refused without opening them (opening a pipe would block)."""
    found: list[tuple[str, str]] = []
    refused: list[SkippedMember] = []
    for root, dirs, files in os.walk(folder):
        rel_root = Path(root).relative_to(folder)
        dirs[:] = sorted(d for d in dirs if not is_ignored((d,)))
        for name in files:
            rel = rel_root / name
            if is_ignored(rel.parts) or not is_workbook_name(name):
                continue
            path = Path(root) / name
            try:
                regular = stat.S_ISREG(path.stat().st_mode)
            except OSError:
                regular = False
            if not regular:
                refused.append(SkippedMember(rel.as_posix(), "不是普通文件（可能是失效的快捷方式、管道或设备），已跳过"))
                continue
            found.append((str(path), rel.as_posix()))
    found.sort(key=lambda t: t[1])
    refused.sort(key=lambda t: t.display)
    return found, refused


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: zip tools on Chinese Windows write GBK without the UTF-8 flag."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return name


def safe_relative(name: str) -> PurePosixPath | None:
    """A member name as a safe relative path, or None for absolute/traversing names."""
    name = name.replace("\\", "/")
    p = PurePosixPath(name)
    if p.is_absolute() or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [x for x in p.parts if x not in ("", ".")]
    if not parts or any(x == ".." for x in parts):
        return None
    return PurePosixPath(*parts)


def _copy_capped(src, dst, limit: int) -> int:
    """Copy at most ``limit`` bytes; raise ValueError when the stream holds more."""
    total = 0
    while True:
        chunk = src.read(1024 * 1024)
        if not chunk:
            return total
        total += len(chunk)
        if total > limit:
            raise ValueError("inflated size above limit")
        dst.write(chunk)


def extract_zip(zip_path: Path, dest: Path) -> tuple[list[tuple[str, str]], list[SkippedMember]]:
    """Extract the workbooks of ``zip_path`` into ``dest``; (path, display) pairs and refusals."""
    label = zip_path.name
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ReadError(f"压缩包已损坏或不完整，无法打开（{exc}）", file=str(zip_path)) from None
    found: list[tuple[str, str]] = []
    skipped: list[SkippedMember] = []
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ReadError(f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_MEMBERS}）", file=str(zip_path))
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            name = member_name(info)
            rel = safe_relative(name)
            display = f"{label}/{name}"
            if rel is None:
                if is_workbook_name(name):
                    skipped.append(SkippedMember(display, "压缩包内的路径不安全（绝对路径或包含“..”），已拒绝解压"))
                continue
            if is_ignored(rel.parts) or not is_workbook_name(rel.name):
                continue
            display = f"{label}/{rel.as_posix()}"
            if info.file_size > MAX_MEMBER_BYTES:
                skipped.append(SkippedMember(display, f"文件解压后过大（{info.file_size // 2**20} MB，"
                                                      f"上限 {MAX_MEMBER_BYTES // 2**20} MB），疑似压缩炸弹，已拒绝"))
                continue
            if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                skipped.append(SkippedMember(display, "压缩比异常（疑似压缩炸弹），已拒绝解压"))
                continue
            if total + info.file_size > MAX_TOTAL_BYTES:
                skipped.append(SkippedMember(display, "压缩包解压总量超过上限，已停止解压其余文件"))
                continue
            target = dest / f"{len(found):06d}" / rel.name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "wb") as dst:
                    total += _copy_capped(src, dst, min(MAX_MEMBER_BYTES, MAX_TOTAL_BYTES - total))
            except ValueError:
                target.unlink(missing_ok=True)
                skipped.append(SkippedMember(display, "文件解压后超过大小上限，疑似压缩炸弹，已拒绝"))
                continue
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                target.unlink(missing_ok=True)
                reason = "文件已加密，无法解压" if "encrypted" in str(exc).lower() else f"解压失败（{exc}）"
                skipped.append(SkippedMember(display, reason))
                continue
            found.append((str(target), display))
    return found, skipped


class Sources:
    """The workbooks of a folder or zip, as a context manager (cleans up extracted files)."""

    def __init__(self, source: str | os.PathLike, exclude: str | os.PathLike | None = None) -> None:
        self.source = Path(source)
        self.exclude = Path(exclude).resolve() if exclude is not None else None
        self.files: list[SourceFile] = []
        self.skipped: list[SkippedMember] = []
        self._tmp: str | None = None

    def __enter__(self) -> Sources:
        src = self.source
        if not src.exists():
            raise ReadError(f"找不到输入：{src}")
        if src.is_dir():
            pairs, self.skipped = scan_folder(src)
            pairs = [(p, d) for p, d in pairs
                     if self.exclude is None or Path(p).resolve() != self.exclude]   # our own output
        elif zipfile.is_zipfile(src) or src.suffix.lower() == ".zip":
            self._tmp = tempfile.mkdtemp(prefix="jixiao-consolidate-")
            try:
                pairs, self.skipped = extract_zip(src, Path(self._tmp))
            except BaseException:
                self.cleanup()
                raise
        else:
            raise ReadError("输入应为一个文件夹或 .zip 压缩包（其中放各单位的 Excel 自评表）", file=str(src))
        self.files = [SourceFile(i, p, d) for i, (p, d) in enumerate(pairs)]
        if not self.files and not self.skipped:
            what = "文件夹" if src.is_dir() else "压缩包"
            raise ReadError(f"{what}中没有找到 Excel 工作簿（.xlsx / .xlsm / .xls）或 Word 自评报告（.docx / .doc / .odt）", file=str(src))
        return self

    def cleanup(self) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __exit__(self, *exc: object) -> None:
        self.cleanup()
