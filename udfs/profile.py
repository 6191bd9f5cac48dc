"""Rule profiles (DESIGN.md idea 2: rules are data).

A profile is a JSON file: weights, grade thresholds, qualitative bands, deviation threshold,
execution-rate denominator, unit table. ``extends`` inherits another profile's keys.
The default is 财预〔2020〕10号 (``cz2020-10``). A province's variant is a new file in
``udfs/profiles/`` or any path passed to ``load_profile``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError

DEFAULT_PROFILE = "cz2020-10"


@dataclass(frozen=True)
class Band:
    """A qualitative band: share of the points [low, high] with open/closed ends and the share
    given when the user picks the band without a 得分率 (``default``)."""

    band: str
    label: str
    low: Decimal
    high: Decimal
    keywords: tuple[str, ...]
    low_open: bool = False
    high_open: bool = False
    default: Decimal | None = None

    def contains(self, r: Decimal) -> bool:
        lo_ok = r > self.low if self.low_open else r >= self.low
        hi_ok = r < self.high if self.high_open else r <= self.high
        return lo_ok and hi_ok

    @property
    def default_rate(self) -> Decimal:
        return self.default if self.default is not None else self.high

    @property
    def text(self) -> str:
        """"[60%,80%)" — the band's interval as the official text means it."""
        return f"{'(' if self.low_open else '['}{self.low:.0%},{self.high:.0%}{')' if self.high_open else ']'}"


def canonical_json(data: Any) -> str:
    """A profile's data as canonical JSON (sorted keys, no spaces): what a template embeds and
    what identifies the rules' content."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


@dataclass(frozen=True, eq=False)
class Profile:
    """A rule profile. Two profiles are equal (and share the parse caches keyed by a profile)
    only when their content is: an embedded profile reusing a shipped id with other bands is
    another profile (``digest``: sha256 of ``canonical_json(data)``)."""

    id: str
    title: str
    data: dict[str, Any] = field(repr=False)

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(canonical_json(self.data).encode("utf-8")).hexdigest()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return (self.id, self.title, self.digest) == (other.id, other.title, other.digest)

    def __hash__(self) -> int:
        return hash((self.id, self.title, self.digest))

    @cached_property
    def total(self) -> Decimal:
        return Decimal(str(self.data.get("total", 100)))

    @cached_property
    def weights(self) -> dict[str, Decimal]:
        return {k: Decimal(str(v)) for k, v in self.data.get("weights", {}).items()}

    @cached_property
    def level1_synonyms(self) -> dict[str, list[str]]:
        return self.data.get("level1_synonyms", {})

    def level1_key(self, label: str | None) -> str | None:
        """Map a sheet's 一级指标 label to the profile's key (产出 → 产出指标), or None."""
        if not label:
            return None
        lab = label.strip()
        for key, syns in self.level1_synonyms.items():
            if lab == key or lab in syns:
                return key
        for key, syns in self.level1_synonyms.items():
            if any(s in lab for s in [key, *syns]):
                return key
        return None

    @cached_property
    def expected_categories(self) -> list[str]:
        return list(self.data.get("expected_categories", []))

    @cached_property
    def budget_weight(self) -> Decimal:
        return Decimal(str(self.data.get("budget_weight", 10)))

    @cached_property
    def execution_rate_denominator(self) -> str:
        """'adjusted' (全年预算数, 自评表) or 'available' (实际到位资金, 共性指标框架)."""
        return self.data.get("execution_rate_denominator", "adjusted")

    @cached_property
    def deviation_threshold(self) -> Decimal:
        dev = self.data.get("deviation", {})
        return Decimal(str(dev.get("threshold", self.data.get("deviation_threshold", 0.3))))

    @cached_property
    def low_execution_threshold(self) -> Decimal:
        return Decimal(str(self.data.get("low_execution_threshold", 0.9)))

    @cached_property
    def grades(self) -> list[tuple[str, Decimal]]:
        """[(grade, min_total)] from the highest band down."""
        g = [(x["grade"], Decimal(str(x["min"]))) for x in self.data.get("grades", [])]
        return sorted(g, key=lambda t: t[1], reverse=True)

    @cached_property
    def bands(self) -> list[Band]:
        return [Band(b["band"], b.get("label", b["band"]), Decimal(str(b["min"])), Decimal(str(b["max"])),
                     tuple(b.get("aliases", b.get("keywords", []))), bool(b.get("min_open", False)),
                     bool(b.get("max_open", False)),
                     Decimal(str(b["default"])) if b.get("default") is not None else None)
                for b in self.data.get("qualitative_bands", [])]

    def band(self, name: str) -> Band | None:
        return next((b for b in self.bands if b.band == name), None)

    def _scoring(self, key: str, default: str) -> str:
        """A switch of the profile's ``scoring`` object, or its documented default."""
        return self.data.get("scoring", {}).get(key, default)

    @cached_property
    def inverse_formula(self) -> str:
        """反向 score when over target: 'target_over_actual' (t÷a) or 'linear_to_zero' (1−(a−t)÷t)."""
        return self._scoring("inverse_formula", "target_over_actual")

    @cached_property
    def equal_mode(self) -> str:
        """等于: 'two_sided' (1−|a−t|÷t) or 'at_least' (scored like ≥)."""
        return self._scoring("equal", "two_sided")

    @cached_property
    def strict_at_bound(self) -> str:
        """A strict comparator met exactly at its bound (">95%" with 95%): 'proportional' keeps the
        proportional share (= full) and flags it for review; 'zero' gives 0 (the 0-1 method)."""
        return self._scoring("strict_at_bound", "proportional")

    @cached_property
    def deadline_missed_band(self) -> str:
        """The qualitative band a missed deadline scores (the reviewer confirms it)."""
        return self._scoring("deadline_missed_band", "未达成")

    @cached_property
    def deviation_side(self) -> str:
        """Which 偏离度 needs a reason: 'both', 'over' (better than target only: 正向 above it, 反向
        under it) or 'shortfall' (target not met)."""
        return self.data.get("deviation", {}).get("side", "both")

    @cached_property
    def deviation_inclusive(self) -> bool:
        """Whether a 偏离度 exactly at the threshold already needs a reason (default: no, '超过')."""
        return bool(self.data.get("deviation", {}).get("inclusive", False))

    @cached_property
    def deductions(self) -> list[dict[str, Any]]:
        """Optional provincial deductions: [{"when": "deviation_at_least", "value": 0.3, "points": 1}]."""
        return list(self.data.get("deductions", []))

    @cached_property
    def caps(self) -> list[dict[str, Any]]:
        """Optional caps on the total: [{"when": "execution_rate_below", "value": 0.6, "max_total": 60}]."""
        return list(self.data.get("caps", []))

    @cached_property
    def direction_by_level2(self) -> dict[str, str]:
        return dict(self.data.get("direction_by_level2", {}))

    @cached_property
    def direction_by_name(self) -> dict[str, str]:
        """Direction of a bare-number target by words in the 三级指标 name (预算调整率 → 反向)."""
        return dict(self.data.get("direction_by_name", {}))

    @cached_property
    def yes_no_missed_band(self) -> str:
        """The qualitative band a 是/否 indicator answered the other way scores (the reviewer confirms it)."""
        return self._scoring("yes_no_missed_band", "未达成")

    @cached_property
    def rate_digits(self) -> int:
        return int(self.data.get("rounding", {}).get("rate", 4))

    @cached_property
    def score_digits(self) -> int:
        return int(self.data.get("rounding", {}).get("score", 2))

    @cached_property
    def magnitudes(self) -> dict[str, Decimal]:
        m = self.data.get("units", {}).get("magnitudes", {})
        return {k: Decimal(str(v)) for k, v in m.items()}

    @cached_property
    def percent_units(self) -> tuple[str, ...]:
        return tuple(self.data.get("units", {}).get("percent", ["%"]))

    @cached_property
    def permille_units(self) -> tuple[str, ...]:
        return tuple(self.data.get("units", {}).get("permille", ["‰"]))


def _profiles_dir():
    return resources.files("udfs") / "profiles"


def list_profiles() -> list[Profile]:
    """Every profile shipped with the package."""
    out = []
    for entry in sorted(_profiles_dir().iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            out.append(load_profile(entry.name[:-5]))
    return out


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(merged.get(k), dict) and k not in ("weights", "level1_synonyms"):
            merged[k] = _merge(merged[k], v)
        else:
            merged[k] = v
    return merged


_JSON_HINTS = (("Expecting property name", "键名应加英文双引号，或有多余的逗号"),
               ("Expecting ',' delimiter", "缺少逗号"), ("Expecting ':' delimiter", "缺少冒号"),
               ("Expecting value", "缺少值，或有多余的逗号"), ("Unterminated string", "引号未闭合"),
               ("Extra data", "末尾有多余内容"), ("Invalid control character", "文字中有控制字符"))


def _json_error(name: str, exc: json.JSONDecodeError) -> InputError:
    """A JSON syntax error in Chinese: where (line, column) and what (common cases named)."""
    what = next((zh for en, zh in _JSON_HINTS if exc.msg.startswith(en)), "语法错误")
    return InputError(f"评分规则配置“{name}”不是有效的 JSON：第{exc.lineno}行第{exc.colno}列{what}")


def _raw(name: str) -> dict[str, Any]:
    path = Path(name)
    if path.suffix == ".json" and path.exists():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise InputError(f"评分规则配置“{name}”不是 UTF-8 编码的文字，请另存为 UTF-8") from None
        except OSError as exc:
            raise InputError(f"无法读取评分规则配置“{name}”（{exc.strerror or exc}）") from None
    else:
        entry = _profiles_dir() / f"{name}.json"
        if not entry.is_file():
            for p in _profiles_dir().iterdir():
                if p.name.endswith(".json"):
                    d = json.loads(p.read_text(encoding="utf-8"))
                    if name in d.get("aliases", []):
                        return d
            known = "、".join(p.name[:-5] for p in _profiles_dir().iterdir() if p.name.endswith(".json"))
            raise InputError(f"找不到评分规则配置“{name}”（可用：{known}，或给出 .json 文件路径）")
        text = entry.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _json_error(name, exc) from None
    except RecursionError:
        raise InputError(f"评分规则配置“{name}”嵌套过深，不是有效的评分规则") from None
    if not isinstance(data, dict):
        kind = {list: "列表", str: "文字", int: "数字", float: "数字", bool: "真假值"}.get(type(data), "空值")
        raise InputError(f"评分规则配置“{name}”应为 JSON 对象（{{…}}），实际为{kind}")
    return data


@lru_cache(maxsize=32)
def load_profile(name: str | None = None) -> Profile:
    """Load a profile by id, alias or .json path (default: 财预〔2020〕10号)."""
    data = _raw(name or DEFAULT_PROFILE)
    seen = {data.get("id")}
    while "extends" in data:
        parent_name = data.pop("extends")
        if parent_name in seen:
            raise InputError(f"评分规则配置循环继承：{parent_name}")
        seen.add(parent_name)
        parent = _raw(parent_name)
        ext = parent.pop("extends", None)
        data = _merge(parent, data)
        if ext:
            data["extends"] = ext
    if "id" not in data:
        raise InputError(f"评分规则配置“{name}”缺少 id")
    from .profile_schema import validate

    validate(data, name or DEFAULT_PROFILE)
    return Profile(id=data["id"], title=data.get("title", data["id"]), data=data)


def default_profile() -> Profile:
    return load_profile(None)
