"""The hidden ``_meta`` sheet of our templates: which template, which rules, and a checksum.

A template carries its rules (issue #17): ``_meta`` holds the template id and version, the full
resolved rule profile (after ``extends``) as JSON, the profile's own version, the pack it came
from (if any), a short hash per protected cell (formula or label) and one checksum over the
template id and version, the embedded profile and those cell hashes. One row per key (column A
the key, column B… the value), in this order::

    template_id       project
    version           1.0
    profile           cz2020-10
    title             项目支出绩效自评表
    profile_version   2026.1
    profile_data      {…} (split over B, C, … when longer than a cell holds)
    profile_checksum  sha256 of the profile JSON
    cells             "A1:1f2e3d4c L12:=9a8b7c6d …" (protected cells; "=" marks a formula)
    checksum          sha256 over id, version, profile JSON, cells and pack
    pack              {"title": …, "issuer": …, "year": …, "version": …} or blank
    layout            a province's layout id (``--layout``), or blank for our standard table
    layout_data       the resolved layout spec JSON (split like profile_data); in the checksum
    generator         "jixiao <version>" that built the template (information; not in the checksum)

then a blank row and the rule tables the native formulas look up (bands, grades). The key rows
end at the first blank row, so older templates (four key rows) still read.

The checksum detects edits (a formula typed over, a label changed, the profile JSON edited); it
is not a signature — anyone can recompute a sha256. An embedded profile is data: it is checked
(``profile_problems``) before use, and nothing written in ``_meta`` (an id, a path) ever makes the
tool open a file.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from udfs.errors import InputError
from udfs.profile import Profile, canonical_json
from udfs.profile_schema import validate as validate_profile

from .grid import Grid, parse_a1
from .version import generator

META_SHEET = "_meta"
CELL_TEXT_LIMIT = 32000          # Excel holds 32,767 characters per cell: JSON is split above this
HASH_CHARS = 8                   # per-cell hash (hex): detects edits, keeps the row short


@dataclass
class TemplateMeta:
    """What ``_meta`` says. ``profile_data`` is the embedded profile (None in older templates)."""

    template_id: str | None = None
    version: str | None = None
    profile_id: str | None = None
    title: str | None = None
    profile_version: str | None = None
    profile_data: dict[str, Any] | None = None
    profile_error: str | None = None          # why the embedded profile is unusable, if it is
    profile_checksum: str | None = None
    cells: dict[str, str] = field(default_factory=dict)     # ref → hash
    checksum: str | None = None
    pack: dict[str, Any] | None = None
    layout_id: str | None = None
    layout_data: dict[str, Any] | None = None    # the embedded layout spec, checked
    layout_text: str | None = None               # as embedded (what the checksum covers)
    layout_error: str | None = None              # why the embedded layout is unusable, if it is
    rule_rows: list[list[Any]] | None = None     # the rule tables under the key rows, as in the sheet

    def to_json(self) -> dict[str, Any]:
        return {"id": self.template_id, "version": self.version, "profile": self.profile_id,
                "profile_version": self.profile_version, "checksum": self.checksum, "pack": self.pack,
                "layout": self.layout_id}


# ---------------------------------------------------------------- canonical forms and hashes


def profile_json(data: dict[str, Any]) -> str:
    """The profile as canonical JSON (sorted keys, no spaces): what is embedded and hashed."""
    return canonical_json(data)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def profile_digest(data: dict[str, Any]) -> str:
    """sha256 of a profile's canonical JSON: units scored by the same rules share it."""
    return _sha(profile_json(data))


_FORMULA_NOISE = re.compile(r"\$|\s|_xlfn\.|_xlws\.|(?<=TRUE)\(\)|(?<=FALSE)\(\)", re.I)


@lru_cache(maxsize=8192)
def cell_content(value: Any, formula: str | None = None) -> str:
    """A protected cell's content as hashed: its formula (without $, spaces, _xlfn. prefixes,
    upper-cased, TRUE()/FALSE() as TRUE/FALSE — as Excel, WPS or LibreOffice save it back) or its
    label text."""
    if formula is not None:
        return "=" + _FORMULA_NOISE.sub("", formula.lstrip("=")).upper()
    if isinstance(value, str) and value.startswith("="):
        return "=" + _FORMULA_NOISE.sub("", value[1:]).upper()
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        d = Decimal(str(value)).normalize()
        return format(d, "f")
    return "" if value is None else str(value).strip()


@lru_cache(maxsize=8192)
def cell_hash(content: str) -> str:
    """Short hash of a cell's content; "=" first for a formula cell (so an engine that cannot read
    formulas knows which cells it must skip)."""
    return ("=" if content.startswith("=") else "") + _sha(content)[:HASH_CHARS]


def cells_text(cells: dict[str, str]) -> str:
    return " ".join(f"{ref}:{h}" for ref, h in cells.items())


def overall_checksum(template: str, version: str, profile_text: str, cells: dict[str, str],
                     pack: dict[str, Any] | None = None, layout_text: str | None = None) -> str:
    """One sha256 over the template id and version, the embedded profile, the cell hashes, the
    pack it came from and the embedded layout (when there is one)."""
    parts = (template, version, profile_text, cells_text(cells), profile_json(pack) if pack else "")
    return _sha("\n".join(parts + ((layout_text,) if layout_text else ())))


def _chunks(text: str) -> list[str]:
    return [text[i:i + CELL_TEXT_LIMIT] for i in range(0, len(text), CELL_TEXT_LIMIT)] or [""]


# ---------------------------------------------------------------- writing (builder)


def meta_rows(spec: dict[str, Any], profile: Profile, cells: dict[str, str],
              pack: dict[str, Any] | None = None) -> list[list[Any]]:
    """The key rows of ``_meta`` for a template built from ``spec`` under ``profile``; ``cells``
    maps each protected cell of the template sheet to its hash (``cell_hash``)."""
    text = profile_json(profile.data)
    layout = profile_json(spec) if spec.get("layout") else None
    version = profile.data.get("version")
    return [["template_id", spec["id"]], ["version", spec["version"]], ["profile", profile.id],
            ["title", spec["title"]],
            ["profile_version", None if version is None else str(version)],
            ["profile_data", *_chunks(text)],
            ["profile_checksum", _sha(text)],
            ["cells", cells_text(cells)],
            ["checksum", overall_checksum(spec["id"], str(spec["version"]), text, cells, pack, layout)],
            ["pack", profile_json(pack) if pack else None],
            ["layout", spec.get("layout")],
            ["layout_data", *(_chunks(layout) if layout else [None])],
            ["generator", generator()]]          # the jixiao that built it (not in the checksum)


def protected_cells(ws) -> dict[str, str]:
    """Ref → hash of every locked, non-empty cell of an openpyxl worksheet (labels and formulas)."""
    out = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is None or type(c).__name__ == "MergedCell" or not c.protection.locked:
                continue
            out[c.coordinate] = cell_hash(cell_content(c.value))
    return out


def rule_switches(profile: Profile) -> list[tuple[str, int, str]]:
    """The profile's scoring switches as named cells of ``_meta`` the indicator formula reads
    (``udfs.evaluate``: ``scoring.inverse_formula``, ``scoring.equal``, ``scoring.strict_at_bound``)."""
    return [("反向线性", int(profile.inverse_formula == "linear_to_zero"),
             "1：反向超出目标按 1−(实际−目标)÷目标；0：按 目标÷实际"),
            ("等于按下限", int(profile.equal_mode == "at_least"), "1：“=”按“≥”计分；0：双侧按偏差扣分"),
            ("严格边界得分", int(profile.strict_at_bound != "zero"), "“>”“<”恰好等于目标值时的得分比例（1 满分并提示复核，0 记0分）")]


def rule_table_rows(profile: Profile) -> list[list[Any]]:
    """The rule tables under the key rows of ``_meta`` that the template's native formulas read
    (档次, 等级, 计分开关): derived from the embedded profile, so an edit of one is an alteration."""
    rows: list[list[Any]] = [["档次", "下限", "上限", "默认", "上限含"]]
    rows += [[b.band, float(b.low), float(b.high), float(b.default_rate), 0 if b.high_open else 1]
             for b in sorted(profile.bands, key=lambda b: -b.high)]
    rows += [[], ["等级", "下限"]]
    rows += [[g, float(low)] for g, low in sorted(profile.grades, key=lambda g: g[1])]
    rows += [[], ["计分开关", "值", "含义"]]
    rows += [[name, value, doc] for name, value, doc in rule_switches(profile)]
    return rows


def _rule_cell(v: Any) -> str:
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return format(Decimal(str(v)).normalize(), "f")
    return "" if v is None else str(v).strip()


def _rule_rows_text(rows: list[list[Any]]) -> list[str]:
    """Rows as compared: trailing blanks dropped, numbers as plain decimals (0.8 = 0.80)."""
    out = []
    for row in rows:
        cells = [_rule_cell(v) for v in row]
        while cells and cells[-1] == "":
            cells.pop()
        out.append("\t".join(cells))
    while out and out[-1] == "":
        out.pop()
    return out


# ---------------------------------------------------------------- reading


def _key_rows(grid: Grid) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for r in range(len(grid.rows)):
        key = grid.value(r, 0)
        if key is None or str(key).strip() == "":
            break
        row = grid.rows[r]
        out[str(key).strip()] = list(row[1:])
    return out


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def read_meta(grid: Grid) -> TemplateMeta:
    """The key rows of a ``_meta`` grid; the embedded profile parsed and checked (never raises:
    an unusable profile is ``profile_error``)."""
    rows = _key_rows(grid)

    def first(key: str) -> str | None:
        vals = rows.get(key) or [None]
        return _text(vals[0])

    m = TemplateMeta(template_id=first("template_id"), version=first("version"), profile_id=first("profile"),
                     title=first("title"), profile_version=first("profile_version"),
                     profile_checksum=first("profile_checksum"), checksum=first("checksum"))
    for item in (first("cells") or "").split():
        ref, _, h = item.partition(":")
        if ref and h:
            m.cells[ref] = h
    pack = first("pack")
    if pack:
        try:
            m.pack = json.loads(pack)
        except ValueError:
            m.pack = None
        if not isinstance(m.pack, dict):
            m.pack = None
    chunks = [v for v in rows.get("profile_data", []) if isinstance(v, str)]
    if chunks:
        m.profile_data, m.profile_error = parse_profile("".join(chunks))
    m.layout_id = first("layout")
    chunks = [v for v in rows.get("layout_data", []) if isinstance(v, str)]
    if chunks:
        m.layout_text = "".join(chunks)
        m.layout_data, m.layout_error = parse_layout(m.layout_text)
    elif m.layout_id:
        m.layout_error = f"模板注明按表样“{m.layout_id}”生成，但内嵌的表样缺失"
    start = len(rows) + 1                      # the rule tables follow the blank row after the keys
    if start < len(grid.rows) and _rule_cell(grid.value(start, 0)) == "档次":
        m.rule_rows = [[grid.value(r, c) for c in range(5)] for r in range(start, len(grid.rows))]
    return m


def _parse_embedded(text: str, problems_of, what: str) -> tuple[dict[str, Any] | None, str | None]:
    """(data, None) for embedded JSON that ``problems_of`` finds nothing wrong with, else (None, why)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return None, f"内嵌{what}不是有效的 JSON（{type(exc).__name__}）"
    problems = problems_of(data)
    if problems:
        return None, f"内嵌{what}格式不正确：" + "；".join(problems[:5])
    return data, None


def parse_layout(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """(layout spec, None) for an embedded layout that passes the checks, else (None, why)."""
    from .layout import layout_problems

    return _parse_embedded(text, layout_problems, "表样")


def parse_profile(text: str) -> tuple[dict[str, Any] | None, str | None]:
    """(profile data, None) for an embedded profile that passes the checks, else (None, why)."""
    return _parse_embedded(text, profile_problems, "评分规则")


def _numbers(v: Any) -> list[Any]:
    """Every number inside ``v`` (to refuse NaN and absurd magnitudes the schema's types allow)."""
    if isinstance(v, dict):
        return [n for x in v.values() for n in _numbers(x)]
    if isinstance(v, list):
        return [n for x in v for n in _numbers(x)]
    return [v] if isinstance(v, (int, float)) and not isinstance(v, bool) else []


def profile_problems(data: Any) -> list[str]:
    """What is wrong with a resolved profile (as embedded in ``_meta`` or a pack): the profile
    schema of ``udfs.profile_schema`` (the one check every profile passes), plus what an embedded
    profile must be besides — resolved (``extends``, a name or a path to load, is refused: data
    never makes the tool open a file), with an id, at least one grade and one band, finite numbers."""
    if not isinstance(data, dict):
        return ["应为 JSON 对象"]
    p: list[str] = []
    if not isinstance(data.get("id"), str) or not data["id"].strip():
        p.append("缺少 id")
    if "extends" in data:
        p.append("内嵌规则应为展开后的完整规则，不能含 extends")
    try:
        validate_profile({k: v for k, v in data.items() if k != "extends"}, str(data.get("id") or "内嵌规则"))
    except InputError as exc:
        p.append(str(exc))
    for key in ("grades", "qualitative_bands"):
        if not data.get(key):
            p.append(f"{key} 至少应有一项")
    if any(n != n or abs(n) >= 1e15 for n in _numbers(data)):
        p.append("含无效或过大的数值（NaN、无穷大或 ≥ 10¹⁵）")
    return p


def embedded_profile(meta: TemplateMeta) -> Profile | None:
    """The embedded profile as a ``Profile`` (None when absent or unusable)."""
    d = meta.profile_data
    if not d:
        return None
    return Profile(id=d["id"], title=d.get("title", d["id"]), data=d)


# ---------------------------------------------------------------- checking (template-altered)


_ATTR_R = re.compile(rb'\br="([A-Z]+[0-9]+)"')


def formulas_in_sheet_xml(data: bytes) -> dict[str, str | None]:
    """Ref → formula text of every ``<c>`` whose first child is ``<f>`` (OOXML's order: f, v, is);
    None for a shared formula's dependent cell (``<f t="shared" si="0"/>``). A scan with
    ``bytes.find`` from each ``<f``: linear in the sheet, no backtracking."""
    out: dict[str, str | None] = {}
    pos = 0
    while (i := data.find(b"<f", pos)) != -1:
        pos = i + 2
        if data[i + 2:i + 3] not in (b">", b" ", b"/"):       # <formula1> of a validation, <fill>…
            continue
        c = data.rfind(b"<c ", 0, i)
        head = data[c:i].rstrip()
        if c < 0 or not head.endswith(b">") or head.endswith(b"/>") or b"<" in head[1:]:
            continue
        m = _ATTR_R.search(head)
        close = data.find(b">", i)
        if m is None or close < 0:
            continue
        if data[close - 1:close] == b"/":
            out[m.group(1).decode()] = None
            continue
        end = data.find(b"</f>", close)
        if end < 0:
            break
        out[m.group(1).decode()] = _formula_text(data[close + 1:end])
        pos = end + 4
    return out


def sheet_formulas(path: str | Path, sheet: str) -> dict[str, str | None] | None:
    """Ref → formula text of one sheet of a zip workbook (None for a dependent cell of a shared
    formula, whose text Excel keeps only on the first cell); None when the file cannot say
    (not a zip, sheet not found)."""
    import zipfile

    from .loaders import Package, _sheet_parts

    try:
        with Package(path) as pkg:
            part = dict(_sheet_parts(pkg)).get(sheet)
            if part is None:
                return None
            data = pkg.read(part)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None
    return formulas_in_sheet_xml(data)


_XML_REF = re.compile(r"&(#[xX][0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);")
_XML_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _ref_char(m: re.Match[str]) -> str:
    ref = m.group(1)
    if ref[0] != "#":
        return _XML_NAMED[ref]
    return chr(int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:]))


@lru_cache(maxsize=16384)             # the same template's formulas recur in every unit's file
def _formula_text(body: bytes) -> str:
    """A formula's XML text unescaped: character references and the five entities (openpyxl
    writes CJK as &#NNNNN;)."""
    text = body.decode("utf-8", "replace")
    return _XML_REF.sub(_ref_char, text) if "&" in text else text


def altered_cells(meta: TemplateMeta, grid: Grid, formulas: dict[str, str | None] | None) -> list[str]:
    """Protected cells whose content no longer matches its hash in ``_meta``. ``formulas`` (ref →
    formula text, from the file) may be None when the engine cannot read formulas: then formula
    cells are taken as they are and only labels are compared."""
    out = []
    for ref, h in meta.cells.items():
        r, c = parse_a1(ref)
        value = grid.value(r, c)
        if formulas is not None and ref in formulas:
            f = formulas[ref]
            if f is None:            # a shared formula's dependent cell: text not in the file
                continue
            content = cell_content(None, f)
        elif formulas is None and h.startswith("="):
            continue                 # a formula cell: cannot tell without the formula text
        else:
            content = cell_content(value)
        if cell_hash(content) != h:
            out.append(ref)
    return out


def check_integrity(meta: TemplateMeta, grid: Grid, path: str | Path | None) -> str | None:
    """A Chinese description of what was altered in a template (None when intact or when the
    template predates checksums)."""
    if not meta.checksum:
        return None
    problems = []
    if meta.profile_error:
        problems.append(meta.profile_error)
    elif meta.profile_data is not None:
        text = profile_json(meta.profile_data)
        if meta.profile_checksum and _sha(text) != meta.profile_checksum:
            problems.append("内嵌评分规则与校验码不符（规则被改动）")
        elif overall_checksum(meta.template_id or "", meta.version or "", text, meta.cells, meta.pack,
                              meta.layout_text) != meta.checksum:
            problems.append("模板编号、版本、模板包、表样或受保护单元格清单与校验码不符")
    else:
        problems.append("模板的内嵌评分规则缺失")
    prof = embedded_profile(meta) if not problems else None
    if prof is not None and meta.rule_rows is None:
        problems.append(f"{META_SHEET} 中模板公式所用的档次、等级和计分开关表缺失（规则表被删改）")
    elif prof is not None and _rule_rows_text(meta.rule_rows or []) != _rule_rows_text(rule_table_rows(prof)):
        problems.append(f"{META_SHEET} 中模板公式所用的档次、等级或计分开关表与内嵌评分规则不符（规则表被改动）")
    formulas = sheet_formulas(path, grid.name) if path is not None and Path(str(path)).is_file() else None
    cells = altered_cells(meta, grid, formulas)
    if cells:
        more = f"等{len(cells)}个单元格" if len(cells) > 1 else ""
        problems.append(f"受保护单元格 {'、'.join(cells[:5])}{more}的公式或文字与模板不同")
    return "；".join(problems) or None
