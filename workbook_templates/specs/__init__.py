"""Declarative template specs (one JSON file per layout) and the shared cell styles: the
registry of our templates (``template_ids``, ``resolve_id``, ``load_spec``) — light to import
(no openpyxl), so the ribbon's 插入模板 menu lists the templates without loading the builder."""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ReadError


@cache
def spec_files() -> dict[str, dict[str, Any]]:
    """Template id → its spec, for every ``specs/*.json`` but the styles."""
    out = {}
    for entry in resources.files(__name__).iterdir():
        if entry.name.endswith(".json") and entry.name != "styles.json":
            spec = json.loads(entry.read_text(encoding="utf-8"))
            out[spec["id"]] = spec
    return out


def template_ids() -> list[str]:
    """Template ids in their listing order (``order`` in each spec)."""
    specs = spec_files()
    return sorted(specs, key=lambda i: (specs[i].get("order", 99), i))


def resolve_id(name: str) -> str:
    """An id, Chinese title or alias → the template id; ReadError listing the choices otherwise."""
    specs = spec_files()
    key = unicodedata.normalize("NFKC", name).strip()
    for tid, spec in specs.items():
        if key in (tid, spec["title"], *spec.get("aliases", [])):
            return tid
    choices = "；".join(f"{t}（{specs[t]['title']}）" for t in template_ids())
    raise ReadError(f"没有名为“{name}”的模板。可用模板：{choices}")


def load_spec(name: str | dict[str, Any]) -> dict[str, Any]:
    """The spec of a template (by id, title or alias); a spec itself (a resolved layout,
    ``workbook_templates.layout``) is returned as it is."""
    if isinstance(name, dict):
        return name
    return spec_files()[resolve_id(name)]


@cache
def styles() -> dict[str, Any]:
    """``specs/styles.json``: the cell styles every template shares."""
    return json.loads(resources.files(__name__).joinpath("styles.json").read_text(encoding="utf-8"))
