"""`jixiao read`: read a 自评表 from any workbook (our templates or a published layout), score it,
and print the DESIGN.md JSON (``--json``) or a table."""

from __future__ import annotations

import argparse
import json
import sys

from workbook_templates.model import Evaluation, unchecked_note

EXAMPLES = "例：\n  jixiao read 自评表.xlsx                 表格显示\n  jixiao read 自评表.xlsx --json > a.json  JSON（格式见 docs/json-format.md）"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("read", epilog=EXAMPLES, description="读取自评表：识别版式（标准模板或常见的公开版式），读出项目、资金和指标，并按规则计分。", help="读取自评表：识别版式、读取数据并按规则计分 (read a self-evaluation workbook)")
    p.add_argument("file", help="工作簿文件 (.xlsx/.xlsm/.xls/.ods)")
    p.add_argument("--json", action="store_true", help="输出 JSON（格式见 docs/json-format.md）(print JSON)")
    p.add_argument("--sheet", help="只在此工作表中查找自评表 (sheet to read)")
    p.add_argument("--profile", help="计分规则（默认 财预〔2020〕10号）(rule profile)")
    p.add_argument("--engine", choices=("auto", "openpyxl", "calamine"), default="auto",
                   help="读取引擎（默认 auto）(reader engine)")
    p.add_argument("--explain", action="store_true",
                   help="列出识别记录：版式、表头与字段的对应（及匹配的同义词）、每行的识别、未找到的列 "
                        "(explain how the sheet was read)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from addin.pipeline import score_evaluation
    from addin.validate import refuse_unreadable, resolve_profile
    from workbook_templates.reader import read_workbook

    profile = resolve_profile(args.profile) if args.profile else None     # a bad --profile fails first
    ev = read_workbook(args.file, profile=profile, sheet=args.sheet, engine=args.engine)
    refuse_unreadable(ev, args.file)      # as validate/score do: never a null budget with exit 0
    # --profile, else the rules the workbook carries, else the default (as validate and report do)
    score_evaluation(ev, resolve_profile(args.profile or None, ev))
    if args.json:
        print(json.dumps(ev.to_json(), ensure_ascii=False, indent=2))
    elif args.explain:
        print_explain(ev)
    else:
        print_table(ev)
    return 0


def print_explain(ev: Evaluation) -> None:
    """识别记录 (``addin.explain``), then the findings the reader made."""
    from addin.explain import explain_lines

    for line in explain_lines(ev):
        print(line)
    for f in ev.findings:
        print(f"[{f.severity}] {f.cell or ''} {f.message}")


def _n(v: object) -> str:
    """A value from the file, as text rich prints literally ('[/b]' in a name is not markup)."""
    from rich.markup import escape

    return "" if v is None else escape(str(v))


def print_table(ev: Evaluation) -> None:
    """A readable summary with rich (stated vs rule scores side by side)."""
    from rich.console import Console
    from rich.table import Table

    from addin.validate import describe_profile

    con = Console() if sys.stdout.isatty() else Console(width=160)
    p, b = ev.project, ev.budget
    con.print(f"[bold]{_n(p.name) or '（未命名项目）'}[/bold]  {_n(p.year)}  版式：{ev.layout}  工作表：{_n(ev.sheet)}")
    if p.department or p.unit:
        con.print(f"主管部门：{_n(p.department)}  实施单位：{_n(p.unit)}")
    rate = b.rule_rate if b.rule_rate is not None else b.rate
    con.print(f"预算：年初 {_n(b.initial)}  全年 {_n(b.adjusted)}  执行 {_n(b.executed)} {b.unit or '万元'}  "
              f"执行率 {'' if rate is None else f'{rate * 100:.2f}%'}  分值 {_n(b.weight)}  "
              f"得分 {_n(b.score)}（规则 {_n(b.rule_score)}）")
    t = Table(show_lines=False)
    for h in ("一级指标", "二级指标", "三级指标", "目标值", "实际值", "方向", "分值", "得分", "规则得分", "单元格"):
        t.add_column(h, overflow="fold", justify="right" if h in ("分值", "得分", "规则得分") else "left")
    for i in ev.indicators:
        t.add_row(_n(i.level1), _n(i.level2), _n(i.name), _n(i.target), _n(i.actual), _n(i.direction),
                  _n(i.weight), _n(i.score), _n(i.rule_score), _n(i.cell))
    con.print(t)
    summed = "（表中无总分行，为各项得分合计）" if ev.extra.get("total_score_source") == "sum-of-scores" else ""
    note = unchecked_note(ev.extra.get("unchecked"))
    rule = f"规则 {_n(ev.rule_total_score)}" if note is None else f"规则总分未计算：{note}"
    con.print(f"总分：{_n(ev.total_score)}{summed}（{rule}）  等级：{_n(ev.grade or ev.rule_grade)}")
    for f in ev.findings:
        con.print(_n(f"[{f.severity}] {f.cell or ''} {f.message}"))
    con.print(describe_profile(ev.extra.get("profile_used")), markup=False, soft_wrap=True)
