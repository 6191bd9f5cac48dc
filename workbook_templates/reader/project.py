"""Project fields from the header cells (项目名称、主管部门、实施单位、年度…) and the title's year."""

from __future__ import annotations

import re
from functools import lru_cache

from ..grid import Grid
from ..model import Evaluation
from .cells import _match, _ref, norm
from .money import unit_in_label
from .vocabulary import headers

_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
_YEAR_TITLE = re.compile(r"(20\d{2}|19\d{2})\s*年度")
_LABEL_SEP = re.compile(r"[:：]")
_FOUR_DIGITS = re.compile(r"\d{4}")


@lru_cache(maxsize=4096)
def _split_label(text: str) -> tuple[str, str]:
    """'项目名称：城乡医保（2021）' → ('项目名称', '城乡医保（2021）'), the value as written."""
    parts = _LABEL_SEP.split(text.strip(), maxsplit=1)
    return (parts[0], parts[1].strip()) if len(parts) == 2 else (parts[0], "")


@lru_cache(maxsize=4096)
def _is_label(text: str) -> bool:
    """Another field's label ("实施单位", "项目名称：…") or a unit note ("单位：万元", "（万元）"):
    never the value of the label to its left."""
    labels = headers()["project_labels"]
    key, _ = _split_label(text)
    return bool(_match(norm(key), labels) or _match(norm(text), labels) or unit_in_label(text)
                or norm(text).startswith("单位:"))


@lru_cache(maxsize=16384)
def _project_label(text: str) -> tuple[str | None, str]:
    """(project field the cell's label names, the value written after "：" in the same cell):
    '项目名称：城乡医保' → ('name', '城乡医保'); (None, …) for any other text. One cached lookup
    per cell — the header scan sees every text of the first 60 rows of every sheet."""
    key, inline = _split_label(text)
    return _match(norm(key), headers()["project_labels"]), inline


def _read_project(ev: Evaluation, grids: list[Grid]) -> None:
    p = ev.project
    for g in grids:
        for r in range(min(len(g.rows), 60)):
            for c, v in enumerate(g.rows[r]):
                if not isinstance(v, str) or not v:
                    continue
                fld, inline = _project_label(v)
                if fld is None or getattr(p, fld) is not None:
                    continue
                value, ref = (inline or None), _ref(g, r, c)
                if value is None:
                    if fld in ("goal", "goal_actual"):
                        cands = [(r + 1, c)]
                    else:
                        cands = [(r, c2) for c2 in range(c + 1, min(c + 8, len(g.rows[r])))]
                    for rr, cc in cands:
                        x = g.value(rr, cc)
                        if x is None or (isinstance(x, str) and not x.strip()):
                            continue
                        if isinstance(x, str) and len(x) <= 40 and _is_label(x):
                            break       # the next label: this field's own cell is blank (never a neighbour's)
                        value, ref = x, _ref(g, rr, cc)
                        break
                if value is None:
                    if fld not in ("goal", "goal_actual") and not p.cells.get(fld):
                        p.cells[fld] = _ref(g, r, c + 1)   # where the value belongs (left blank)
                    continue
                if fld == "year":
                    m = _FOUR_DIGITS.search(str(value))
                    if not m:
                        continue
                    p.year = int(m.group(0))
                else:
                    setattr(p, fld, str(value).strip())
                p.cells[fld] = ref
    if p.year is None:  # from a title: "（2021年度）", "2021年度项目支出绩效自评表"
        for pattern in (_YEAR_TITLE, _YEAR):
            for g in grids:
                for r in range(min(len(g.rows), 15)):
                    for c in range(len(g.rows[r])):
                        v = g.value(r, c)
                        m = pattern.search(v) if isinstance(v, str) and len(v) <= 40 else None
                        if m:
                            p.year = int(m.group(1))
                            p.cells["year"] = _ref(g, r, c)
                            return
