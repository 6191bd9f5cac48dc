"""`jixiao demo`: the whole job on bundled samples, results left on disk (``make demo``).

Runs the same commands a user runs — templates, fill, read, score, validate, report,
consolidate, add-in build — and writes everything under the output folder.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from pathlib import Path

STEPS_DOC = """\
demo-output/
  functions.txt                 函数说明（工作表函数目录）
  templates/*.xlsx              六张标准模板（空白）及 *-示例.xlsx 填好的样例
  sample-seed004.xlsx           按种子报告004版式的自评表（含原表的错漏）
  sample-seed004.json           jixiao read --json 的结果
  sample-seed004-scored.xlsx    jixiao score -o：补齐得分、规则得分
  sample-seed004-annotated.xlsx jixiao validate -o：问题单元格标色、批注、“校验结果”表
  sample-seed004-report.docx    jixiao report：绩效自评报告（公文格式；有 LibreOffice 时另有 .pdf）
  sample-seed004-report-审核用.docx  jixiao report --review：审核用报告（附校验问题清单）
  units/                        生成的各单位自评表（多种版式，含一个损坏文件）
  summary.xlsx                  jixiao consolidate：汇总表、问题清单、无法读取
  department-report.docx        jixiao report --department：部门整体报告
  jixiao.xlam                   jixiao addin build：Excel 加载项
"""


EXAMPLES = "例：\n  jixiao demo                 结果写入 demo-output\n  jixiao demo -o 演示 --units 5"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", epilog=EXAMPLES, description="演示：用内置样例依次运行模板、读取、计分、校验、报告、汇总和生成加载项，结果写入输出目录。", help="演示：用内置样例走完模板、计分、校验、报告、汇总、加载项 (run the bundled demo)")
    p.add_argument("-o", "--output", default="demo-output", help="输出目录（默认 demo-output）")
    p.add_argument("--units", type=int, default=12, help="汇总演示生成的单位数（默认 12）")
    p.set_defaults(func=run)


def _step(console, title: str, argv: list[str]) -> int:
    from addin.cli import main

    console.rule(f"[bold]{title}[/]  jixiao {' '.join(argv)}")
    code = main(argv)
    console.print(f"[dim]退出码 {code}[/]")
    return code


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from workbook_templates.errors import WriteError
    from workbook_templates.fileio import os_reason
    from workbook_templates.libreoffice import find_soffice
    from workbook_templates.samples import write_corpus, write_sample

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise WriteError(f"-o 应为输出文件夹，而 {out} 是一个已有的文件；请换一个文件夹名")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"无法创建输出文件夹 {out}（{os_reason(exc)}）") from None
    console = Console()
    failures: list[str] = []

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        from addin.cli import main
        main(["functions"])
    (out / "functions.txt").write_text(buf.getvalue(), encoding="utf-8")
    console.print(f"函数说明已写入 {out / 'functions.txt'}")

    templates = out / "templates"
    templates.mkdir(exist_ok=True)
    if _step(console, "标准模板", ["template", "--all", str(templates)]) != 0:
        failures.append("template")

    sample = write_sample("seed004", out / "sample-seed004.xlsx")
    console.print(f"样例自评表（种子报告004版式）：{sample}")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        from addin.cli import main
        code = main(["read", str(sample), "--json"])
    if code == 0:
        (out / "sample-seed004.json").write_text(buf.getvalue(), encoding="utf-8")
        data = json.loads(buf.getvalue())
        console.print(f"读取：{data['project']['name']}，{len(data['indicators'])} 项指标，"
                      f"表内总分 {data['total_score']}，规则总分 {data['rule_total_score']}")
    else:
        failures.append("read")

    if _step(console, "计分", ["score", str(sample), "-o", str(out / "sample-seed004-scored.xlsx")]) not in (0, 1):
        failures.append("score")
    if _step(console, "校验", ["validate", str(sample), "-o", str(out / "sample-seed004-annotated.xlsx")]) not in (0, 1):
        failures.append("validate")
    report_args = ["report", str(sample), "-o", str(out / "sample-seed004-report.docx")]
    if find_soffice():
        report_args.append("--pdf")
    if _step(console, "生成报告", report_args) != 0:
        failures.append("report")
    if _step(console, "审核用报告", ["report", str(sample), "--review", "-o",
                                  str(out / "sample-seed004-report-审核用.docx")]) != 0:
        failures.append("review report")

    units = out / "units"
    if units.exists():
        import shutil
        shutil.rmtree(units)
    write_corpus(units, args.units, seed=2021)
    (units / "损坏的文件.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    if _step(console, "汇总各单位", ["consolidate", str(units), "-o", str(out / "summary.xlsx")]) != 0:
        failures.append("consolidate")
    if _step(console, "部门整体报告", ["report", "--department", str(out / "summary.xlsx"),
                                    "-o", str(out / "department-report.docx")]) != 0:
        failures.append("department report")
    if _step(console, "生成加载项", ["addin", "build", "-o", str(out / "jixiao.xlam")]) != 0:
        failures.append("addin build")

    if _step(console, "Excel 按钮“校验”（无 Excel，xlwings 远程引擎演示）", ["addin", "press", "校验", str(sample)]) not in (0, 1):
        failures.append("addin press")

    (out / "README.txt").write_text(STEPS_DOC, encoding="utf-8")
    console.rule("完成")
    console.print(STEPS_DOC, soft_wrap=True, markup=False)
    if failures:
        console.print(f"[red]以下步骤未成功：{'、'.join(failures)}[/]")
        return 1
    return 0
