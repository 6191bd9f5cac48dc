"""The `jixiao` command line: every ribbon button's operation, headless.

Exit codes: 0 fine, 1 findings of error severity (validate/score) or --strict failures,
2 input unusable (message in Chinese, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .commands import COMMAND_MODULES

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="绩效自评工具 — 计算、校验、报告、汇总 (performance self-evaluation: score, validate, report, consolidate)",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令 command")
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(f".commands.{name}", __package__)
        except ModuleNotFoundError as exc:  # a command whose module is not written yet
            if exc.name and exc.name.endswith(f"commands.{name}"):
                continue
            raise
        mod.register(sub)
    return parser


def _configure_stdout() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass


def main(argv: list[str] | None = None) -> int:
    _configure_stdout()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from udfs.errors import InputError
    from workbook_templates.errors import ReadError, WriteError

    try:
        return int(args.func(args) or 0)
    except (ReadError, WriteError, InputError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:              # `jixiao read f | head`: the reader went away; exit quietly
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - swallow the final flush
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception as exc:  # last resort: never a traceback for the user
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        print(f"错误：处理时发生意外问题（{type(exc).__name__}: {exc}）。"
              "设置环境变量 JIXIAO_DEBUG=1 可查看详细信息。", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
