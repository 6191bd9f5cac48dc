"""LibreOffice headless: the real spreadsheet/word-processing engine on Linux.

Used to convert reports to PDF, to recalculate templates in tests, and to decode VBA.
Each call runs with its own throw-away user profile so parallel runs don't collide.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path, PurePath

from .errors import WriteError

_CANDIDATES = ["soffice", "libreoffice", "/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
               "/Applications/LibreOffice.app/Contents/MacOS/soffice",
               r"C:\Program Files\LibreOffice\program\soffice.exe"]


def find_soffice() -> str | None:
    """Path of the soffice binary, or None when LibreOffice is not installed."""
    env = os.environ.get("JIXIAO_SOFFICE")
    if env and Path(env).exists():
        return env
    for c in _CANDIDATES:
        p = shutil.which(c) or (c if Path(c).is_file() else None)
        if p:
            return p
    return None


def user_installation(profile: str | os.PathLike | PurePath) -> str:
    """soffice's ``-env:UserInstallation`` option for a profile folder, as a file URL.

    ``Path.as_uri()`` gives ``file:///tmp/x`` and, on Windows, ``file:///C:/Users/…`` (three
    slashes, non-ASCII percent-encoded); ``"file://" + as_posix()`` gave ``file://C:/…``, where
    ``C:`` is read as a host name and LibreOffice fails to start."""
    path = profile if isinstance(profile, PurePath) else Path(profile)
    if not path.is_absolute():
        path = Path(path).absolute()
    return f"-env:UserInstallation={path.as_uri()}"


def convert(src: str | os.PathLike, fmt: str, outdir: str | os.PathLike, timeout: int = 180,
            infilter: str | None = None) -> Path:
    """``soffice --headless --convert-to fmt`` into ``outdir``; returns the produced file.

    ``fmt`` is LibreOffice's target spec ("pdf", "xlsx", "ods", 'csv:Text - txt - csv (StarCalc):44,34,76,1' (no shell quotes)).
    """
    soffice = find_soffice()
    if not soffice:
        raise WriteError("未找到 LibreOffice（soffice），无法转换；请安装 LibreOffice 后重试。")
    src = Path(src)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as profile:
        cmd = [soffice, user_installation(profile), "--headless",
               "--norestore", "--nolockcheck"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", fmt, "--outdir", str(outdir), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise WriteError(f"LibreOffice 转换超时（{timeout}秒）：{src.name}") from None
    ext = fmt.split(":")[0]
    out = outdir / f"{src.stem}.{ext}"
    if proc.returncode != 0 or not out.exists():
        raise WriteError(f"LibreOffice 转换失败：{src.name} → {ext}（{(proc.stderr or proc.stdout).strip()[:300]}）")
    return out
