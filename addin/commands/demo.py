"""`jixiao demo`: the main job on a bundled sample, results left on disk (``make demo``)."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from importlib import resources
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="演示：用内置样例计分、校验、生成报告和汇总 (run the bundled demo)")
    p.add_argument("-o", "--output", default="demo-output", help="输出目录（默认 demo-output）")
    p.set_defaults(func=run)


def sample_evaluation():
    """The seed 004 table (医疗保险基金补助, 2021) as an Evaluation, from the bundled fixture."""
    from workbook_templates.model import Budget, Evaluation, Indicator, Project

    data = json.loads((resources.files("addin") / "samples" / "seed004_self_evaluation.json").read_text("utf-8"))
    rows = {r["code"][:3]: r["values"][0] for r in data["budget_table"]["rows"]}
    ev = Evaluation(source="seed004_self_evaluation.json", layout="seed004",
                    project=Project(name=data["project"]["name"], year=data["project"]["year"]),
                    budget=Budget(initial=Decimal(str(rows["(1)"])), adjusted=Decimal(str(rows["(2)"])),
                                  available=Decimal(str(rows["(3)"])), executed=Decimal(str(rows["(4)"]))))
    for item in data["indicators"]:
        if item["name"] == "预算执行率":
            ev.budget.weight = Decimal(str(item["weight"]))
            ev.budget.score = Decimal(str(item["score_stated"]))
            continue
        ev.indicators.append(Indicator(level1=item["level1"], level2=item["level2"], name=item["name"],
                                       target=item["target"], actual=item["actual"],
                                       weight=Decimal(str(item["weight"])), score=Decimal(str(item["score_stated"])),
                                       reason=item.get("reason")))
    ev.total_score = Decimal(str(data["total_stated"]))
    ev.grade = data["grade_stated"]
    return ev


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from addin.pipeline import score_evaluation

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    console = Console()
    ev = score_evaluation(sample_evaluation())
    table = Table(title=f"{ev.project.name}（{ev.project.year}年）计分")
    for col in ("一级指标", "二级指标", "三级指标", "目标值", "实际值", "方向", "分值", "表内得分", "规则得分", "完成率"):
        table.add_column(col)
    b = ev.budget
    table.add_row("预算执行", "", "预算执行率", "", f"{b.rule_rate:.2%}", "", str(b.weight), str(b.score), str(b.rule_score), "")
    for i in ev.indicators:
        table.add_row(i.level1 or "", i.level2 or "", i.name or "", i.target or "", i.actual or "", i.direction or "",
                      str(i.weight), str(i.score), str(i.rule_score) if i.rule_score is not None else "—",
                      f"{i.completion:.2%}" if i.completion is not None else "")
    console.print(table)
    console.print(f"表内总分 {ev.total_score}，规则总分 {ev.rule_total_score}，等级 {ev.rule_grade}")
    path = out / "seed004-score.json"
    path.write_text(json.dumps(ev.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    console.print(f"结果已写入 {path}")
    return 0
