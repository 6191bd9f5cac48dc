"""Safe file writing: outputs go to a temp file in the target folder, then an atomic rename.

DESIGN.md idea 5: a user's file is never overwritten in place unless asked, and writes are atomic.
An output is readable by colleagues like any file a normal tool writes (mode 0666 less the umask —
``mkstemp`` alone gives 0600); a file replaced keeps its mode; ``in_place`` refuses a read-only file
(its owner marked it so) and keeps a ``.bak``. Every OS refusal is a Chinese WriteError naming the
path: a folder where a file should be, a name longer than the file system allows (255 bytes), a
folder that cannot be written, a ``.bak`` that cannot be made.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import WriteError

MAX_NAME_BYTES = 255          # a file name (one path component) on ext4, NTFS, APFS


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """True when two paths name the same file (resolving links)."""
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def os_reason(exc: OSError) -> str:
    """An OSError in Chinese words (the path is named by the caller)."""
    return {errno.EACCES: "没有写权限", errno.EPERM: "没有写权限", errno.EROFS: "所在磁盘是只读的",
            errno.ENOSPC: "磁盘空间不足", errno.ENAMETOOLONG: "文件名或路径过长", errno.EISDIR: "这是一个文件夹",
            errno.ENOENT: "所在文件夹不存在或不能在此创建文件", errno.ENOTDIR: "路径中有一段不是文件夹",
            errno.EDQUOT: "磁盘配额已满"}.get(exc.errno, exc.strerror or type(exc).__name__)


def check_output_path(target: str | os.PathLike) -> Path:
    """WriteError (Chinese) when ``target`` cannot be an output file: a folder, a name over 255
    bytes, a missing folder. Returns it as a Path."""
    target = Path(target)
    if len(os.fsencode(target.name)) > MAX_NAME_BYTES:
        raise WriteError(f"输出文件名过长（{len(os.fsencode(target.name))} 字节，文件系统上限 {MAX_NAME_BYTES}）：{target.name[:40]}…；"
                         "请用较短的文件名")
    try:
        if target.is_dir():
            raise WriteError(f"输出路径是一个文件夹：{target}；请写出文件名，例如 {target / ('输出' + (target.suffix or '.xlsx'))}")
        if not target.parent.is_dir():
            raise WriteError(f"输出目录不存在：{target.parent}")
    except OSError as exc:
        raise WriteError(f"无法写入 {target}：{os_reason(exc)}") from None
    return target


@contextmanager
def atomic_path(target: str | os.PathLike, *, source: str | os.PathLike | None = None,
                in_place: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success rename it over ``target``.

    Refuses to write over ``source`` (the user's input) unless ``in_place``; then a read-only
    file is refused and a ``.bak`` copy of the original is kept first. The result has the mode a
    new file gets (0666 less the umask), or the mode of the file it replaces. On failure the
    temporary file is removed and the target is untouched.
    """
    target = check_output_path(target)
    old_mode = None
    try:
        old_mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        pass
    if source is not None and same_file(source, target):
        if not in_place:
            raise WriteError(f"输出文件与输入文件相同（{target}），为保护原文件不予覆盖；"
                             "请用 -o 指定其他文件名（jixiao score / validate 可加 --in-place 覆盖原文件，会先保留 .bak 备份）。")
        if old_mode is not None and not old_mode & 0o222:
            raise WriteError(f"文件 {target} 是只读的，不能直接写回；请用 -o 写到新文件，或先取消只读属性")
        bak = target.with_name(target.name + ".bak")
        try:
            if bak.exists() and not bak.is_file():     # copy2 would copy *into* a folder of that name
                raise IsADirectoryError(errno.EISDIR, "is a directory", str(bak))
            shutil.copy2(target, bak)
        except OSError as exc:
            raise WriteError(f"无法保留备份 {bak}（{os_reason(exc)}），为保护原文件未写回；请用 -o 写到新文件") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".jixiao-", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise WriteError(f"无法在 {target.parent} 中写入文件（{os_reason(exc)}）") from None
    tmp_path = Path(tmp)
    try:
        os.fchmod(fd, old_mode if old_mode is not None else 0o666 & ~_umask())
    except (OSError, AttributeError):   # Windows: no fchmod; modes do not apply there
        pass
    os.close(fd)
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, target)
        except OSError as exc:
            raise WriteError(f"无法写入 {target}（{os_reason(exc)}；文件可能正在 Excel/WPS 中打开）") from None
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_atomic(target: str | os.PathLike, writer: Callable[[Path], object], **kw) -> Path:
    """Call ``writer(tmp_path)`` and atomically move the result to ``target``."""
    with atomic_path(target, **kw) as tmp:
        writer(tmp)
    return Path(target)
