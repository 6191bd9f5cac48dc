"""`jixiao fill`: a template filled from JSON data (DESIGN.md shape), derived cells left as formulas."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fill", help="填表：用 JSON 数据填写标准模板 (fill a template from JSON data)")
    p.add_argument("id", help="模板编号或中文名称，如 project (template id or Chinese title)")
    p.add_argument("--data", required=True, help="数据文件 .json（格式见 DESIGN.md）(data file)")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx (output file)")
    p.add_argument("--profile", help="计分规则配置，默认 财预〔2020〕10号 (rule profile)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbook_templates.builder import load_spec, resolve_id
    from workbook_templates.errors import ReadError
    from workbook_templates.fill import fill_template

    tid = resolve_id(args.id)
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
    path = fill_template(tid, data, args.output, profile=args.profile, source=src)
    print(f"已按“{load_spec(tid)['title']}”填写：{path}")
    return 0
