"""Which published layout a sheet looks like (``layouts/*.json`` markers)."""

from __future__ import annotations

from ..grid import Grid
from .cells import norm
from .vocabulary import layouts


def detect_layout(grid: Grid) -> str:
    """The published layout this sheet looks like (``layouts/*.json`` markers), or "generic"."""
    texts = {norm(v) for row in grid.rows[:200] for v in row if isinstance(v, str)}
    for lay in layouts():
        if all(m in texts for m in lay["markers"]):
            return lay["id"]
    return "generic"


# ---------------------------------------------------------------------------------------------
