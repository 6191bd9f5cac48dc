"""The `jixiao` command line: every ribbon button's operation, headless.

Exit codes: 0 fine, 1 findings of error severity (validate/score) or --strict failures,
2 input unusable (message in Chinese, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .cli_zh import ChineseHelpFormatter, chinese_argparse
from .commands import COMMAND_MODULES

EXIT_BAD_INPUT = 2
EXAMPLES = """\
例：
  jixiao template project -o 自评表.xlsx      生成空白的项目支出绩效自评表
  jixiao validate 自评表.xlsx -o 校验.xlsx     校验并写出标注副本
  jixiao report 自评表.xlsx -o 报告.docx --pdf 生成绩效自评报告
  jixiao doctor                               检查本机安装是否完整
每个命令的说明：jixiao <命令> --help"""


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose subcommands are built the same way (line breaks kept in examples)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; argparse's own texts are in Chinese (``cli_zh``)."""
    with chinese_argparse():
        return _build_parser()


def _build_parser() -> argparse.ArgumentParser:
    from workbook_templates.version import version

    parser = ChineseArgumentParser(
        prog="jixiao",
        description="绩效自评工具 — 计算、校验、报告、汇总 (performance self-evaluation: score, validate, report, consolidate)",
        epilog=EXAMPLES,
    )
    parser.add_argument("-V", "--version", action="version", version=f"jixiao {version()}",
                        help="显示版本号并退出 (show the version)")
    sub = parser.add_subparsers(dest="command", metavar="命令 command", title="命令")
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
    with chinese_argparse():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    parser = _build_parser()
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
    except KeyboardInterrupt as exc:     # Ctrl+C, or SIGTERM/SIGHUP during a consolidation (Terminated)
        signum = getattr(exc, "signum", 2)
        print("已取消。" if signum == 2 else f"已终止（收到信号 {signum}），未写出结果。", file=sys.stderr)
        return 128 + signum
    except Exception as exc:  # last resort: never a traceback for the user
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        print(f"错误：处理时发生意外问题（{type(exc).__name__}: {exc}）。"
              "设置环境变量 JIXIAO_DEBUG=1 可查看详细信息。", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
