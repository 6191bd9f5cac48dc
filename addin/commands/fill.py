"""`jixiao fill`: a template filled from JSON data (DESIGN.md shape), derived cells left as formulas."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fill", help="填表：用 JSON 数据填写标准模板 (fill a template from JSON data)")
    p.add_argument("id", help="模板编号或中文名称，如 project (template id or Chinese title)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--data", help="数据文件 .json（格式见 DESIGN.md）(data file)")
    src.add_argument("--from", dest="from_book", metavar="工作簿",
                     help="从已有的自评表工作簿（任一已支持的格式）读取后填入标准模板 (convert a workbook)")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx (output file)")
    p.add_argument("--profile", help="计分规则配置（默认：已安装模板包的模板和规则，否则 财预〔2020〕10号）(rule profile)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbook_templates.builder import load_spec, resolve_id
    from workbook_templates.errors import ReadError
    from workbook_templates.fill import fill_template

    from .template import check_xlsx_output

    tid = resolve_id(args.id)
    check_xlsx_output(args.output)
    base, profile, origin = None, args.profile, ""
    if not args.profile:                  # an installed template pack's template and rules
        from addin.packs import active_pack

        pack, _ = active_pack()
        if pack is not None and tid in pack.templates:
            base, profile, origin = pack.templates[tid], pack.profile, f"（{pack.label}）"
    if args.from_book:
        from workbook_templates.reader import read_workbook

        data = read_workbook(args.from_book).to_json()
        path = fill_template(tid, data, args.output, profile=profile, source=args.from_book, base=base)
        print(f"已将“{args.from_book}”按“{load_spec(tid)['title']}”{origin}填写：{path}")
        return 0
    src = Path(args.data)
    try:
        data = json.loads(src.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ReadError("数据文件不存在", file=str(src)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReadError(f"无法读取数据文件（{exc}）", file=str(src)) from None
    except json.JSONDecodeError as exc:
        raise ReadError(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）", file=str(src)) from None
    if not isinstance(data, dict):
        raise ReadError("JSON 顶层应为对象（{…}），格式见 DESIGN.md", file=str(src))
    path = fill_template(tid, data, args.output, profile=profile, source=src, base=base)
    print(f"已按“{load_spec(tid)['title']}”{origin}填写：{path}")
    return 0
