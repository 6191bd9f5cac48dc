"""`jixiao score`: rule score of every indicator and the budget part, rule total and grade.

``total_score`` is what the sheet states, ``rule_total_score`` what the rules give. ``-o`` writes a
copy with the empty 得分/完成率/总分/等级 filled and a 规则得分 column; ``--in-place`` writes over
the input after keeping a ``.bak``. Exit 0 (1 when validation finds errors, 2 unreadable).
"""

from __future__ import annotations

import argparse

from .workbook_args import add_workbook_arguments, evaluate, output_path, report

EXAMPLES = "例：\n  jixiao score 自评表.xlsx                  显示各指标规则得分、总分、等级\n  jixiao score 自评表.xlsx -o 计分.xlsx     写出补齐得分的副本（原文件不变）"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", epilog=EXAMPLES, help="按规则计分：各指标得分、总分、等级 (score a 自评表 by the rules)",
                       description="按评分规则（默认 财预〔2020〕10号）计算每项指标和预算执行率的得分、总分和等级。")
    add_workbook_arguments(p, output_help="写出计分副本（空白的得分/完成率/总分/等级由规则填入，旁附规则得分）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from addin.annotate import scored_copy

    out = output_path(args)
    ev = evaluate(args)
    if out:
        scored_copy(args.file, ev, out, in_place=args.in_place)
    return report(ev, args, print_scores, out)


def print_scores(ev, output: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from addin.rules.common import fmt, pct
    from addin.validate import describe_profile

    console = Console(highlight=False)
    table = Table(title=Text(f"计分结果：{ev.project.name or ev.source or ''}"))   # file text: never markup
    for col in ("指标", "方向", "分值", "填报得分", "规则得分", "完成率"):
        table.add_column(col, overflow="fold")

    def show(v):
        return "" if v is None else fmt(v)

    b = ev.budget
    if b.weight is not None or b.rule_score is not None:
        table.add_row("预算执行率", "", show(b.weight), show(b.score), show(b.rule_score),
                      pct(b.rule_rate) if b.rule_rate is not None else "")
    for ind in ev.indicators:
        mark = "" if ind.score is None or ind.rule_score is None or ind.score == ind.rule_score else " ≠"
        table.add_row(Text(ind.name or ""), ind.direction or "", show(ind.weight), show(ind.score) + mark,
                      show(ind.rule_score), pct(ind.completion) if ind.completion is not None else "")
    table.add_row("总分", "", "", show(ev.total_score), show(ev.rule_total_score), "")
    console.print(table)
    console.print(f"规则总分 {show(ev.rule_total_score) or '—'}，等级 {ev.rule_grade or '—'}"
                  f"（表内填报：{show(ev.total_score) or '—'}{' ' + ev.grade if ev.grade else ''}）；"
                  f"校验发现 {len(ev.findings)} 项，详见 jixiao validate", markup=False)
    console.print(describe_profile(ev.extra.get("profile_used")), markup=False, soft_wrap=True)
    if output:
        console.print(f"已写出计分副本：{output}", markup=False)
