"""The report's chart: 得分率 (得分 ÷ 分值) per 一级/二级指标, and budget execution.

matplotlib (Agg) with a CJK font found through ``matplotlib.font_manager`` — Chinese fonts of a
Windows/macOS office PC first, then the free Noto CJK fonts — so labels never render as tofu.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from . import formats as F

CJK_FONT_PREFERENCE = ["Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Noto Sans CJK SC",
                       "Noto Sans CJK JP", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
                       "WenQuanYi Micro Hei", "Droid Sans Fallback"]
LEVEL1_COLOURS = ["#1f5fa8", "#2e8b57", "#c27c0e", "#8e44ad", "#b03a2e", "#566573"]


def cjk_font() -> str:
    """The first installed font able to show Chinese. Raises RuntimeError when there is none."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONT_PREFERENCE:
        if name in installed:
            return name
    for f in font_manager.fontManager.ttflist:  # any font whose name says CJK
        if any(k in f.name for k in ("CJK", "Hei", "Song", "Kai", "Ming")):
            return f.name
    raise RuntimeError("未找到可显示中文的字体（如 Noto Sans CJK / 微软雅黑），无法绘制图表。")


def score_chart(groups: list[dict], out: str | Path, *, budget_rate: Decimal | None) -> Path:
    """Horizontal bars: 得分率 per 二级指标 coloured by 一级指标, plus 预算执行率; PNG at 200 dpi."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch

    font = cjk_font()
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
