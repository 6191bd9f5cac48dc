"""`jixiao doctor`: check this PC's installation (Python, xlwings, Excel, add-in, PDF, fonts)."""

from __future__ import annotations

import argparse

EXAMPLES = "例：\n  jixiao doctor          逐项检查，✗ 的项目下面写着怎么处理"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", epilog=EXAMPLES,
                       description="自检：Python 版本和位数、xlwings 及其 DLL、Excel 及其位数、XLSTART 中的加载项、"
                                   "xlwings 配置、导出 PDF（Word 或 LibreOffice）、图表中文字体。有 ✗ 时退出码为 1。",
                       help="自检：检查本机安装是否完整 (check this PC's installation)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from addin.doctor import FAIL, report, run_checks

    checks = run_checks()
    print(report(checks))
    return 1 if any(c.status == FAIL for c in checks) else 0
