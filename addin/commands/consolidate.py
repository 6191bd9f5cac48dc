"""`jixiao consolidate <folder|zip> -o summary.xlsx`: 汇总各单位 (consolidate units' workbooks).

Exit codes: 0 done (bad files are listed in 无法读取), 1 with --strict when a file failed or has
error findings, 2 when the input itself is unusable.
"""

from __future__ import annotations

import argparse
import json
import sys

EXAMPLES = "例：\n  jixiao consolidate 各单位自评表 -o 汇总表.xlsx   汇总一个文件夹\n  jixiao consolidate 收表.zip -o 汇总表.xlsx --strict  有无法读取的文件时退出码为 1"
MAX_TIMEOUT = 30 * 24 * 3600.0      # --timeout inf (or 1e300) means “no limit”: 30 days, which timers accept


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "consolidate",
        epilog=EXAMPLES,
        help="汇总各单位：把文件夹或压缩包中的自评表汇总成一张汇总表 (consolidate a folder/zip of workbooks)",
        description="汇总各单位：读取文件夹（含子文件夹）或 .zip 中的全部 .xlsx/.xlsm/.xls 自评表，"
                    "计分、校验，写出汇总表（汇总表、问题清单、无法读取、统计）。"
                    " Consolidate every workbook of a folder or zip into one summary workbook.")
    p.add_argument("source", help="文件夹或 .zip 压缩包 (folder or zip)")
    p.add_argument("-o", "--output", default="汇总表.xlsx", help="输出的汇总表文件（默认 汇总表.xlsx）(output .xlsx)")
    p.add_argument("--json", action="store_true", help="以 JSON 输出结果 (print the result as JSON)")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help="并行进程数，默认为 CPU 核数；0 表示不开子进程 (worker processes; default: CPU count)")
    p.add_argument("--profile", default=None, help="评分规则配置（名称或 JSON 文件）(rule profile name or path)")
    p.add_argument("--strict", action="store_true",
                   help="有文件无法读取或存在错误时返回 1 (exit 1 if any file failed or has errors)")
    p.add_argument("--timeout", type=float, default=None,
                   help="单个文件的读取时限（秒，默认 120）(per-file time budget, seconds)")
    p.add_argument("--expect-pack", metavar="模板包",
                   help="逐个核对各单位的模板版本和评分规则是否与该模板包（.zip 或文件夹）一致 (check every unit against a pack)")
    p.add_argument("--quiet", "-q", action="store_true", help="不显示进度条 (no progress bar)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from addin.consolidate import DEFAULT_TIMEOUT, consolidate
    from udfs import InputError

    if args.jobs is not None and args.jobs < 0:
        raise InputError(f"--jobs 应为 0 或正整数（0 表示不开子进程），收到 {args.jobs}")
    if args.timeout is not None and not args.timeout > 0:
        raise InputError(f"--timeout 应为大于 0 的秒数，收到 {args.timeout:g}")
    if args.timeout is not None and args.timeout > MAX_TIMEOUT:     # inf: no limit in practice
        args.timeout = MAX_TIMEOUT
    console = Console(stderr=True)
    kwargs = {"jobs": args.jobs, "profile": args.profile, "strict": args.strict,
              "timeout": args.timeout or DEFAULT_TIMEOUT, "keep_projects": args.json,
              "expect_pack": args.expect_pack}
    show = not args.quiet and console.is_terminal
    if show:
        with Progress(TextColumn("汇总"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}", markup=False), console=console, transient=True) as bar:
            task = bar.add_task("", total=None)

            def progress(done: int, total: int, file: str) -> None:
                bar.update(task, completed=done, total=total, description=file[-40:])

            result = consolidate(args.source, args.output, progress=progress, **kwargs)
    else:
        result = consolidate(args.source, args.output, **kwargs)

    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        out = Console(soft_wrap=True, highlight=False)
        out.print(f"汇总完成：共 {result.files} 个文件，成功读取 {result.ok} 个，无法读取 {len(result.failed)} 个。")
        out.print(f"资金加权得分：自评 {_fmt(result.weighted_score)}，规则 {_fmt(result.rule_weighted_score)}；"
                  f"问题 {result.errors} 个错误、{result.warnings} 个警告"
                  + (f"（含 {result.duplicates} 个重复项目）" if result.duplicates else "") + "。")
        for item in result.mismatches:
            out.print(f"  {item['rule']}：{item['message']}", markup=False)
        for item in result.failed[:10]:
            out.print(f"  无法读取：{item['file']} — {item['reason']}", markup=False)
        if len(result.failed) > 10:
            out.print(f"  ……其余 {len(result.failed) - 10} 个见汇总表的“无法读取”工作表")
        out.print(f"汇总表已写入 {result.output}", markup=False)
    sys.stdout.flush()
    return result.exit_code(args.strict)


def _fmt(x) -> str:
    return "—" if x is None else f"{x:.2f}"
