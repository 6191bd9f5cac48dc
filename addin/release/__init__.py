"""`make dist`: the wheel and the Windows offline bundle, built on Linux.

``dist/`` receives ``jixiao-<version>-py3-none-any.whl``, ``jixiao-<version>-windows-x64.zip`` and
``SHA256SUMS``. The zip holds one folder with:

* ``wheelhouse/`` — the wheel and every dependency for Windows x64, CPython 3.11 and 3.12, fetched
  with ``pip download --platform win_amd64 --python-version … --only-binary=:all:`` (the
  win_amd64 xlwings wheel is the one that carries ``xlwings32/64-<v>.dll``). pip evaluates
  environment markers for *this* machine, so requirements marked for Windows (xlwings' pywin32)
  would be missing; ``close_wheelhouse`` adds whatever the wheels require under Windows markers.
  xlwings is pinned to the version installed here, so
* ``jixiao.xlam`` (中文版) and ``jixiao-en.xlam`` (English build for a non-936 code page) — built
  here, carrying exactly the bundled xlwings' VBA module (checked). ``install.bat`` runs
  ``jixiao addin install``, which picks the build by the PC's code page and writes the same bytes
  (the build is reproducible, its xlwings is the bundled one); the files are there to hand out;
* ``templates/`` — every standard template; ``install.bat``/``install.ps1``/``使用说明.txt``
  (this folder), ``LICENSE``, ``CHANGELOG.md`` and a ``SHA256SUMS`` of the bundle's files.

Downloads are cached under ``dist/cache`` (pip's HTTP cache, and the finished wheelhouse keyed by
the requirements), so a rebuild with unchanged dependencies needs no network.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PYTHONS = ("3.11", "3.12")
PLATFORM = "win_amd64"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
WINDOWS_MARKERS = {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
                   "platform_machine": "AMD64", "platform_python_implementation": "CPython",
                   "implementation_name": "cpython"}
ADDIN_FILES = {"zh": "jixiao.xlam", "en": "jixiao-en.xlam"}
BAT_ENCODING = "cp936"          # cmd.exe reads .bat files in the console code page (936 on Chinese Windows)


class ReleaseError(RuntimeError):
    pass


def canonical(name: str) -> str:
    """PEP 503 normalised project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_tags(filename: str) -> tuple[str, str, str, str, str]:
    """(name, version, python tag, abi tag, platform tag) of a wheel file name (PEP 427)."""
    parts = filename[:-4].split("-")
    if len(parts) not in (5, 6):
        raise ReleaseError(f"not a wheel file name: {filename}")
    return parts[0], parts[1], parts[-3], parts[-2], parts[-1]


def wheel_metadata(path: Path) -> tuple[str, str, list[str]]:
    """(name, version, Requires-Dist lines) from a wheel's METADATA."""
    from email.parser import Parser

    with zipfile.ZipFile(path) as zf:
        meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        msg = Parser().parsestr(zf.read(meta).decode("utf-8"))
    return msg["Name"], msg["Version"], msg.get_all("Requires-Dist") or []


def windows_requirements(requires: list[str], python: str) -> list[str]:
    """The requirements that apply on Windows x64 under CPython ``python`` (no extras)."""
    from packaging.requirements import Requirement

    env = {**WINDOWS_MARKERS, "python_version": python, "python_full_version": f"{python}.0", "extra": ""}
    out = []
    for line in requires:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(env):
            out.append(str(Requirement(f"{req.name}{req.specifier}")))
    return out


def pip_download(requirements: list[str], dest: Path, python: str, cache: Path,
                 constraints: Path | None = None) -> None:
    cmd = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--quiet",
           "--dest", str(dest), "--platform", PLATFORM, "--python-version", python, "--implementation", "cp",
           "--only-binary=:all:", "--cache-dir", str(cache / "pip")]
    if constraints:
        cmd += ["--constraint", str(constraints)]
    proc = subprocess.run(cmd + requirements, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ReleaseError(f"pip download failed ({python}): {proc.stderr.strip()[-2000:]}")


def supported_tags(python: str) -> set:
    """The wheel tags CPython ``python`` on Windows x64 installs, in pip's own terms."""
    from packaging import tags

    v = tuple(int(x) for x in python.split("."))
    return {*tags.cpython_tags(v, platforms=[PLATFORM]), *tags.compatible_tags(v, platforms=[PLATFORM])}


def _compatible(filename: str, python: str) -> bool:
    from packaging.utils import parse_wheel_filename

    return bool(parse_wheel_filename(filename)[3] & supported_tags(python))


def close_wheelhouse(house: Path, python: str, cache: Path, constraints: Path | None = None) -> list[str]:
    """Download what the wheels of ``house`` require on Windows but pip left out (markers
    evaluated for Linux). Returns the requirements added."""
    added: list[str] = []
    for _ in range(10):
        present = {canonical(wheel_tags(w.name)[0]) for w in house.glob("*.whl") if _compatible(w.name, python)}
        missing = []
        for w in house.glob("*.whl"):
            if not _compatible(w.name, python):
                continue
            for req in windows_requirements(wheel_metadata(w)[2], python):
                name = canonical(re.split(r"[<>=!~ \[;]", req, maxsplit=1)[0])
                if name not in present and req not in missing:
                    missing.append(req)
        if not missing:
            return added
        pip_download(missing, house, python, cache, constraints)
        added += missing
    raise ReleaseError("wheelhouse did not close after 10 rounds")


def build_wheel(dist: Path, cache: Path) -> Path:
    """``pip wheel`` of the source tree (isolated build) into ``dist``."""
    from workbook_templates.version import version

    out = dist / f"jixiao-{version()}-py3-none-any.whl"
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-src-") as tmp:
        src = Path(tmp) / "src"           # a clean copy: no build/ or egg-info left in the checkout
        shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
            ".venv", ".git", "dist", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache",
            ".hypothesis", "demo-output", "tests", "benchmarks"))
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--disable-pip-version-check", "--quiet",
                               "--no-deps", "--cache-dir", str(cache / "pip"), "-w", str(dist), str(src)],
                              capture_output=True, text=True)
    if proc.returncode != 0 or not out.exists():
        raise ReleaseError(f"pip wheel failed: {proc.stderr.strip()[-2000:]}")
    return out


def wheelhouse(wheel: Path, cache: Path) -> Path:
    """The dependencies of ``wheel`` for every Python of ``PYTHONS`` (cached by requirement set)."""
    import xlwings

    _, _, requires = wheel_metadata(wheel)
    pins = [f"xlwings=={xlwings.__version__}"]
    key = hashlib.sha256(json.dumps([sorted(requires), pins, PYTHONS, PLATFORM]).encode()).hexdigest()[:16]
    house = cache / f"wheelhouse-{key}"
    if (house / ".complete").exists():
        return house
    house.mkdir(parents=True, exist_ok=True)
    constraints = cache / f"constraints-{key}.txt"
    constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
    for python in PYTHONS:
        reqs = windows_requirements(requires, python)
        pip_download(reqs, house, python, cache, constraints)
        close_wheelhouse(house, python, cache, constraints)
    (house / ".complete").write_text(json.dumps({"requires": requires, "pins": pins}), encoding="utf-8")
    return house


def bundled_xlwings(house: Path) -> str:
    versions = {wheel_tags(w.name)[1] for w in house.glob("*.whl") if canonical(wheel_tags(w.name)[0]) == "xlwings"}
    if len(versions) != 1:
        raise ReleaseError(f"wheelhouse should hold one xlwings version, has {sorted(versions) or 'none'}")
    return versions.pop()


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_sums(folder: Path, files: list[Path]) -> Path:
    """``SHA256SUMS`` in ``sha256sum``'s format (paths relative to ``folder``, forward slashes)."""
    lines = [f"{sha256(f)}  {f.relative_to(folder).as_posix()}\n" for f in sorted(files)]
    out = folder / "SHA256SUMS"
    out.write_text("".join(lines), encoding="utf-8", newline="\n")
    return out


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def stage_bundle(stage: Path, wheel: Path, house: Path, version: str) -> None:
    """Lay out the bundle's folder ``stage``."""
    import xlwings

    from addin.excel.xlam import LOCALES
    from addin.excel.xlam import build as build_xlam
    from workbook_templates.builder import build_template, template_ids

    xl = bundled_xlwings(house)
    if xl != xlwings.__version__:
        raise ReleaseError(f"the add-in would carry xlwings {xlwings.__version__}, the wheelhouse has {xl}")
    (stage / "wheelhouse").mkdir(parents=True)
    for w in sorted(house.glob("*.whl")):
        if canonical(wheel_tags(w.name)[0]) != "jixiao":
            shutil.copy2(w, stage / "wheelhouse" / w.name)
    shutil.copy2(wheel, stage / "wheelhouse" / wheel.name)
    for locale in LOCALES:
        build_xlam(stage / ADDIN_FILES[locale], locale=locale)
    (stage / "templates").mkdir()
    for tid in template_ids():
        build_template(tid, stage / "templates" / f"{tid}.xlsx")
    (stage / "install.bat").write_bytes(_crlf((HERE / "install.bat").read_text("utf-8")).encode(BAT_ENCODING))
    (stage / "install.ps1").write_bytes(b"\xef\xbb\xbf" + _crlf((HERE / "install.ps1").read_text("utf-8")).encode())
    guide = (HERE / "使用说明.txt").read_text("utf-8").replace("{version}", version)
    (stage / "使用说明.txt").write_bytes(b"\xef\xbb\xbf" + _crlf(guide).encode())
    for name in ("LICENSE", "CHANGELOG.md"):
        if (ROOT / name).exists():
            (stage / name).write_bytes(_crlf((ROOT / name).read_text("utf-8")).encode())
    write_sums(stage, [p for p in stage.rglob("*") if p.is_file()])


def zip_folder(folder: Path, out: Path) -> Path:
    """A zip of ``folder`` (its name as the top folder), entries sorted, fixed dates, UTF-8 names."""
    tmp = out.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(out)
    return out


def build_dist(dist: str | Path = "dist", cache: str | Path | None = None) -> dict[str, Path]:
    """Everything under ``dist``: the wheel, the Windows bundle, SHA256SUMS. Returns their paths."""
    from workbook_templates.version import version

    if not (ROOT / "pyproject.toml").is_file():
        raise ReleaseError(f"make dist runs in a source checkout (no pyproject.toml in {ROOT})")
    dist = Path(dist).resolve()
    cache = Path(cache).resolve() if cache else dist / "cache"
    dist.mkdir(parents=True, exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    v = version()
    wheel = build_wheel(dist, cache)
    house = wheelhouse(wheel, cache)
    name = f"jixiao-{v}-windows-x64"
    with tempfile.TemporaryDirectory(prefix="jixiao-bundle-") as tmp:
        stage = Path(tmp) / name
        stage_bundle(stage, wheel, house, v)
        bundle = zip_folder(stage, dist / f"{name}.zip")
    sums = write_sums(dist, [wheel, bundle])
    return {"wheel": wheel, "bundle": bundle, "sums": sums}
