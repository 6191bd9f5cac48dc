"""Safe file writing: outputs go to a temp file in the target folder, then an atomic rename.

DESIGN.md idea 5: a user's file is never overwritten in place unless asked, and writes are atomic.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import WriteError


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """True when two paths name the same file (resolving links)."""
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


@contextmanager
def atomic_path(target: str | os.PathLike, *, source: str | os.PathLike | None = None,
                in_place: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success rename it over ``target``.

    Refuses to write over ``source`` (the user's input) unless ``in_place``; then a ``.bak``
    copy of the original is kept first. On failure the temporary file is removed and the
    target is untouched.
    """
    target = Path(target)
    if source is not None and same_file(source, target):
        if not in_place:
            raise WriteError(f"输出文件与输入文件相同（{target}），为保护原文件不予覆盖；"
                             "请用 -o 指定其他文件名（jixiao score / validate 可加 --in-place 覆盖原文件，会先保留 .bak 备份）。")
        shutil.copy2(target, target.with_name(target.name + ".bak"))
    if not target.parent.exists():
        raise WriteError(f"输出目录不存在：{target.parent}")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_atomic(target: str | os.PathLike, writer: Callable[[Path], object], **kw) -> Path:
    """Call ``writer(tmp_path)`` and atomically move the result to ``target``."""
    with atomic_path(target, **kw) as tmp:
        writer(tmp)
    return Path(target)
