"""The reader's vocabulary as data: header synonyms (``layouts/headers.json``) and the published
layouts (``layouts/<id>.json``) with the marker headers that identify them."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

LAYOUT_DIR = Path(__file__).parent.parent / "layouts"


@lru_cache(maxsize=1)
def headers() -> dict[str, Any]:
    """The synonym tables: layouts/headers.json, plus the ``synonyms`` each published layout file
    adds (a new provincial layout with its own wording = one new JSON file, no code)."""
    base = json.loads((LAYOUT_DIR / "headers.json").read_text(encoding="utf-8"))
    for lay in layouts():
        for table, fields in lay.get("synonyms", {}).items():
            for fld, words in fields.items():
                known = base[table].setdefault(fld, [])
                known.extend(w for w in words if w not in known)
    return base


@lru_cache(maxsize=1)
def layouts() -> list[dict[str, Any]]:
    """Published layouts known by marker headers, most specific first."""
    out = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(LAYOUT_DIR.glob("*.json"))
           if p.name != "headers.json"]
    return sorted(out, key=lambda d: d.get("priority", 100))
