"""`jixiao validate`: the findings a 财政局 reviewer would raise, as a table, JSON or an annotated copy.

Exit codes: 0 no error-severity finding, 1 at least one, 2 the file cannot be read.
"""

from __future__ import annotations

import argparse
import json

from .workbook_args import add_workbook_arguments, evaluate, output_path, report

EXAMPLES = "例：\n  jixiao validate 自评表.xlsx                列出问题\n  jixiao validate 自评表.xlsx -o 校验.xlsx   写出标注副本\n  jixiao validate --rules                   列出全部校验规则"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", epilog=EXAMPLES, help="校验自评表：列出错误、警告和提示 (validate a 自评表)",
                       description="校验自评表：分值合计、得分、执行率、资金合计、单位、偏离度说明等。"
                                   "有“错误”级问题时退出码为1，文件无法读取时为2。")
    add_workbook_arguments(p, file_optional=True,
                           output_help="写出标注副本（问题单元格着色+批注，并附“校验结果”工作表）")
    p.add_argument("--rules", action="store_true", help="列出全部校验规则 (list the check catalogue)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from addin.annotate import annotated_copy
    from udfs import InputError

    if args.rules:
        print_rules(args.json)
        return 0
    if not args.file:
        raise InputError("请给出要校验的自评表文件，例如：jixiao validate 自评表.xlsx")
    out = output_path(args)
    ev = evaluate(args)
    if out:
        annotated_copy(args.file, ev, out, in_place=args.in_place)
    return report(ev, args, print_findings, out)


def print_findings(ev, output: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from addin.rules import SEVERITY_LABELS
    from addin.validate import describe_profile

    console = Console(highlight=False)
    title = f"校验结果：{ev.project.name or ev.source or ''}"      # text from the file: never markup
    styles = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    if not ev.findings:
        console.print(f"{title} — 未发现问题。", markup=False)
    else:
        table = Table(title=Text(title), show_lines=False)
        for col in ("严重程度", "规则", "单元格", "说明"):
            table.add_column(col, overflow="fold")
        for f in ev.findings:
            table.add_row(Text(SEVERITY_LABELS.get(f.severity, f.severity), style=styles.get(f.severity, "")),
                          Text(f.rule), Text(f.cell or ""), Text(f.message))
        console.print(table)
    counts = {s: sum(1 for f in ev.findings if f.severity == s) for s in ("error", "warning", "info")}
    console.print(f"错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}；"
                  f"规则总分 {ev.rule_total_score if ev.rule_total_score is not None else '—'}"
                  f"（{ev.rule_grade or '—'}）")
    console.print(describe_profile(ev.extra.get("profile_used")), markup=False, soft_wrap=True)
    if output:
        console.print(f"已写出标注副本：{output}", markup=False)


def print_rules(as_json: bool = False) -> None:
    """The catalogue: id, severity, title, what it checks (thresholds come from the profile)."""
    from addin.rules import CATALOGUE, SEVERITY_LABELS

    if as_json:
        print(json.dumps([{"rule": k, **v} for k, v in CATALOGUE.items()], ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="校验规则")
    for col in ("规则", "严重程度", "名称", "说明"):
        table.add_column(col, overflow="fold")
    for rule, meta in CATALOGUE.items():
        table.add_row(rule, SEVERITY_LABELS.get(meta["severity"], meta["severity"]), meta["title"], meta["about"])
    Console(highlight=False).print(table)
