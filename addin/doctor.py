"""`jixiao doctor`: is this PC ready — each check ✓/✗ with what to do, in Chinese.

Checks: Python version and bitness; xlwings and (Windows) its DLL for Excel's bitness; Excel
found and its bitness (Windows: the App Paths registry key, then EXCEL.EXE's PE header); the
add-in in XLSTART and whether it is the one this installation builds; the xlwings configuration
(interpreter, function module); PDF export (Word or LibreOffice); a CJK font for the report's
chart. A check that does not apply here (Excel on Linux) is shown with "·" and is not a failure.
Every check takes its inputs as arguments so each can run on any OS in tests.
"""

from __future__ import annotations

import struct
import sys
from dataclasses import dataclass
from pathlib import Path

OK, FAIL, NA = "ok", "fail", "n/a"
MARKS = {OK: "✓", FAIL: "✗", NA: "·"}
PE_MACHINES = {0x8664: 64, 0xAA64: 64, 0x014C: 32}     # IMAGE_FILE_MACHINE_AMD64 / ARM64 / I386


@dataclass
class Check:
    name: str
    status: str
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{MARKS[self.status]} {self.name}：{self.detail}"
        return text + (f"\n    → {self.fix}" if self.status == FAIL and self.fix else "")


def python_min() -> tuple[int, int]:
    """The lowest Python of ``requires-python`` (installed metadata; (3, 10) when unknown)."""
    import re
    from importlib import metadata

    try:
        spec = metadata.metadata("jixiao")["Requires-Python"] or ""
    except metadata.PackageNotFoundError:
        spec = ""
    m = re.search(r">=\s*(\d+)\.(\d+)", spec)
    return (int(m.group(1)), int(m.group(2))) if m else (3, 10)


def python_bits() -> int:
    return struct.calcsize("P") * 8


def check_python(version: tuple[int, int, int] | None = None, bits: int | None = None) -> Check:
    v = version or tuple(sys.version_info[:3])
    bits = bits or python_bits()
    detail = f"Python {'.'.join(map(str, v))}（{bits} 位）{sys.executable if version is None else ''}".rstrip()
    low = python_min()
    if tuple(v[:2]) < low:
        return Check("Python", FAIL, detail, f"需要 Python {low[0]}.{low[1]} 或更高版本（建议 3.11/3.12，64 位），"
                     "从 python.org 下载“Windows installer (64-bit)”安装后重新运行 install.bat。")
    if bits != 64:
        return Check("Python", FAIL, detail, "这是 32 位 Python：xlwings 的 Windows 安装包只提供 64 位版本，"
                     "请安装 64 位 Python 3.11/3.12 后重新运行 install.bat（32 位和 64 位的 Excel 都能使用 64 位 Python）。")
    return Check("Python", OK, detail)


def pe_bitness(path: str | Path) -> int | None:
    """32 or 64 from a Windows executable's PE header (Machine field); None if unreadable."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    if head[:2] != b"MZ" or len(head) < 0x40:
        return None
    offset = struct.unpack_from("<I", head, 0x3C)[0]
    if offset + 6 > len(head) or head[offset:offset + 4] != b"PE\0\0":
        return None
    return PE_MACHINES.get(struct.unpack_from("<H", head, offset + 4)[0])


def find_excel() -> Path | None:
    """EXCEL.EXE from the App Paths registry key (Windows); None elsewhere or when not installed."""
    if not sys.platform.startswith("win"):
        return None
    import winreg

    for root in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(root, r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\excel.exe") as key:
                exe = Path(winreg.QueryValue(key, None).strip('"'))
        except OSError:
            continue
        if exe.is_file():
            return exe
    return None


def check_excel(exe: Path | None, platform: str) -> Check:
    if not platform.startswith("win"):
        return Check("Excel", NA, "不是 Windows，不检查 Excel（macOS 的 Excel 请手动确认）")
    if exe is None:
        return Check("Excel", FAIL, "未找到桌面版 Excel",
                     "安装 Microsoft Office（Excel 2010 及以上）；WPS 不支持加载项，但模板在 WPS 中照样能算分。")
    bits = pe_bitness(exe)
    return Check("Excel", OK, f"{exe}（{bits or '未知'} 位）")


def xlwings_dll_names(version: str) -> dict[int, str]:
    return {64: f"xlwings64-{version}.dll", 32: f"xlwings32-{version}.dll"}


def dll_folders(interpreter: str | Path | None = None) -> list[Path]:
    """Where the add-in's VBA loads xlwings' DLL from: the interpreter's folder, then its parent
    (a venv: the DLLs of the win_amd64 wheel are installed into the venv's root)."""
    exe = Path(interpreter or sys.executable)
    return [exe.parent, exe.parent.parent]


def check_xlwings(platform: str, excel_bits: int | None, folders: list[Path] | None = None,
                  version: str | None = None) -> Check:
    try:
        import xlwings
    except ImportError:
        return Check("xlwings", FAIL, "未安装", "重新运行 install.bat（或 pip install xlwings）。")
    version = version or xlwings.__version__
    if not platform.startswith("win"):
        return Check("xlwings", OK, f"{version}（Windows 才需要其 DLL）")
    folders = folders or dll_folders()
    names = xlwings_dll_names(version)
    need = [excel_bits] if excel_bits in names else [64, 32]
    found = {b: next((d / names[b] for d in folders if (d / names[b]).is_file()), None) for b in need}
    missing = [names[b] for b, path in found.items() if path is None]
    if missing:
        return Check("xlwings", FAIL, f"{version}，缺少 {'、'.join(missing)}（查找了 {'、'.join(map(str, folders))}）",
                     "xlwings 不是用 Windows 64 位安装包装的（32 位 Python 只能得到不含 DLL 的通用包）："
                     "删除 venv 文件夹，装 64 位 Python 后用本安装包重新运行 install.bat。")
    return Check("xlwings", OK, f"{version}，{'、'.join(str(p) for p in found.values())}")


def check_addin(platform: str | None = None, home: Path | None = None, env: dict | None = None,
                expected: dict[str, bytes] | None = None) -> Check:
    """The add-in in XLSTART/Startup: its build (zh/en), its xlwings, and whether it is byte for byte
    what this installation builds (``expected``: locale → bytes; default ``xlam.package_bytes``)."""
    import xlwings

    from addin.excel.install import layout
    from addin.excel.xlam import LOCALES, package_bytes
    from addin.excel.xlam_info import read_info
    from workbook_templates.errors import ReadError

    where = layout(platform, home, env)
    if where is None:
        return Check("加载项", NA, "此系统没有 Excel 桌面加载项（Windows/macOS 才安装）")
    path = where.addin_path
    reinstall = "退出 Excel 后重新运行 jixiao addin install（或重新运行 install.bat）。"
    if not path.is_file():
        return Check("加载项", FAIL, f"{path} 不存在", reinstall)
    try:
        info = read_info(path)
    except ReadError as exc:
        return Check("加载项", FAIL, f"{path} 无法读取（{exc}）", reinstall)
    if info.xlwings_version != xlwings.__version__:
        return Check("加载项", FAIL, f"{path} 带的是 xlwings {info.xlwings_version or '未知版本'}，"
                     f"本机装的是 xlwings {xlwings.__version__}（Excel 会找不到 DLL）", reinstall)
    if expected is None:
        expected = {loc: package_bytes("xlam", loc) for loc in LOCALES}
    data = path.read_bytes()
    built = next((loc for loc, b in expected.items() if b == data), None)
    if built is None:
        return Check("加载项", FAIL, f"{path} 与本机安装的 jixiao 版本不一致", reinstall)
    return Check("加载项", OK, f"{path}（{LOCALES[built].title}，xlwings {info.xlwings_version}，与本机版本一致）")


def check_config(python: str | None = None, platform: str | None = None, home: Path | None = None,
                 env: dict | None = None) -> Check:
    """The xlwings configuration the add-in reads: interpreter exists, functions module is ours."""
    from addin.excel.install import config_encoding, layout, read_config, settings

    where = layout(platform, home, env)
    if where is None:
        return Check("xlwings 配置", NA, "此系统不使用加载项配置")
    conf = read_config(where.config_file, config_encoding(where.platform))
    if not conf:
        return Check("xlwings 配置", FAIL, f"{where.config_file} 不存在",
                     "退出 Excel 后运行 jixiao addin install。")
    want = settings(python, where.platform)
    problems = []
    key = "INTERPRETER_WIN" if where.platform == "win32" else "INTERPRETER_MAC"
    interp = conf.get(key, "")
    if not interp or not Path(interp).is_file():
        problems.append(f"{key} = {interp or '（空）'}，文件不存在")
    if conf.get("UDF MODULES") != want["UDF MODULES"]:
        problems.append(f"UDF MODULES = {conf.get('UDF MODULES') or '（空）'}，应为 {want['UDF MODULES']}")
    if conf.get("ADD_WORKBOOK_TO_PYTHONPATH", "").lower() != "false":
        problems.append("ADD_WORKBOOK_TO_PYTHONPATH 不是 false（工作簿旁的同名文件夹可能被误用）")
    if problems:
        return Check("xlwings 配置", FAIL, f"{where.config_file}：{'；'.join(problems)}",
                     "退出 Excel 后重新运行 jixiao addin install。")
    return Check("xlwings 配置", OK, f"{where.config_file}（{key} = {interp}）")


def check_pdf(platform: str | None = None) -> Check:
    from workbook_templates.libreoffice import find_soffice

    from .report.pdf import word_available

    if word_available(platform):
        return Check("导出PDF", OK, "Microsoft Word")
    soffice = find_soffice()
    if soffice:
        return Check("导出PDF", OK, f"LibreOffice（{soffice}）")
    return Check("导出PDF", FAIL, "未找到 Word 或 LibreOffice",
                 "安装 Microsoft Word 或免费的 LibreOffice；不装也能生成 Word 报告，再在 Word/WPS 中“另存为 PDF”。")


def check_fonts() -> Check:
    from .report.charts import cjk_font

    font = cjk_font()
    if font:
        return Check("图表中文字体", OK, font)
    return Check("图表中文字体", FAIL, "未找到可显示中文的字体：报告照常生成，但不含图表",
                 "安装中文字体（Windows 自带微软雅黑；Linux：apt install fonts-noto-cjk）。")


def check_pack() -> Check:
    """The template pack 插入模板 lists (``addin.packs``): the shared folder of the add-in's
    configuration, else the installed copy; one that is configured but unreadable is a failure."""
    from workbook_templates.errors import ReadError

    from .packs import installed_dir, load_pack, shared_folder

    problems = []
    for kind, folder in (("共享文件夹", shared_folder()), ("已安装的模板包", str(installed_dir()))):
        if not folder or (kind != "共享文件夹" and not installed_dir().is_dir()):
            continue
        try:
            pack = load_pack(folder)
        except ReadError as exc:
            problems.append(f"{kind} {folder} 无法使用：{exc.message}")
            continue
        detail = f"{pack.label}（{kind} {folder}）" + (f"；{'；'.join(problems)}" if problems else "")
        return Check("模板包", FAIL if problems else OK, detail,
                     "检查共享文件夹能否访问，或重新执行 jixiao pack install --shared <文件夹>。")
    if problems:
        return Check("模板包", FAIL, "；".join(problems) + "；“插入模板”只列出标准模板",
                     "检查共享文件夹能否访问，或用 jixiao pack install 模板包.zip 重新安装。")
    return Check("模板包", NA, "未安装（“插入模板”列出标准模板）")


def run_checks() -> list[Check]:
    """All checks for this machine."""
    platform = sys.platform
    excel = find_excel()
    excel_check = check_excel(excel, platform)
    excel_bits = pe_bitness(excel) if excel else None
    return [check_python(), check_xlwings(platform, excel_bits), excel_check, check_addin(),
            check_config(), check_pack(), check_pdf(), check_fonts()]


def report(checks: list[Check]) -> str:
    from workbook_templates.version import version

    lines = [f"jixiao {version()} 自检："] + [c.line() for c in checks]
    failed = sum(c.status == FAIL for c in checks)
    lines.append(f"有 {failed} 项需要处理（见 → 后的说明）。" if failed else "全部正常。")
    return "\n".join(lines)
