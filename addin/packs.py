"""Template packs: a 财政局 builds its province's templates once, every unit installs them.

A pack is a folder or a .zip holding::

    manifest.json          issuer, year, version, title; the profile; every file with its sha256
    profile.json           the resolved rule profile (after ``extends``)
    templates/<id>.xlsx    our templates built with that profile (``_meta`` embeds it)
    report/<name>.docx     optional: the report template (docxtpl) for ``jixiao report``

``build_pack(pack.json, out.zip)`` makes one from a small source manifest (issuer, year, version,
profile path, template ids, optional report template). ``install_pack(zip or folder)`` copies it
to ``<jixiao home>/pack`` (``JIXIAO_HOME``, default ``~/.jixiao``), where ``jixiao template`` and
the ribbon's 插入模板 take their templates from; ``install_pack(folder, shared=True)`` records a
shared folder (``\\\\财政局\\绩效模板``) as ``PACK_FOLDER`` in the add-in's configuration instead, read
live each time, so a 财政局 updates one folder and every unit sees the new version.

A pack is untrusted input: zip members are checked (count, sizes, compression ratio, CRC while
inflating, names — no absolute paths, no ``..``, nothing outside the expected folders, no links);
every file's sha256 must match the manifest; each template passes ``safety.preflight`` and must be
one of ours carrying the pack's profile; the profile is checked by ``meta.profile_problems``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from udfs import InputError, Profile, load_profile
from workbook_templates.errors import ReadError, WriteError
from workbook_templates.fileio import atomic_path
from workbook_templates.meta import META_SHEET, profile_digest, profile_problems, read_meta

MANIFEST = "manifest.json"
PROFILE = "profile.json"
FORMAT = 1
MAX_MEMBERS = 200
MAX_FILE = 32 * 1024 * 1024          # one member, uncompressed
MAX_TOTAL = 128 * 1024 * 1024        # all members
MAX_RATIO = 200
CONFIG_KEY = "PACK_FOLDER"


@dataclass
class Pack:
    """A checked pack on disk (a folder): its manifest, profile and files."""

    root: Path
    manifest: dict[str, Any]
    profile: Profile
    profile_path: Path
    templates: dict[str, Path] = field(default_factory=dict)       # template id → .xlsx
    report_template: Path | None = None

    @property
    def label(self) -> str:
        m = self.manifest
        return f"{m.get('title') or '模板包'}（{m.get('issuer', '')} {m.get('year', '')} 版本 {m.get('version', '')}）"

    def info(self) -> dict[str, Any]:
        """What ``_meta`` records of the pack (and what --expect-pack compares)."""
        m = self.manifest
        return {k: m.get(k) for k in ("title", "issuer", "year", "version")}

    def template_entry(self, tid: str) -> dict[str, Any] | None:
        return next((t for t in self.manifest.get("templates", []) if t.get("id") == tid), None)


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------- build


def _source_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"找不到模板包说明文件：{path}") from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError(f"模板包说明文件 {path} 不是有效的 JSON（{type(exc).__name__}：{str(exc)[:200]}）") from None
    if not isinstance(data, dict):
        raise InputError(f"模板包说明文件 {path} 应为 JSON 对象")
    missing = [k for k in ("issuer", "year", "version", "profile", "templates") if not data.get(k)]
    if missing:
        raise InputError(f"模板包说明文件 {path} 缺少：{'、'.join(missing)}"
                         "（示例：{\"issuer\": \"某省财政厅\", \"year\": 2026, \"version\": \"2026.1\", "
                         "\"profile\": \"my-province.json\", \"templates\": [\"project\"]}）")
    if not isinstance(data["templates"], list) or not all(isinstance(t, str) for t in data["templates"]):
        raise InputError("模板包说明文件的 templates 应为模板编号列表，如 [\"project\", \"budget-execution\"]")
    return data


def build_pack(source: str | os.PathLike, out: str | os.PathLike) -> Path:
    """Build a pack .zip from a source manifest (paths in it are relative to its folder)."""
    from workbook_templates.builder import build_template, load_spec, resolve_id

    source, out = Path(source), Path(out)
    if out.suffix.lower() != ".zip":
        raise WriteError(f"模板包应保存为 .zip 文件：{out}")
    src = _source_manifest(source)
    base = source.parent
    profile_path = base / str(src["profile"])
    profile = load_profile(str(profile_path)) if profile_path.suffix == ".json" else load_profile(str(src["profile"]))
    problems = profile_problems(profile.data)
    if problems:
        raise InputError(f"评分规则 {src['profile']} 格式不正确：" + "；".join(problems))
    pack_info = {"title": src.get("title") or f"{src['issuer']}绩效自评模板包", "issuer": str(src["issuer"]),
                 "year": src["year"], "version": str(src["version"])}
    with tempfile.TemporaryDirectory(prefix="jixiao-pack-") as tmp:
        root = Path(tmp)
        (root / "templates").mkdir()
        entries = []
        for name in src["templates"]:        # a template id, or a province's layout file (.json)
            if name.lower().endswith(".json"):
                from workbook_templates.layout import load_layout

                spec = load_layout(base / name)
            else:
                spec = load_spec(resolve_id(name))
            tid = spec["id"]
            if any(e["id"] == tid for e in entries):
                raise InputError(f"模板包说明文件的 templates 中“{tid}”出现两次（表样“{name}”也基于它）；每张模板只能有一个版本")
            path = build_template(spec, root / "templates" / f"{tid}.xlsx", profile, pack=pack_info)
            entries.append({"id": tid, "title": spec["title"], "version": spec["version"],
                            **({"layout": spec["layout"]} if spec.get("layout") else {}),
                            "file": f"templates/{tid}.xlsx", "sha256": _sha(path)})
        (root / PROFILE).write_text(json.dumps(profile.data, ensure_ascii=False, indent=1), encoding="utf-8")
        manifest: dict[str, Any] = {
            "format": FORMAT, **pack_info,
            "profile": {"id": profile.id, "title": profile.title, "version": profile.data.get("version"),
                        "file": PROFILE, "sha256": _sha(root / PROFILE), "digest": profile_digest(profile.data)},
            "templates": entries}
        if src.get("report_template"):
            docx = base / str(src["report_template"])
            if docx.suffix.lower() != ".docx" or not docx.is_file():
                raise InputError(f"报告模板应为 .docx 文件：{docx}")
            (root / "report").mkdir()
            shutil.copyfile(docx, root / "report" / docx.name)
            manifest["report_template"] = {"file": f"report/{docx.name}", "sha256": _sha(root / "report" / docx.name)}
        (root / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        with atomic_path(out) as tmp_zip:
            with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as zf:
                for f in sorted(p for p in root.rglob("*") if p.is_file()):
                    zf.write(f, f.relative_to(root).as_posix())
    return out


# ---------------------------------------------------------------- read and check


def _allowed(name: str) -> bool:
    """Only the pack's own files: manifest, profile, templates/*.xlsx, report/*.docx."""
    p = PurePosixPath(name)
    if name.startswith("/") or "\\" in name or ":" in name or any(part in ("..", "") for part in p.parts):
        return False
    if len(p.parts) == 1:
        return name in (MANIFEST, PROFILE)
    return len(p.parts) == 2 and (
        (p.parts[0] == "templates" and p.suffix.lower() == ".xlsx")
        or (p.parts[0] == "report" and p.suffix.lower() == ".docx"))


def extract_zip(path: Path, dest: Path) -> None:
    """Extract a pack zip into ``dest`` with every member checked first (see module doc)."""
    try:
        with open(path, "rb") as fh:
            if not fh.read(4).startswith(b"PK"):
                raise ReadError("不是模板包（.zip 文件）", file=str(path))
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ReadError("模板包已损坏或不完整（zip 结构无法读取）", file=str(path)) from None
    except OSError as exc:
        raise ReadError(f"无法读取模板包（{exc.strerror or exc}）", file=str(path)) from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise ReadError(f"模板包包含的文件过多（{len(infos)} 个），拒绝安装", file=str(path))
        total = 0
        for i in infos:
            if not _allowed(i.filename):
                raise ReadError(f"模板包中有不应出现的文件“{i.filename}”（只允许 manifest.json、profile.json、"
                                "templates/*.xlsx、report/*.docx），拒绝安装", file=str(path))
            if stat.S_ISLNK(i.external_attr >> 16):
                raise ReadError(f"模板包中的“{i.filename}”是符号链接，拒绝安装", file=str(path))
            if i.flag_bits & 0x1:
                raise ReadError("模板包设置了密码（已加密），无法安装", file=str(path))
            total += i.file_size
            if i.file_size > MAX_FILE or total > MAX_TOTAL:
                raise ReadError(f"模板包中的“{i.filename}”解压后过大，疑似“压缩炸弹”，拒绝安装", file=str(path))
            if i.file_size >= 1 << 20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                raise ReadError(f"模板包中的“{i.filename}”压缩比异常，疑似“压缩炸弹”，拒绝安装", file=str(path))
        for i in infos:
            target = dest.joinpath(*PurePosixPath(i.filename).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(i) as src, open(target, "wb") as dst:    # zipfile stops at the size, checks the CRC
                    shutil.copyfileobj(src, dst)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise ReadError(f"模板包中的“{i.filename}”已损坏（{exc}）", file=str(path)) from None


def _json_file(path: Path, what: str) -> Any:
    try:
        if path.stat().st_size > MAX_FILE:
            raise ReadError(f"{what}过大", file=str(path))
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReadError(f"模板包缺少{what}", file=str(path)) from None
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ReadError(f"{what}不是有效的 JSON（{type(exc).__name__}：{str(exc)[:200]}）", file=str(path)) from None


def _member(root: Path, rel: Any, where: str) -> Path:
    if not isinstance(rel, str) or not _allowed(rel):
        raise ReadError(f"模板包清单中的文件名“{rel}”不合规", file=where)
    path = root.joinpath(*PurePosixPath(rel).parts)
    if not path.is_file() or path.is_symlink():
        raise ReadError(f"模板包缺少文件“{rel}”", file=where)
    return path


def load_pack(root: str | os.PathLike, deep: bool = True) -> Pack:
    """A pack folder checked (see module doc); ReadError in Chinese naming what is wrong.
    ``deep=False`` (the 插入模板 menu, rebuilt at every drop-down): manifest, sha256 of every
    file and the profile only — each template's own checks run when it is inserted."""
    from workbook_templates.loaders import load_openpyxl
    from workbook_templates.safety import preflight

    root = Path(root)
    where = str(root)
    if not root.is_dir():
        raise ReadError("模板包文件夹不存在或无法访问", file=where)
    m = _json_file(root / MANIFEST, "清单 manifest.json")
    if not isinstance(m, dict) or m.get("format") != FORMAT or not isinstance(m.get("templates"), list) \
            or not isinstance(m.get("profile"), dict):
        raise ReadError("清单 manifest.json 格式不正确（不是本工具生成的模板包）", file=where)

    def checked(entry: dict[str, Any]) -> Path:
        path = _member(root, entry.get("file"), where)
        if entry.get("sha256") != _sha(path):
            raise ReadError(f"模板包中的“{entry.get('file')}”与清单的校验码不符（文件被改动或不完整）", file=where)
        return path

    profile_path = checked(m["profile"])
    data = _json_file(profile_path, "评分规则 profile.json")
    problems = profile_problems(data)
    if problems:
        raise ReadError("模板包的评分规则格式不正确：" + "；".join(problems[:5]), file=where)
    profile = Profile(id=data["id"], title=data.get("title", data["id"]), data=data)
    pack = Pack(root=root, manifest=m, profile=profile, profile_path=profile_path)
    digest = profile_digest(data)
    for entry in m["templates"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ReadError("清单 manifest.json 的 templates 格式不正确", file=where)
        path = checked(entry)
        if not deep:
            pack.templates[entry["id"]] = path
            continue
        preflight(path)
        meta_grid = load_openpyxl(path).grid(META_SHEET)
        meta = read_meta(meta_grid) if meta_grid is not None else None
        if meta is None or meta.template_id != entry["id"] or meta.profile_data is None \
                or profile_digest(meta.profile_data) != digest or meta.layout_error \
                or meta.layout_id != entry.get("layout"):
            raise ReadError(f"模板包中的“{entry['file']}”不是按包内评分规则生成的“{entry['id']}”模板", file=where)
        pack.templates[entry["id"]] = path
    if m.get("report_template"):
        pack.report_template = checked(m["report_template"])
    return pack


def open_pack(source: str | os.PathLike, workdir: Path) -> Pack:
    """A pack from a .zip (extracted into ``workdir``) or a folder, checked."""
    source = Path(source)
    if source.is_dir():
        return load_pack(source)
    if not source.is_file():
        raise ReadError("模板包不存在", file=str(source))
    extract_zip(source, workdir)
    return load_pack(workdir)


# ---------------------------------------------------------------- install and the active pack


def jixiao_home() -> Path:
    return Path(os.environ.get("JIXIAO_HOME") or Path.home() / ".jixiao")


def installed_dir() -> Path:
    return jixiao_home() / "pack"


def config_file() -> tuple[Path, str]:
    """The add-in's configuration file and its encoding (``addin.excel.install``); under
    ``JIXIAO_HOME`` (or on a system without desktop Excel) ``<home>/jixiao.conf``."""
    from addin.excel import install

    where = None if os.environ.get("JIXIAO_HOME") else install.layout()
    if where is None:
        return jixiao_home() / "jixiao.conf", "utf-8"
    return where.config_file, install.config_encoding(where.platform)


def shared_folder() -> str | None:
    """``PACK_FOLDER`` of the add-in's configuration, if set."""
    from addin.excel import install

    path, encoding = config_file()
    return install.read_config(path, encoding).get(CONFIG_KEY) or None


def install_pack(source: str | os.PathLike, shared: bool = False) -> Pack:
    """Install a pack (zip or folder) as the defaults; ``shared``: record the folder instead."""
    from addin.excel import install

    if shared:
        if not Path(source).is_dir():
            raise ReadError("--shared 后面应为共享文件夹（例如 \\\\财政局\\绩效模板）", file=str(source))
        pack = load_pack(source)
        path, encoding = config_file()
        values = install.read_config(path, encoding)
        values[CONFIG_KEY] = str(source)
        install.write_config(path, values, encoding)
        return pack
    home = jixiao_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".pack-", dir=home))
        staging.chmod(0o755)
    except OSError as exc:
        raise WriteError(f"无法写入 {home}（{exc.strerror or exc}）；可用环境变量 JIXIAO_HOME 指定其他文件夹") from None
    try:
        if Path(source).is_dir():                # only the files the checked manifest lists
            src = load_pack(source)
            files = [src.root / MANIFEST, src.profile_path, *src.templates.values()]
            for f in files + ([src.report_template] if src.report_template else []):
                target = staging / f.relative_to(src.root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, target)
        else:
            extract_zip(Path(source), staging)
        load_pack(staging)                        # what was extracted is checked before it replaces
        old = installed_dir()
        if old.exists():
            shutil.rmtree(old)
        os.replace(staging, old)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(f"安装模板包失败：无法写入 {home}（{exc.strerror or exc}）") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return load_pack(old)


def active_pack(deep: bool = True) -> tuple[Pack | None, str]:
    """The pack templates come from, and where it was found: the shared folder of the add-in's
    configuration (read live), else the installed copy. A shared folder that cannot be read
    falls back to the installed copy, and says so. ``deep``: see ``load_pack``."""
    note = ""
    folder = shared_folder()
    if folder:
        try:
            return load_pack(folder, deep), f"共享文件夹 {folder}"
        except ReadError as exc:
            note = f"（共享文件夹 {folder} 无法使用：{exc.message}）"
    if installed_dir().is_dir():
        try:
            return load_pack(installed_dir(), deep), f"已安装的模板包 {installed_dir()}{note}"
        except ReadError as exc:
            note += f"（已安装的模板包无法使用：{exc.message}）"
    return None, note


def write_template(tid: str, out: str | os.PathLike, profile: str | Profile | None = None,
                   layout: dict[str, Any] | None = None) -> tuple[Path, str]:
    """Write template ``tid`` to ``out``: built with ``profile`` and/or ``layout`` (a resolved
    layout spec, ``workbook_templates.layout``) when given, else the active pack's copy (byte
    for byte what the 财政局 built), else built with the spec's profile. Returns the path and
    where the template came from (Chinese)."""
    from workbook_templates.builder import build_template

    if layout is not None:
        path = build_template(layout, out, profile)
        rules = "和指定评分规则" if profile is not None else "（评分规则：财预〔2020〕10号）"
        return path, f"按表样“{layout['layout']}” {layout['version']}{rules}生成"
    if profile is None:
        pack, where = active_pack()
        if pack is not None and tid in pack.templates:
            with atomic_path(out) as tmp:
                shutil.copyfile(pack.templates[tid], tmp)
            return Path(out), f"来自{pack.label}，{where}"
    path = build_template(tid, out, profile)
    if profile is not None:
        return path, "按指定评分规则生成"
    return path, "标准模板" + (where if where else "")     # a pack that could not be used: said


def report_template() -> Path | None:
    """The active pack's report template (.docx), if it has one."""
    pack, _ = active_pack()
    return pack.report_template if pack is not None else None


def describe(pack: Pack) -> list[str]:
    lines = [pack.label, f"评分规则：{pack.profile.title}（{pack.profile.id} {pack.profile.data.get('version') or ''}）".rstrip()]
    for t in pack.manifest.get("templates", []):
        layout = f"表样 {t['layout']} " if t.get("layout") else ""
        lines.append(f"  {t['id']}\t{t.get('title', '')}\t{layout}版本 {t.get('version', '')}")
    if pack.report_template:
        lines.append(f"报告模板：{pack.report_template.name}")
    return lines
