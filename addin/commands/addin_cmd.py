"""`jixiao addin build|install|uninstall`: the Excel add-in file and its installation."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("addin", help="Excel 加载项：生成、安装、卸载 (build / install / uninstall the .xlam)")
    asub = p.add_subparsers(dest="addin_command", metavar="操作 action")
    b = asub.add_parser("build", help="生成 jixiao.xlam (build the add-in from the text sources)")
    b.add_argument("-o", "--output", default="jixiao.xlam", help="输出文件（默认 jixiao.xlam；.xlsm 生成同内容的启用宏工作簿）")
    i = asub.add_parser("install", help="安装到 Excel 启动文件夹并写入 xlwings 配置 (Windows/macOS)")
    i.add_argument("--xlam", help="使用已生成的 .xlam（默认现场生成）")
    i.add_argument("--python", help="Excel 调用的 Python 解释器（默认当前解释器）")
    i.add_argument("--dry-run", action="store_true", help="只显示将要做的操作")
    u = asub.add_parser("uninstall", help="从 Excel 启动文件夹移除加载项和配置")
    u.add_argument("--keep-config", action="store_true", help="保留 xlwings 配置文件")
    u.add_argument("--dry-run", action="store_true", help="只显示将要做的操作")
    p.set_defaults(func=run, addin_parser=p)


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "addin_command", None)
    if action == "build":
        from addin.xlam import build

        path = build(args.output)
        print(f"已生成加载项：{path}（{path.stat().st_size} 字节）")
        return 0
    if action in ("install", "uninstall"):
        from addin import install

        if action == "install":
            return install.install(xlam=args.xlam, python=args.python, dry_run=args.dry_run)
        return install.uninstall(keep_config=args.keep_config, dry_run=args.dry_run)
    args.addin_parser.print_help(sys.stdout)
    return 0
