"""`jixiao addin install` / `uninstall`: put jixiao.xlam where Excel loads it and configure xlwings.

Where things go (as xlwings documents for custom add-ins, whose VBA reads ``PROJECT_NAME.conf``):

* Windows — the add-in into the user's XLSTART folder ``%APPDATA%\\Microsoft\\Excel\\XLSTART``
  (opened at every Excel start; a trusted location by default), the configuration into
  ``%USERPROFILE%\\.jixiao\\jixiao.conf``.
* macOS — the add-in into Excel's startup folder ``~/Library/Group Containers/UBF8T346G9.Office/
  User Content.localized/Startup.localized/Excel``, the configuration into the sandbox
  ``~/Library/Containers/com.microsoft.Excel/Data/jixiao.conf``, and xlwings' AppleScript (needed
  by RunPython) into ``~/Library/Application Scripts/com.microsoft.Excel``. (Classic xlwings
  worksheet functions are Windows-only; the buttons work on both.)

The configuration is xlwings' file format — one ``"KEY","VALUE"`` line per setting, read by VBA's
``Input #`` in the system code page: ``INTERPRETER_WIN``/``INTERPRETER_MAC`` (this Python),
``PYTHONPATH`` (the source folder when running from a checkout) and ``UDF MODULES`` (udfs.excel).
Keys of other tools in an existing file are kept.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from workbook_templates.errors import WriteError
from workbook_templates.fileio import atomic_path

from .xlam import PROJECT_NAME

ADDIN_NAME = f"{PROJECT_NAME}.xlam"
UDF_MODULES = "udfs.excel"
EXIT_UNSUPPORTED = 2


@dataclass
class Layout:
    platform: str                      # "win32" | "darwin"
    addin_dir: Path
    config_file: Path
    extra_files: list[tuple[Path, Path]] = field(default_factory=list)   # (source, target)

    @property
    def addin_path(self) -> Path:
        return self.addin_dir / ADDIN_NAME


def layout(platform: str | None = None, home: Path | None = None, env: dict[str, str] | None = None) -> Layout | None:
    """The install locations for ``platform`` (default: this machine); None where Excel has no desktop add-ins."""
    platform = platform or sys.platform
    env = dict(os.environ) if env is None else env
    home = Path(home) if home is not None else Path.home()
    if platform.startswith("win"):
        appdata = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        profile = Path(env.get("USERPROFILE") or home)
        return Layout("win32", appdata / "Microsoft" / "Excel" / "XLSTART",
                      profile / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf")
    if platform == "darwin":
        import xlwings

        script = Path(xlwings.__file__).parent / f"xlwings-{xlwings.__version__}.applescript"
        return Layout("darwin",
                      home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content.localized"
                      / "Startup.localized" / "Excel",
                      home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{PROJECT_NAME}.conf",
                      [(script, home / "Library" / "Application Scripts" / "com.microsoft.Excel" / script.name)])
    return None


def interpreter(python: str | None, platform: str) -> str:
    """The interpreter Excel should start: ``python`` or this one (pythonw.exe on Windows: no console)."""
    exe = Path(python or sys.executable)
    if platform == "win32" and exe.name.lower() == "python.exe" and (exe.parent / "pythonw.exe").exists():
        exe = exe.parent / "pythonw.exe"
    return str(exe)


def source_root() -> str | None:
    """The folder holding the packages when running from a checkout (not needed when pip-installed)."""
    root = Path(__file__).resolve().parents[2]
    return str(root) if (root / "pyproject.toml").exists() and (root / "udfs").is_dir() else None


def settings(python: str | None, platform: str) -> dict[str, str]:
    key = "INTERPRETER_WIN" if platform == "win32" else "INTERPRETER_MAC"
    out = {key: interpreter(python, platform), "UDF MODULES": UDF_MODULES}
    root = source_root()
    if root:
        out["PYTHONPATH"] = root
    return out


def read_config(path: Path, encoding: str) -> dict[str, str]:
    """xlwings' ``"KEY","VALUE"`` lines (keys upper-cased, as xlwings compares them)."""
    import csv

    if not path.exists():
        return {}
    with path.open(encoding=encoding, errors="replace", newline="") as fh:
        return {row[0].upper(): row[1] for row in csv.reader(fh) if len(row) >= 2 and row[0]}


def write_config(path: Path, values: dict[str, str], encoding: str) -> None:
    text = "".join(f'"{k}","{v}"\r\n' for k, v in values.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding, newline="")


def config_encoding(platform: str) -> str:
    """VBA reads the file in the system ANSI code page (GBK on Chinese Windows)."""
    if platform == "win32" and sys.platform.startswith("win"):
        return "mbcs"
    return "utf-8"


def _copy(src: Path, dst: Path) -> None:
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(dst) as tmp:
            shutil.copyfile(src, tmp)
    except PermissionError:
        raise WriteError(f"无法写入 {dst}：文件被占用。请先退出 Excel，再重新运行安装。") from None
    except OSError as exc:
        raise WriteError(f"无法写入 {dst}：{exc}") from None


def install(xlam: str | None = None, python: str | None = None, dry_run: bool = False, *,
            platform: str | None = None, home: Path | None = None, env: dict[str, str] | None = None) -> int:
    """Install the add-in and write the xlwings configuration; prints every step. Exit code."""
    where = layout(platform, home, env)
    if where is None:
        print("错误：此系统不支持安装 Excel 加载项（仅支持 Windows 和 macOS）。"
              "在 Linux 上可用 `jixiao addin build` 生成 jixiao.xlam 后复制到 Windows 电脑安装。", file=sys.stderr)
        return EXIT_UNSUPPORTED
    encoding = config_encoding(where.platform)
    config = read_config(where.config_file, encoding)
    new = settings(python, where.platform)
    merged = {**config, **new}
    print(f"{'将要' if dry_run else ''}安装绩效自评加载项：")
    print(f"  加载项   → {where.addin_path}")
    print(f"  xlwings 配置 → {where.config_file}")
    for k, v in new.items():
        print(f"      {k} = {v}")
    for _src, dst in where.extra_files:
        print(f"  RunPython 脚本 → {dst}")
    if dry_run:
        return 0
    if xlam:
        src = Path(xlam)
        if not src.is_file():
            raise WriteError(f"找不到加载项文件：{xlam}")
        _copy(src, where.addin_path)
    else:
        from .xlam import build

        where.addin_dir.mkdir(parents=True, exist_ok=True)
        try:
            build(where.addin_path)
        except PermissionError:
            raise WriteError(f"无法写入 {where.addin_path}：文件被占用。请先退出 Excel，再重新运行安装。") from None
    write_config(where.config_file, merged, encoding)
    for src, dst in where.extra_files:
        if src.exists():
            _copy(src, dst)
    print("完成。请重新启动 Excel，功能区会出现“绩效自评”选项卡。")
    if where.platform == "darwin":
        print("提示：macOS 版 Excel 支持按钮（RunPython），工作表函数（UDF）仅在 Windows 上可用。")
    return 0


def uninstall(keep_config: bool = False, dry_run: bool = False, *, platform: str | None = None,
              home: Path | None = None, env: dict[str, str] | None = None) -> int:
    """Remove the add-in (and our keys of the xlwings configuration). Exit code."""
    where = layout(platform, home, env)
    if where is None:
        print("错误：此系统不支持 Excel 加载项（仅支持 Windows 和 macOS）。", file=sys.stderr)
        return EXIT_UNSUPPORTED
    encoding = config_encoding(where.platform)
    print(f"{'将要' if dry_run else ''}卸载绩效自评加载项：")
    print(f"  删除 {where.addin_path}{'' if where.addin_path.exists() else '（不存在）'}")
    ours = set(settings(None, where.platform))
    rest = {k: v for k, v in read_config(where.config_file, encoding).items() if k not in ours}
    if not keep_config and where.config_file.exists():
        print(f"  {'删除' if not rest else '清理'} xlwings 配置 {where.config_file}")
    if dry_run:
        return 0
    try:
        where.addin_path.unlink(missing_ok=True)
    except PermissionError:
        raise WriteError(f"无法删除 {where.addin_path}：文件被占用。请先退出 Excel，再重新运行卸载。") from None
    if not keep_config and where.config_file.exists():
        if rest:
            write_config(where.config_file, rest, encoding)
        else:
            where.config_file.unlink()
            if where.config_file.parent.name == f".{PROJECT_NAME}" and not any(where.config_file.parent.iterdir()):
                where.config_file.parent.rmdir()
    print("完成。请重新启动 Excel。")
    return 0
