"""Rule profiles (DESIGN.md idea 2: rules are data).

A profile is a JSON file: weights, grade thresholds, qualitative bands, deviation threshold,
execution-rate denominator, unit table. ``extends`` inherits another profile's keys.
The default is 财预〔2020〕10号 (``cz2020-10``). A province's variant is a new file in
``udfs/profiles/`` or any path passed to ``load_profile``.
"""

from __future__ import annotations

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
    band: str
    label: str
    low: Decimal
    high: Decimal
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    data: dict[str, Any] = field(repr=False, hash=False, compare=False)

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
        return Decimal(str(self.data.get("deviation_threshold", 0.3)))

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
                     tuple(b.get("keywords", [])))
                for b in self.data.get("qualitative_bands", [])]

    @cached_property
    def direction_by_level2(self) -> dict[str, str]:
        return dict(self.data.get("direction_by_level2", {}))

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


def _raw(name: str) -> dict[str, Any]:
    path = Path(name)
    if path.suffix == ".json" and path.exists():
        text = path.read_text(encoding="utf-8")
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
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"评分规则配置“{name}”不是有效的 JSON：第{exc.lineno}行 {exc.msg}") from None


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
    return Profile(id=data["id"], title=data.get("title", data["id"]), data=data)


def default_profile() -> Profile:
    return load_profile(None)
