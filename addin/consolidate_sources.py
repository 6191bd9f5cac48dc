"""Which files a consolidation reads: a folder (recursively) or a zip of units' workbooks.

Excel's lock files (``~$…``) and hidden/system files (dot-files, ``__MACOSX``, ``Thumbs.db``,
``desktop.ini``) are skipped silently. Zip members are extracted safely to a temporary folder:
no absolute paths or ``..`` (path traversal), bounded member count, per-member and total
inflated size, and compression ratio (zip bombs) — sizes are checked as declared *and* while
inflating, since declared sizes can lie. Chinese member names written by Windows tools (GBK
without the UTF-8 flag) are decoded as such.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from workbook_templates.errors import ReadError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
REPORT_SUFFIXES = (".docx", ".doc", ".odt", ".pdf")   # 绩效自评报告: read by workbook_templates.docx_loader
# Office files a unit may hand in that cannot be read: listed in 无法读取, never skipped silently.
UNREADABLE_SUFFIXES = {".et": "WPS 表格文件（.et）", ".ett": "WPS 表格模板（.ett）", ".wps": "WPS 文字文件（.wps）",
                       ".wpt": "WPS 文字模板（.wpt）", ".xlsb": "Excel 二进制工作簿（.xlsb）"}


def unreadable_reason(name: str) -> str | None:
    """Why a file of this name is refused by its name (a WPS or .xlsb file), or None."""
    what = UNREADABLE_SUFFIXES.get(PurePosixPath(name.lower()).suffix)
    return f"{what}无法读取，请另存为 .xlsx（报告另存为 .docx）后再汇总" if what else None
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


def readable_name(name: str) -> str:
    """A file name as a person can read it. A name that is not UTF-8 (a folder copied from a Chinese
    Windows share keeps GBK bytes) arrives from the OS with surrogate escapes, which cannot be
    printed or written into a workbook: decoded as GB18030 where that works, else with U+FFFD."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    if "/" in name:                    # each folder level may come from a different machine
        return "/".join(readable_name(part) for part in name.split("/"))
    raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace")


def scan_folder(folder: Path) -> tuple[list[tuple[str, str]], list[SkippedMember]]:
    """(path, display) of every workbook under ``folder``, sorted, not following linked folders;
    and the workbook-named entries that are not regular files (pipes, devices, broken links),
    refused without opening them (opening a pipe would block), and the sub-folders that cannot be
    listed (permissions, a path too long), so their units are not silently missing."""
    found: list[tuple[str, str]] = []
    refused: list[SkippedMember] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename or folder)
        try:
            rel = where.relative_to(folder).as_posix()
        except ValueError:
            rel = str(where)
        why = ("没有读取权限" if isinstance(exc, PermissionError)
               else "路径过长" if exc.errno == errno.ENAMETOOLONG else exc.strerror or type(exc).__name__)
        refused.append(SkippedMember(readable_name(rel) + "/", f"无法打开子文件夹（{why}），其中的文件未能汇总"))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        rel_root = Path(root).relative_to(folder)
        dirs[:] = sorted(d for d in dirs if not is_ignored((d,)))
        for name in files:
            rel = rel_root / name
            if not is_ignored(rel.parts) and (why := unreadable_reason(name)):
                refused.append(SkippedMember(rel.as_posix(), why))
                continue
            if is_ignored(rel.parts) or not is_workbook_name(name):
                continue
            path = Path(root) / name
            display = readable_name(rel.as_posix())
            try:
                regular = stat.S_ISREG(path.stat().st_mode)
            except OSError:
                regular = False
            if not regular:
                refused.append(SkippedMember(display, "不是普通文件（可能是失效的快捷方式、管道或设备），已跳过"))
                continue
            found.append((str(path), display))
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
            if not is_ignored(rel.parts) and (why := unreadable_reason(rel.name)):
                skipped.append(SkippedMember(f"{label}/{rel.as_posix()}", why))
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
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error) as exc:
                target.unlink(missing_ok=True)
                skipped.append(SkippedMember(display, _extract_reason(exc, info)))
                continue
            found.append((str(target), display))
    return found, skipped


def _extract_reason(exc: BaseException, info: zipfile.ZipInfo) -> str:
    """Why a member could not be extracted, in Chinese (zipfile's own words are English)."""
    text = str(exc)
    if info.flag_bits & 0x1 or "encrypted" in text.lower() or "password" in text.lower():
        return "压缩包中的这个文件设置了密码（已加密），无法解压；请提供未加密的压缩包"
    if isinstance(exc, NotImplementedError):
        return f"压缩包中的这个文件使用了不支持的压缩方式（{info.compress_type}），无法解压；请用常见的 zip 格式重新压缩"
    if isinstance(exc, zlib.error) or "CRC" in text or isinstance(exc, (zipfile.BadZipFile, EOFError)):
        return "压缩包中的这个文件已损坏（解压数据校验失败），无法解压；请重新压缩或单独发送该文件"
    if isinstance(exc, OSError):
        return f"解压时无法写入临时文件（{exc.strerror or exc}）"
    return f"解压失败（{type(exc).__name__}）"


class Sources:
    """The workbooks of a folder or zip, as a context manager (cleans up extracted files)."""

    def __init__(self, source: str | os.PathLike, exclude: str | os.PathLike | None = None) -> None:
        self.source = Path(source)
        self.exclude = Path(exclude).resolve() if exclude is not None else None
        self.files: list[SourceFile] = []
        self.skipped: list[SkippedMember] = []
        self._tmp: str | None = None

    def __enter__(self) -> Sources:
        try:
            return self._open()
        except BaseException:          # __exit__ does not run when __enter__ raises
            self.cleanup()
            raise

    def _open(self) -> Sources:
        src = self.source
        if not src.exists():
            raise ReadError(f"找不到输入：{src}")
        if src.is_dir():
            pairs, self.skipped = scan_folder(src)
            pairs = [(p, d) for p, d in pairs
                     if self.exclude is None or Path(p).resolve() != self.exclude]   # our own output
        elif zipfile.is_zipfile(src) or src.suffix.lower() == ".zip":
            self._tmp = tempfile.mkdtemp(prefix="jixiao-consolidate-")
            pairs, self.skipped = extract_zip(src, Path(self._tmp))
        else:
            raise ReadError("输入应为一个文件夹或 .zip 压缩包（其中放各单位的 Excel 自评表）", file=str(src))
        self.files = [SourceFile(i, p, d) for i, (p, d) in enumerate(pairs)]
        if not self.files and not self.skipped:
            what = "文件夹" if src.is_dir() else "压缩包"
            raise ReadError(f"{what}中没有找到 Excel 工作簿（.xlsx / .xlsm / .xls）或自评报告（.docx / .doc / .odt / .pdf）", file=str(src))
        return self

    def cleanup(self) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __exit__(self, *exc: object) -> None:
        self.cleanup()
