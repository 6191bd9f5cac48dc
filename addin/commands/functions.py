"""`jixiao functions`: the worksheet-function catalogue (same text as the README table and 函数说明)."""

from __future__ import annotations

import argparse
import json

EXAMPLES = "例：\n  jixiao functions                列出全部函数\n  jixiao functions --markdown > 函数.md  Markdown 表格"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("functions", epilog=EXAMPLES, description="函数说明：列出全部工作表函数（中文名、英文别名、参数、说明），即 Excel 中“函数说明”按钮的内容。", help="函数说明：列出全部工作表函数 (list worksheet functions)")
    p.add_argument("--markdown", action="store_true", help="输出 Markdown 表格 (README table)")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from udfs import REGISTRY
    from udfs.catalogue import markdown_table, plain_text

    if args.json:
        data = [{"name": s.name, "alias": s.alias, "doc": s.doc, "returns": s.returns, "category": s.category,
                 "args": [{"name": a.name, "alias": a.alias, "doc": a.doc, "optional": a.optional} for a in s.args]}
                for s in REGISTRY]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif args.markdown:
        print(markdown_table())
    else:
        print(plain_text())
    return 0
