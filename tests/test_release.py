"""`make dist` (addin.release.build_dist): the wheel, the Windows offline bundle and SHA256SUMS,
built here on Linux and checked with tools other than the builder: packaging's tag rules (what
pip on Windows accepts), pip's own resolver in --no-index mode, the PE headers of the DLLs,
oletools reading the add-in's VBA, and the documents the IT colleague follows.

Needs PyPI the first time (``pip download``); the downloads are cached in ``dist/cache`` of the
checkout (pip's HTTP cache and the finished wheelhouse), so later runs are offline and quick."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name, parse_wheel_filename

from addin.release import BAT_ENCODING, PYTHONS, build_dist, supported_tags
from workbook_templates.version import version

ROOT = Path(__file__).resolve().parent.parent
VERSION = version()
BUNDLE = f"jixiao-{VERSION}-windows-x64"


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    return build_dist(out, cache=ROOT / "dist" / "cache")


@pytest.fixture(scope="module")
def bundle(dist, tmp_path_factory):
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(dist["bundle"]) as zf:
        assert all(n.startswith(f"{BUNDLE}/") for n in zf.namelist())
        zf.extractall(folder)
    return folder / BUNDLE


def wheels(bundle: Path) -> list[Path]:
    return sorted((bundle / "wheelhouse").glob("*.whl"))


def test_dist_files_and_checksums(dist):
    assert dist["wheel"].name == f"jixiao-{VERSION}-py3-none-any.whl"
    assert dist["bundle"].name == f"{BUNDLE}.zip"
    lines = dist["sums"].read_text("utf-8").splitlines()
    assert sorted(lines) == sorted(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}"
                                   for p in (dist["wheel"], dist["bundle"]))


def test_bundle_layout_and_its_checksums(bundle):
    for name in ("install.bat", "install.ps1", "使用说明.txt", "jixiao.xlam", "jixiao-en.xlam", "LICENSE", "CHANGELOG.md",
                 "SHA256SUMS", f"wheelhouse/jixiao-{VERSION}-py3-none-any.whl"):
        assert (bundle / name).is_file(), name
    # sha256sum -c, done by hand: every file listed, every hash right
    listed = {}
    for line in (bundle / "SHA256SUMS").read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == files
    assert all(hashlib.sha256((bundle / n).read_bytes()).hexdigest() == d for n, d in listed.items())


def test_every_wheel_is_windows_x64_or_pure(bundle):
    for w in wheels(bundle):
        _, _, _, tags = parse_wheel_filename(w.name)
        assert all(t.platform in ("win_amd64", "any") for t in tags), w.name


@pytest.mark.parametrize("python", PYTHONS)
def test_every_distribution_installs_on_that_python(bundle, python):
    """For each CPython of the bundle, every project has a wheel Windows x64 accepts (pip's tag rules)."""
    ok = supported_tags(python)
    names = {canonicalize_name(parse_wheel_filename(w.name)[0]) for w in wheels(bundle)}
    installable = {canonicalize_name(parse_wheel_filename(w.name)[0]) for w in wheels(bundle)
                   if parse_wheel_filename(w.name)[3] & ok}
    assert names == installable, names - installable
    assert "pywin32" in installable          # xlwings needs it on Windows (a marker pip evaluates for Linux)


@pytest.mark.parametrize("python", PYTHONS)
def test_pip_resolves_offline_from_the_wheelhouse(bundle, python, tmp_path):
    """pip itself, with --no-index: the jixiao wheel and all its dependencies come from wheelhouse/."""
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--report", "-",
                           "--no-index", "--find-links", str(bundle / "wheelhouse"), "--platform", "win_amd64",
                           "--python-version", python, "--implementation", "cp", "--only-binary=:all:",
                           "--target", str(tmp_path / "t"), "--ignore-installed", "jixiao"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert '"name": "jixiao"' in proc.stdout and '"name": "xlwings"' in proc.stdout


def test_xlwings_dlls_are_in_the_bundled_xlwings(bundle):
    """Both DLLs the add-in's VBA loads, in every bundled xlwings wheel, with the bitness their
    names promise (read from their PE headers)."""
    from addin.doctor import pe_bitness

    xl = [w for w in wheels(bundle) if w.name.startswith("xlwings-")]
    assert len(xl) == len(PYTHONS)
    for w in xl:
        v = parse_wheel_filename(w.name)[1]
        with zipfile.ZipFile(w) as zf:
            for bits in (32, 64):
                name = f"xlwings-{v}.data/data/xlwings{bits}-{v}.dll"
                assert name in zf.namelist(), (w.name, name)
                dll = bundle.parent / f"xlwings{bits}.dll"
                dll.write_bytes(zf.read(name))
                assert pe_bitness(dll) == bits


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_addin_carries_the_bundled_xlwings(bundle, locale):
    """oletools reads the VBA of both add-ins: xlwings' module names the same version (and DLL file
    names) as the xlwings wheels of wheelhouse/; and each file is what `jixiao addin install` builds
    on the PC for that code page (same bytes), so install.bat may build instead of copy."""
    from oletools.olevba import VBA_Parser

    from addin.excel.xlam import package_bytes
    from addin.release import ADDIN_FILES

    versions = {str(parse_wheel_filename(w.name)[1]) for w in wheels(bundle) if w.name.startswith("xlwings-")}
    assert len(versions) == 1
    (xl,) = versions
    path = bundle / ADDIN_FILES[locale]
    parser = VBA_Parser(str(path))
    try:
        code = {name: src for _, _, name, src in parser.extract_macros()}
    finally:
        parser.close()
    src = next(s for n, s in code.items() if "XLWINGS_VERSION" in s)
    assert re.search(r'Public Const XLWINGS_VERSION As String = "([^"]+)"', src).group(1) == xl
    assert f'Lib "xlwings64-{xl}.dll"' in src and f'Lib "xlwings32-{xl}.dll"' in src
    assert ("预算执行率" in "".join(code.values())) == (locale == "zh")
    assert path.read_bytes() == package_bytes("xlam", locale)


def test_templates(bundle):
    from openpyxl import load_workbook

    from workbook_templates.builder import template_ids

    for tid in template_ids():
        wb = load_workbook(bundle / "templates" / f"{tid}.xlsx")
        assert wb["_meta"]["B1"].value == tid


def documented_commands(script: str, kind: str) -> list[str]:
    """The install script's commands as a person types them (C:\\jixiao, py -3.12-64, no quotes)."""
    out = []
    for line in script.splitlines():
        line = line.strip()
        if not re.search(r"-m venv|-m pip install|jixiao\.exe\" (addin|doctor)", line):
            continue
        line = line.split(" || ")[0]
        if kind == "bat":
            line = line.replace("%PY%", "py -3.12-64").replace("%JIXIAO%", r"C:\jixiao")
        else:
            line = line.removeprefix("& ").replace("$exe @rest", "py -3.12-64").replace("$Jixiao", r"C:\jixiao")
        out.append(line.replace('"', ""))
    return out


def test_install_scripts_run_the_documented_commands(bundle):
    bat = (bundle / "install.bat").read_bytes()
    assert b"\r\n" in bat and b"\n" not in bat.replace(b"\r\n", b"")      # cmd.exe wants CRLF
    bat_cmds = documented_commands(bat.decode(BAT_ENCODING), "bat")
    ps1 = (bundle / "install.ps1").read_bytes()
    assert ps1.startswith(b"\xef\xbb\xbf")                                  # PowerShell 5.1 reads UTF-8 only with a BOM
    ps1_cmds = documented_commands(ps1[3:].decode("utf-8"), "ps1")
    assert bat_cmds == ps1_cmds
    assert bat_cmds[0] == r"py -3.12-64 -m venv C:\jixiao\venv"
    assert any("--no-index --find-links wheelhouse" in c for c in bat_cmds)
    assert any(c.endswith(r"Scripts\jixiao.exe addin install") for c in bat_cmds)
    guide = (bundle / "使用说明.txt").read_bytes()[3:].decode("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    windows = (ROOT / "docs" / "windows-install.md").read_text("utf-8")
    for cmd in bat_cmds:
        assert cmd in guide, cmd
        assert cmd in readme, cmd
        assert cmd in windows, cmd
    assert VERSION in guide and "{version}" not in guide


def test_installed_wheel_works_without_the_checkout(dist, tmp_path):
    """The wheel alone (installed with --target, the checkout not on sys.path) holds every data
    file: it builds the add-in and a template and runs the help."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target",
                    str(site), str(dist["wheel"])], check=True, capture_output=True, timeout=300)
    code = ("import addin, jixiao_entry, pathlib, sys; from addin.cli import main\n"
            "assert pathlib.Path(addin.__file__).is_relative_to(sys.argv[1]), addin.__file__\n"
            "from addin.excel.xlam import build; build('a.xlam')\n"
            "from workbook_templates.builder import build_template, template_ids\n"
            "[build_template(t, t + '.xlsx') for t in template_ids()]\n"
            "sys.exit(main(['--version']))\n")
    proc = subprocess.run([sys.executable, "-c", code, str(site)], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"jixiao {VERSION}"
    assert (tmp_path / "a.xlam").stat().st_size > 10000
