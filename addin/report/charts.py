"""The report's chart: 得分率 (得分 ÷ 分值) per 一级/二级指标, and budget execution.

matplotlib (Agg) with a CJK font found through ``matplotlib.font_manager`` — Chinese fonts of a
Windows/macOS office PC first, then the free Noto CJK fonts — so labels never render as tofu.

A chart never blocks a report. matplotlib keeps its font list in a cache
(``~/.cache/matplotlib/fontlist-*.json``); one built before the CJK fonts were installed lists
none of them. When no CJK font is listed, the system's fonts are scanned once more and the cache
is rewritten (``refresh_font_list``); when there is still none, ``score_chart`` returns None and
says so on stderr, and the report is written without the chart.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from . import formats as F

CJK_FONT_PREFERENCE = ["Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Noto Sans CJK SC",
                       "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
                       "WenQuanYi Micro Hei", "Droid Sans Fallback"]
LEVEL1_COLOURS = ["#1f5fa8", "#2e8b57", "#c27c0e", "#8e44ad", "#b03a2e", "#566573"]


NO_FONT = ("未找到可显示中文的字体（如 Noto Sans CJK、微软雅黑），报告中未插入图表。"
           "安装中文字体（Linux：fonts-noto-cjk）后重新生成报告即可带图表。")
_refreshed = False


def listed_cjk_font() -> str | None:
    """The first font of matplotlib's font list able to show Chinese, or None."""
    from matplotlib import font_manager

    ttflist = font_manager.fontManager.ttflist
    installed = {f.name for f in ttflist}
    for name in CJK_FONT_PREFERENCE:
        if name in installed:
            return name
    for f in ttflist:  # any font whose name says CJK
        if any(k in f.name for k in ("CJK", "Hei", "Song", "Kai", "Ming")):
            return f.name
    return None


def refresh_font_list() -> int:
    """Add the system fonts matplotlib's (possibly stale) list lacks, and rewrite its cache file.
    Returns the number of font files added."""
    import matplotlib
    from matplotlib import font_manager

    fm = font_manager.fontManager
    known = {f.fname for f in fm.ttflist}
    added = 0
    for path in font_manager.findSystemFonts():
        if path in known:
            continue
        try:
            fm.addfont(path)
            added += 1
        except (OSError, RuntimeError, ValueError):   # an unreadable font file: skip it
            continue
    if added:
        cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
        try:
            font_manager.json_dump(fm, cache)
        except OSError:
            pass
    return added


def cjk_font() -> str | None:
    """A font able to show Chinese; refreshes a stale font list once per process. None when the
    machine has none."""
    global _refreshed
    font = listed_cjk_font()
    if font is None and not _refreshed:
        _refreshed = True
        refresh_font_list()
        font = listed_cjk_font()
    return font


def score_chart(groups: list[dict], out: str | Path, *, budget_rate: Decimal | None) -> Path | None:
    """Horizontal bars: 得分率 per 二级指标 coloured by 一级指标, plus 预算执行率; PNG at 200 dpi.
    None (and a notice on stderr) when no font can show the Chinese labels."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    font = cjk_font()
    if font is None:
        print(f"提示：{NO_FONT}", file=sys.stderr)
        return None
    labels: list[str] = []
    values: list[float] = []
    colours: list[str] = []
    legend: list[Patch] = []
    if budget_rate is not None:
        labels.append("预算执行率")
        values.append(float(budget_rate) * 100)
        colours.append("#7f8c8d")
        legend.append(Patch(color="#7f8c8d", label="预算执行"))
    for gi, g in enumerate(groups):
        colour = LEVEL1_COLOURS[gi % len(LEVEL1_COLOURS)]
        legend.append(Patch(color=colour, label=g["level1"]))
        for s in g["subgroups"]:
            if s["rate_value"] is None:
                continue
            labels.append(s["level2"] if len(s["level2"]) <= 12 else s["level2"][:11] + "…")
            values.append(float(s["rate_value"]) * 100)
            colours.append(colour)
    with plt.rc_context({"font.family": [font, "DejaVu Sans"], "axes.unicode_minus": False,
                         "font.size": 11}):
        fig, ax = plt.subplots(figsize=(6.2, 0.42 * max(len(labels), 3) + 1.3), dpi=200)
        y = list(range(len(labels)))[::-1]
        ax.barh(y, values, color=colours, height=0.6)
        for yi, v in zip(y, values, strict=True):
            ax.text(min(v, 118) + 1, yi, F.percent(Decimal(str(v)) / 100), va="center", fontsize=9)
        ax.set_yticks(y, labels)
        ax.set_xlim(0, 125)
        ax.axvline(100, color="#999999", linewidth=0.8, linestyle="--")
        ax.set_xlabel("得分率 / 执行率（%）")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(handles=legend, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(len(legend), 5),
                  frameon=False, fontsize=9)
        fig.tight_layout()
        out = Path(out)
        fig.savefig(out, format="png")
        plt.close(fig)
    return out
