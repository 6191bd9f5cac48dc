"""What `jixiao validate` and `jixiao score` share: the workbook arguments and the read → validate →
print steps. Not a subcommand (not in ``COMMAND_MODULES``)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

EXIT_ERRORS = 1


def add_workbook_arguments(p: argparse.ArgumentParser, *, output_help: str,
                           file_optional: bool = False) -> None:
    """``file``, ``--json``, ``--profile``, ``-o/--output``, ``--in-place``."""
    p.add_argument("file", nargs="?" if file_optional else None, help="自评表工作簿 (.xlsx/.xlsm/.xls)")
    p.add_argument("--json", action="store_true", help="输出 JSON（格式见 docs/json-format.md）(print JSON)")
    p.add_argument("--profile", help="评分规则配置：名称或 .json 路径（默认 财预〔2020〕10号）")
    p.add_argument("-o", "--output", help=output_help)
    p.add_argument("--in-place", action="store_true", help="直接写回原文件（先保留 .bak 备份）")


def output_path(args: argparse.Namespace) -> str | None:
    """Where to write: ``-o``, or the input itself with ``--in-place``; WriteError for both."""
    from workbook_templates.errors import WriteError

    if args.in_place and args.output:
        raise WriteError("--in-place 与 -o 不能同时使用。")
    return args.file if args.in_place else args.output


def evaluate(args: argparse.Namespace):
    """Read ``args.file`` (ReadError when unusable), score and validate it by ``args.profile``."""
    from addin.validate import read_evaluation, validate

    ev, profile = read_evaluation(args.file, args.profile)
    validate(ev, profile)
    return ev


def report(ev, args: argparse.Namespace, print_table: Callable, output: str | None) -> int:
    """Print the DESIGN.md JSON (``--json``) or the rich table; exit 1 when any finding is an error."""
    from addin.validate import has_errors

    if args.json:
        print(json.dumps(ev.to_json(), ensure_ascii=False, indent=2))
    else:
        print_table(ev, output)
    return EXIT_ERRORS if has_errors(ev.findings) else 0
