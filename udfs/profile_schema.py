"""Checking a rule profile against ``udfs/profile_schema.json`` — every key, its type, its source.

A profile is data a province writes by hand; a number where a list belongs, an unknown key or an
unknown choice is an ``InputError`` in Chinese naming the key, never a crash later on.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import InputError

_TYPE_NAMES = {"string": "文字", "number": "数值", "list": "列表", "object": "对象（键值表）", "bool": "true/false"}


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads((resources.files("udfs") / "profile_schema.json").read_text(encoding="utf-8"))["keys"]


def _is(v: object, t: str) -> bool:
    if t == "string":
        return isinstance(v, str)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t == "list":
        return isinstance(v, list)
    if t == "object":
        return isinstance(v, dict)
    if t == "bool":
        return isinstance(v, bool)
    return True


def _check(v: object, rule: dict[str, Any], where: str, name: str) -> None:
    t = rule.get("type", "string")
    if t == "enum":
        if v not in rule["values"]:
            raise InputError(f"评分规则配置“{name}”中 {where} 的取值“{v}”无效（可用：{'、'.join(rule['values'])}）")
        return
    if not _is(v, t):
        raise InputError(f"评分规则配置“{name}”中 {where} 应为{_TYPE_NAMES[t]}，实际为“{json.dumps(v, ensure_ascii=False)}”")
    if t == "list":
        for i, item in enumerate(v):  # type: ignore[union-attr]
            item_t = rule.get("items")
            if item_t and not _is(item, item_t):
                raise InputError(f"评分规则配置“{name}”中 {where} 第{i + 1}项应为{_TYPE_NAMES[item_t]}，"
                                 f"实际为“{json.dumps(item, ensure_ascii=False)}”")
            if rule.get("item_keys"):
                _check_keys(item, rule["item_keys"], f"{where}[{i + 1}]", name)
    if t == "object":
        if rule.get("keys"):
            _check_keys(v, rule["keys"], where, name)
        elif rule.get("values"):
            for k, item in v.items():  # type: ignore[union-attr]
                if not _is(item, rule["values"]):
                    raise InputError(f"评分规则配置“{name}”中 {where}.{k} 应为{_TYPE_NAMES[rule['values']]}，"
                                     f"实际为“{json.dumps(item, ensure_ascii=False)}”")


def _check_keys(d: Any, rules: dict[str, Any], where: str, name: str) -> None:
    for k, v in d.items():
        if k.startswith("_"):
            continue
        if k not in rules:
            known = "、".join(rules)
            raise InputError(f"评分规则配置“{name}”中 {where + '.' if where else ''}{k} 不是已知的配置项（可用：{known}）")
        _check(v, rules[k], f"{where + '.' if where else ''}{k}", name)


def validate(data: dict[str, Any], name: str) -> None:
    """Raise InputError (Chinese, naming the key) when ``data`` does not follow the schema."""
    _check_keys(data, schema(), "", name)
    for i, b in enumerate(data.get("qualitative_bands", [])):
        for req in ("band", "min", "max"):
            if req not in b:
                raise InputError(f"评分规则配置“{name}”中 qualitative_bands[{i + 1}] 缺少 {req}")
        if not 0 <= b["min"] <= b["max"] <= 1:
            raise InputError(f"评分规则配置“{name}”中 qualitative_bands[{i + 1}]（{b['band']}）的 min/max 应满足 0≤min≤max≤1")
        d = b.get("default")
        if d is not None:
            lo_ok = d > b["min"] if b.get("min_open") else d >= b["min"]
            hi_ok = d < b["max"] if b.get("max_open") else d <= b["max"]
            if not (lo_ok and hi_ok):
                raise InputError(f"评分规则配置“{name}”中“{b['band']}”档的 default {d} 不在该档范围内")
        for w in b.get("aliases", []):
            if len(w) < 2:
                raise InputError(f"评分规则配置“{name}”中“{b['band']}”档的说法“{w}”只有一个字，会误判（至少两个字）")
    for band, words in data.get("lexicon", {}).get("phrases", {}).items():
        for w in words:
            if not isinstance(w, str) or len(w) < 2:
                raise InputError(f"评分规则配置“{name}”中 lexicon.phrases.{band} 的说法“{w}”应为至少两个字的文字")
    for i, g in enumerate(data.get("grades", [])):
        if not isinstance(g.get("grade"), str) or not _is(g.get("min"), "number"):
            raise InputError(f"评分规则配置“{name}”中 grades[{i + 1}] 应为 {{\"grade\": 文字, \"min\": 数值}}")


def markdown_table() -> str:
    """The README table of every profile key: what it means, its type and choices, and the rule's source."""
    rows = ["| 配置项 | 含义 | 取值 | 出处 |", "|---|---|---|---|"]

    def kind(rule: dict[str, Any]) -> str:
        t = rule.get("type", "string")
        if t == "enum":
            return " / ".join(f"`{v}`" for v in rule["values"])
        return _TYPE_NAMES.get(t, t)

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    for key, rule in schema().items():
        rows.append(f"| `{key}` | {cell(rule.get('doc', ''))} | {kind(rule)} | {cell(rule.get('source', '—'))} |")
        for sub, r in {**rule.get("keys", {}), **rule.get("item_keys", {})}.items():
            rows.append(f"| `{key}.{sub}` | {cell(r.get('doc', ''))} | {kind(r)} | {cell(r.get('source', '同上'))} |")
    return "\n".join(rows)
