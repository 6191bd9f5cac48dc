"""Which published layout a sheet looks like (``layouts/*.json`` markers), and why."""

from __future__ import annotations

from ..grid import Grid
from .cells import norm
from .vocabulary import layouts

_MARKER_LEN = 40


def detect_layout(grid: Grid) -> str:
    """The published layout this sheet looks like (``layouts/*.json`` markers), or "generic"."""
    return layout_and_reason(grid)[0]


def layout_and_reason(grid: Grid) -> tuple[str, str]:
    """(layout id, why — in Chinese, for the recognition record)."""
    # markers are header labels: short texts only (prose — goals, explanations — is skipped unnormalised)
    texts = {norm(v) for row in grid.rows[:200] for v in row if isinstance(v, str) and len(v) <= _MARKER_LEN}
    for lay in layouts():
        if all(m in texts for m in lay["markers"]):
            marks = "".join(f"“{m}”" for m in lay["markers"])
            return lay["id"], f"表头含{marks}，按版式“{lay.get('title', lay['id'])}”（layouts/{lay['id']}.json）读取"
    return "generic", "未匹配已知版式（layouts/*.json 的标志表头），按表头同义词通用读取"
