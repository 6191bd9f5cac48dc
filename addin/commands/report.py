"""`jixiao report`: the 绩效自评报告 (Word, official format; PDF with --pdf) from a workbook,
or the 部门整体 report from a 汇总表 / folder (--department)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbook_templates.errors import ReadError

EXAMPLES = "例：\n  jixiao report 自评表.xlsx -o 报告.docx --pdf      项目绩效自评报告（Word 和 PDF）\n  jixiao report --department 汇总表.xlsx -o 部门报告.docx  部门整体报告\n  jixiao report --write-template 我的模板.docx       导出默认模板供修改"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        epilog=EXAMPLES,
        help="生成绩效自评报告（Word，可导出 PDF）(write the self-evaluation report)",
        description="由自评表生成项目支出绩效自评报告（公文格式 Word），或由汇总表生成部门整体报告。"
                    " Write the project report from a workbook, or the department report from a 汇总表.")
    p.add_argument("source", nargs="?", help="自评表 .xlsx（或 --department 时的汇总表 / 文件夹）(input workbook)")
    p.add_argument("-o", "--output", help="输出 .docx 路径（默认与输入同目录）(output .docx)")
    p.add_argument("--pdf", action="store_true", help="同时导出 PDF（Windows 上用 Word，否则用 LibreOffice）(also write a PDF)")
    p.add_argument("--template", help="自定义 Word 模板 .docx（docxtpl 变量见文档）(your own .docx template)")
    p.add_argument("--profile", help="计分规则（默认 财预〔2020〕10号）(rule profile name or path)")
    p.add_argument("--department", action="store_true",
                   help="部门整体报告：输入为汇总表 .xlsx 或单位自评表文件夹 (department-level report)")
    p.add_argument("--review", action="store_true",
                   help="审核用报告：附校验问题清单（附表2），并列出复核得分；默认为单位报送用报告 "
                        "(reviewer's copy with the findings appendix)")
    p.add_argument("--no-chart", action="store_true", help="不插入图表 (no chart)")
    p.add_argument("--write-template", metavar="PATH",
                   help="把默认模板（加 --department 为部门报告模板）写到 PATH，供修改后用 --template 使用 "
                        "(write the default template)")
    p.set_defaults(func=run)


def default_output(source: Path, department: bool) -> Path:
    suffix = "部门整体绩效自评报告" if department else "绩效自评报告"
    base = source if source.is_dir() else source.with_suffix("")
    return base.parent / f"{base.name}-{suffix}.docx"


def read_evaluation(path: Path, profile: str | None):
    """The workbook as an Evaluation through the shared reader."""
    if not path.exists():
        raise ReadError(f"找不到文件：{path}", file=str(path))
    try:
        from workbook_templates.reader import read_workbook
    except ImportError:
        raise ReadError("读取自评表的模块尚未安装（workbook_templates.reader）。") from None
    return read_workbook(path, profile=profile)


def run(args: argparse.Namespace) -> int:
    from addin.report import build_department_report, build_report, write_default_template

    if args.write_template:
        out = write_default_template(args.write_template, department=args.department)
        print(f"默认报告模板已写入 {out}")
        if not args.source:
            return 0
    if not args.source:
        raise ReadError("请指定自评表文件（或加 --department 指定汇总表/文件夹）。")
    if not args.template:                  # a template pack's report template, when installed
        from addin.packs import report_template

        args.template = report_template()
    source = Path(args.source)
    out = Path(args.output) if args.output else default_output(source, args.department)
    if out.suffix.lower() != ".docx":
        out = out.with_suffix(".docx")
    if args.department:
        if args.review:
            print("提示：--review 用于项目报告；部门整体报告已按单位列出校验问题（附表2），不另分审核用版本。",
                  file=sys.stderr)
        path = build_department_report(source, out, template=args.template, pdf=args.pdf, profile=args.profile,
                                       warn=lambda text: print(f"警告：{text.removeprefix('注意：')}", file=sys.stderr))
    else:
        ev = read_evaluation(source, args.profile)
        path = build_report(ev, out, template=args.template, pdf=args.pdf, profile=args.profile,
                            chart=not args.no_chart, review=args.review)
    print(f"报告已生成：{path}")
    if args.pdf:
        print(f"PDF 已生成：{path.with_suffix('.pdf')}")
    return 0
