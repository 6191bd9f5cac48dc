"""A pure-Python wheel of the worksheet functions alone (``udfs``) — what xlwings Lite (Pyodide,
in Excel 365 / Excel on the web) can install: ``jixiao`` itself needs python-calamine, which has
no Pyodide build. ``jixiao addin build-udfs -o DIR`` writes ``jixiao_udfs-<version>-py3-none-any.whl``.

Every file under ``udfs/`` goes in (modules and their data, e.g. ``profiles/*.json``), so new
modules are picked up without a list; a compiled file is refused. The third-party packages udfs
imports at module level become ``Requires-Dist`` (found through the installed distributions), so
the wheel cannot silently lack one; xlwings is left out — Lite provides it and only
``udfs.excel`` / ``udfs.lite`` use it.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from workbook_templates.errors import WriteError
from workbook_templates.fileio import atomic_path

UDFS = Path(__file__).resolve().parents[2] / "udfs"
DIST_NAME = "jixiao-udfs"
PROVIDED_BY_LITE = {"xlwings"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def version() -> str:
    try:
        return metadata.version("jixiao")
    except metadata.PackageNotFoundError:  # running from a checkout that is not installed
        import tomllib

        root = UDFS.parent / "pyproject.toml"
        return tomllib.loads(root.read_text(encoding="utf-8"))["project"]["version"]


def package_files() -> list[Path]:
    files = sorted(p for p in UDFS.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    compiled = [p for p in files if p.suffix in (".so", ".pyd", ".dll", ".dylib")]
    if compiled:
        raise WriteError(f"udfs 中有编译文件，无法生成纯 Python 安装包：{', '.join(p.name for p in compiled)}")
    return files


def third_party_imports() -> set[str]:
    """Top-level names of non-stdlib packages udfs imports (anywhere in its modules)."""
    names: set[str] = set()
    for path in UDFS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "udfs" and n not in PROVIDED_BY_LITE}


def requirements() -> list[str]:
    """``Requires-Dist`` lines: the distribution (and installed version) of every third-party import."""
    dists = metadata.packages_distributions()
    out = []
    for name in sorted(third_party_imports()):
        if name not in dists:
            raise WriteError(f"udfs 导入了 {name}，但找不到提供它的已安装包；请先安装后再生成。")
        dist = dists[name][0]
        out.append(f"{dist}>={metadata.version(dist)}")
    return out


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_udfs_wheel(out_dir: str | Path) -> Path:
    """Write the wheel into ``out_dir`` (atomically, reproducibly); returns its path."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise WriteError(f"文件夹不存在：{out_dir}")
    ver = version()
    tag = f"jixiao_udfs-{ver}"
    info = f"{tag}.dist-info"
    entries = [(f"udfs/{p.relative_to(UDFS).as_posix()}", p.read_bytes()) for p in package_files()]
    meta = "\n".join(["Metadata-Version: 2.1", f"Name: {DIST_NAME}", f"Version: {ver}",
                      "Summary: 绩效自评工作表函数（纯 Python，可在 Pyodide / xlwings Lite 中使用）",
                      "Requires-Python: >=3.10", *(f"Requires-Dist: {r}" for r in requirements())]) + "\n"
    wheel = "Wheel-Version: 1.0\nGenerator: jixiao\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    entries += [(f"{info}/METADATA", meta.encode()), (f"{info}/WHEEL", wheel.encode()),
                (f"{info}/top_level.txt", b"udfs\n")]
    record = "\n".join([_record_line(n, d) for n, d in entries] + [f"{info}/RECORD,,"]) + "\n"
    entries.append((f"{info}/RECORD", record.encode()))
    path = out_dir / f"{tag}-py3-none-any.whl"
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data)
    return path
