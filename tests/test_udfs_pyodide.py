"""Issue #14 (9): the worksheet functions as a pure-Python wheel (``jixiao addin build-udfs``)
that Pyodide — the Python of xlwings Lite — loads and runs: the function table's examples are
evaluated inside Pyodide (npm package ``pyodide``, Node, no network: the wheel is unpacked into
its site-packages from the local file) and compared with CPython. Skipped where Node or the
pyodide package is absent (.ci/install-pyodide.sh installs it into .cache/pyodide).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from addin.excel.udfs_dist import build_udfs_wheel
from tests import udfs_examples

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = Path(os.environ.get("JIXIAO_PYODIDE") or ROOT / ".cache" / "pyodide" / "node_modules" / "pyodide")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_udfs_wheel(tmp_path_factory.mktemp("wheel"))


def test_wheel_holds_udfs_only_and_is_reproducible(wheel, tmp_path):
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert all(n.startswith(("udfs/", "jixiao_udfs-")) for n in names)
    assert "udfs/registry.py" in names and any(n.startswith("udfs/profiles/") and n.endswith(".json") for n in names)
    assert not any(n.endswith((".so", ".pyd", ".pyc")) for n in names)
    assert build_udfs_wheel(tmp_path).read_bytes() == wheel.read_bytes()


def test_wheel_installs_and_works_without_the_rest_of_jixiao(wheel, tmp_path):
    """pip installs it (RECORD, METADATA valid); udfs imports from there alone."""
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target),
                    str(wheel)], check=True, capture_output=True)
    code = ("import sys; sys.path[:0] = [sys.argv[1]]; import udfs; "
            "assert udfs.__file__.startswith(sys.argv[1]), udfs.__file__; "
            "print(udfs.FUNCTIONS['预算执行率'](1521.57, 1600)); "
            "print(sorted(m for m in ('addin', 'workbook_templates', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-I", "-c", code, str(target)], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0.9510", "[]"]


def test_examples_show_what_the_table_says():
    """The examples' shown values ("→ 95.10%") are those the functions give (formatted as Excel would)."""
    res = udfs_examples.results()
    assert len(res) > 4
    for example, r in res.items():
        if example == "modules":
            continue
        shown = example.split("→")[1].strip()
        value = float(r["excel"])
        text = f"{value * 100:.2f}%" if shown.endswith("%") else (f"{value:g}" if "." not in shown else f"{value:.2f}")
        assert text == shown, example


@pytest.mark.skipif(shutil.which("node") is None or not (PYODIDE / "pyodide.mjs").exists(),
                    reason="Node 或 pyodide（npm）未安装")
def test_examples_in_pyodide_match_cpython(wheel):
    proc = subprocess.run(["node", str(Path(__file__).parent / "pyodide_runner.mjs"), str(PYODIDE), str(wheel),
                           str(Path(udfs_examples.__file__))], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["platform"] == "emscripten"
    assert got["results"] == udfs_examples.results()
