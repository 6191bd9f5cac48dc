"""`jixiao addin install` / `uninstall`: put jixiao.xlam where Excel loads it and configure xlwings.

Where things go (as xlwings documents for custom add-ins, whose VBA reads ``PROJECT_NAME.conf``):

* Windows — the add-in into the user's XLSTART folder: the one Excel reports
  (``Application.StartupPath``, asked through xlwings when Excel can be reached), else the
  documented default ``%APPDATA%\\Microsoft\\Excel\\XLSTART`` (opened at every Excel start; a
  trusted location by default); the configuration into ``%USERPROFILE%\\.jixiao\\jixiao.conf``.
  Which build (``xlam.LOCALES``): the Chinese one where the system ANSI code page is 936, else
  the English one (Chinese identifiers do not compile in another code page).
* macOS — the add-in into Excel's startup folder ``~/Library/Group Containers/UBF8T346G9.Office/
  User Content.localized/Startup.localized/Excel``, the configuration into the sandbox
  ``~/Library/Containers/com.microsoft.Excel/Data/jixiao.conf``, and xlwings' AppleScript (needed
  by RunPython) and ours (the folder chooser of 汇总各单位) into ``~/Library/Application
  Scripts/com.microsoft.Excel``. The English build (ASCII VBA): classic xlwings worksheet
  functions are Windows-only, the buttons work on both.

The configuration is xlwings' file format — one ``"KEY","VALUE"`` line per setting, read by VBA's
``Input #`` (and xlwings' Python side, ``open()``) in the system ANSI code page, so it is written in
that code page; a path it cannot hold is replaced by its 8.3 short name, or refused in Chinese:
``INTERPRETER_WIN``/``INTERPRETER_MAC`` (this Python),
``PYTHONPATH`` (the source folder when running from a checkout), ``UDF MODULES`` (``jixiao_entry``,
which serves udfs.excel's functions) and ``ADD_WORKBOOK_TO_PYTHONPATH`` = false (nothing of ours
lives beside a workbook; a folder there must not shadow an installed package).
Keys of other tools in an existing file are kept.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from workbook_templates.errors import WriteError
from workbook_templates.fileio import atomic_path

from .xlam import ENTRY_MODULE, LOCALES, PROJECT_NAME

ADDIN_NAME = f"{PROJECT_NAME}.xlam"
UDF_MODULES = ENTRY_MODULE
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


def excel_startup_path() -> str | None:
    """Excel's own XLSTART folder (``Application.StartupPath``) through xlwings, None when Excel
    cannot be reached (not installed, not Windows/macOS). Starts a hidden Excel for a moment."""
    try:
        import xlwings as xw

        app = xw.App(visible=False, add_book=False)
    except Exception:  # noqa: BLE001 - no Excel here: the documented default is used
        return None
    try:
        return str(app.startup_path) or None
    except Exception:  # noqa: BLE001 - Excel answered nothing useful
        return None
    finally:
        try:
            app.quit()
        except Exception:  # noqa: BLE001 - already gone
            pass


def layout(platform: str | None = None, home: Path | None = None, env: dict[str, str] | None = None,
           startup: str | None = None) -> Layout | None:
    """The install locations for ``platform`` (default: this machine); ``startup``: the XLSTART
    folder Excel reported (else the documented default). None where Excel has no desktop add-ins."""
    platform = platform or sys.platform
    env = dict(os.environ) if env is None else env
    home = Path(home) if home is not None else Path.home()
    scripts = home / "Library" / "Application Scripts" / "com.microsoft.Excel"
    if platform.startswith("win"):
        appdata = Path(env.get("APPDATA") or home / "AppData" / "Roaming")
        profile = Path(env.get("USERPROFILE") or home)
        return Layout("win32", Path(startup) if startup else appdata / "Microsoft" / "Excel" / "XLSTART",
                      profile / f".{PROJECT_NAME}" / f"{PROJECT_NAME}.conf")
    if platform == "darwin":
        import xlwings

        script = Path(xlwings.__file__).parent / f"xlwings-{xlwings.__version__}.applescript"
        ours = Path(__file__).parent / "vba" / f"{PROJECT_NAME}.applescript"
        default = (home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content.localized"
                   / "Startup.localized" / "Excel")
        return Layout("darwin", Path(startup) if startup else default,
                      home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / f"{PROJECT_NAME}.conf",
                      [(script, scripts / script.name), (ours, scripts / ours.name)])
    return None


def ansi_code_page() -> int | None:
    """This Windows' ANSI code page (GetACP: 936 on Simplified Chinese, 1252 on Western), else None."""
    if not sys.platform.startswith("win"):
        return None
    import ctypes

    return int(ctypes.windll.kernel32.GetACP())  # type: ignore[attr-defined]


def choose_locale(platform: str, codepage: int | None) -> tuple[str, str]:
    """(build, why) for this system: VBA reads module source in the ANSI code page."""
    if platform == "win32":
        if codepage == 936:
            return "zh", "系统 ANSI 代码页为 936（简体中文）"
        return "en", f"系统 ANSI 代码页为 {codepage}，不是 936，中文函数名在此无法编译"
    return "en", "macOS 版 Excel 不支持 xlwings 工作表函数，按钮两版相同"


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
    out = {key: interpreter(python, platform), "UDF MODULES": UDF_MODULES, "ADD_WORKBOOK_TO_PYTHONPATH": "false"}
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


def short_path(path: str) -> str | None:
    """The Windows 8.3 short name of an existing path (ASCII), None where there is none."""
    if not sys.platform.startswith("win"):
        return None
    import ctypes

    buf = ctypes.create_unicode_buffer(32768)
    n = ctypes.windll.kernel32.GetShortPathNameW(path, buf, len(buf))  # type: ignore[attr-defined]
    return buf.value if 0 < n < len(buf) and buf.value.isascii() else None


def encodable(value: str, encoding: str) -> str:
    """``value`` as the code page can hold it: itself, or the 8.3 short path; else a Chinese WriteError."""
    try:
        value.encode(encoding)
        return value
    except UnicodeEncodeError:
        short = short_path(value)
        if short:
            return short
    raise WriteError(f"路径“{value}”含有系统代码页（{encoding}）无法表示的字符，Excel 的 VBA 读不出来。"
                     f"请把 Python 环境装在只含英文字母、数字（或本系统语言文字）的文件夹中（如 C:\\jixiao），"
                     f"再用 --python 指定其中的 python.exe 重新安装。")


def write_config(path: Path, values: dict[str, str], encoding: str) -> None:
    text = "".join(f'"{k}","{encodable(v, encoding)}"\r\n' for k, v in values.items())
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        tmp.write_bytes(text.encode(encoding))


def config_encoding(platform: str, codepage: int | None = None) -> str:
    """The encoding xlwings reads the file in: the system ANSI code page on Windows (VBA's
    ``Input #``, Python's ``open()``; cp936 on Chinese Windows), UTF-8 on macOS."""
    if platform == "win32":
        return f"cp{codepage or ansi_code_page() or 1252}"
    return "utf-8"


def check_xlwings(xlam: Path) -> str:
    """The build (zh | en) of a given add-in file; a Chinese WriteError when it was built with
    another xlwings than the installed one (its VBA loads xlwings64-<version>.dll)."""
    import xlwings

    from .xlam_info import read_info

    info = read_info(xlam)
    if info.xlwings_version != xlwings.__version__:
        found = info.xlwings_version or "未知版本（不是 jixiao 加载项？）"
        raise WriteError(f"加载项 {xlam} 是用 xlwings {found} 生成的，而本机安装的是 xlwings "
                         f"{xlwings.__version__}；两者不一致时 Excel 找不到 xlwings64-{found}.dll，按钮和函数都无法使用。"
                         "请去掉 --xlam，让安装程序按本机的 xlwings 现场生成加载项。")
    return info.locale


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
            platform: str | None = None, home: Path | None = None, env: dict[str, str] | None = None,
            codepage: int | None = None, locale: str | None = None,
            startup_path: Callable[[], str | None] = excel_startup_path) -> int:
    """Install the add-in and write the xlwings configuration; prints every step. Exit code.

    ``codepage`` (default: this system's) picks the build unless ``locale`` is given;
    ``startup_path`` asks Excel for its XLSTART folder."""
    platform = platform or sys.platform
    if not (platform.startswith("win") or platform == "darwin"):
        print("错误：此系统不支持安装 Excel 加载项（仅支持 Windows 和 macOS）。"
              "在 Linux 上可用 `jixiao addin build` 生成 jixiao.xlam 后复制到 Windows 电脑安装。", file=sys.stderr)
        return EXIT_UNSUPPORTED
    startup = startup_path()
    where = layout(platform, home, env, startup)
    assert where is not None
    codepage = codepage or ansi_code_page()
    if xlam:
        src = Path(xlam)
        if not src.is_file():
            raise WriteError(f"找不到加载项文件：{xlam}")
        chosen, why = check_xlwings(src), "所给文件"
    elif locale:
        chosen, why = locale, "--locale 指定"
    else:
        chosen, why = choose_locale(where.platform, codepage)
    encoding = config_encoding(where.platform, codepage)
    config = read_config(where.config_file, encoding)
    new = settings(python, where.platform)
    merged = {**config, **new}
    print(f"{'将要' if dry_run else ''}安装绩效自评加载项：")
    print(f"  加载项   → {where.addin_path}"
          f"（{'Excel 报告的启动文件夹' if startup else '默认启动文件夹；未能询问 Excel'}）")
    print(f"  版本     → {LOCALES[chosen].title}：{why}")
    if where.platform == "win32" and chosen == "zh" and codepage not in (None, 936):
        print(f"  警告：本机代码页为 {codepage}，中文版加载项的中文函数名无法编译；建议去掉 --xlam 重新安装。")
    print(f"  xlwings 配置 → {where.config_file}")
    for k, v in new.items():
        print(f"      {k} = {v}")
    for _src, dst in where.extra_files:
        print(f"  RunPython 脚本 → {dst}")
    if dry_run:
        return 0
    if xlam:
        _copy(Path(xlam), where.addin_path)
    else:
        from .xlam import build

        where.addin_dir.mkdir(parents=True, exist_ok=True)
        try:
            build(where.addin_path, locale=chosen)
        except PermissionError:
            raise WriteError(f"无法写入 {where.addin_path}：文件被占用。请先退出 Excel，再重新运行安装。") from None
    write_config(where.config_file, merged, encoding)
    for src, dst in where.extra_files:
        if src.exists():
            _copy(src, dst)
    print("完成。请重新启动 Excel，功能区会出现“绩效自评”选项卡。")
    if where.platform == "darwin":
        print("提示：macOS 版 Excel 支持按钮（RunPython），工作表函数（UDF）仅在 Windows 上可用。")
    if chosen == "en" and where.platform == "win32":
        print("提示：英文版加载项请使用英文函数名，如 =JX_EXEC_RATE(1521.57,1600)（函数类别 Jixiao）。")
    return 0


def uninstall(keep_config: bool = False, dry_run: bool = False, *, platform: str | None = None,
              home: Path | None = None, env: dict[str, str] | None = None, codepage: int | None = None,
              startup_path: Callable[[], str | None] = excel_startup_path) -> int:
    """Remove the add-in (and our keys of the xlwings configuration). Exit code."""
    platform = platform or sys.platform
    if not (platform.startswith("win") or platform == "darwin"):
        print("错误：此系统不支持 Excel 加载项（仅支持 Windows 和 macOS）。", file=sys.stderr)
        return EXIT_UNSUPPORTED
    where = layout(platform, home, env, startup_path())
    assert where is not None
    encoding = config_encoding(where.platform, codepage)
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
