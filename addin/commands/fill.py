"""`jixiao fill`: a template filled from JSON data (docs/json-format.md), derived cells left as formulas."""

from __future__ import annotations

import argparse
from pathlib import Path

DATA_SHAPE = """\
--data 的 JSON 格式（与 jixiao read --json 的输出相同，可直接拿来填；完整说明见 docs/json-format.md）：
  {
    "project": {"name": "项目名称", "department": "主管部门", "unit": "实施单位", "year": 2021},
    "budget": {"initial": 1600, "adjusted": 1600, "executed": 1521.57, "weight": 10},
    "indicators": [
      {"level1": "产出指标", "level2": "数量指标", "name": "补助人数",
       "target": "≥18万人", "actual": "18.74万人", "weight": 20},
      {"level1": "效益指标", "level2": "社会效益指标", "name": "群众看病负担",
       "target": "有所减轻", "actual": "达成年度指标", "weight": 30, "reason": ""}
    ]
  }
  金额单位为万元（initial 年初预算数、adjusted 全年预算数、executed 全年执行数）；
  target/actual 照表中写法填文字，“≥43.2万元”会拆成 指标性质/指标值/度量单位；
  得分、完成率、总分、等级不用填，模板用公式计算。

例：
  jixiao fill project --data 数据.json -o 自评表.xlsx
  jixiao fill project --from 原表.xlsx -o 标准自评表.xlsx   把已有版式的表搬进标准模板"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fill", epilog=DATA_SHAPE,
                       description="填表：把 JSON 数据或已有的自评表填入标准模板，派生单元格保留为公式。",
                       help="填表：用 JSON 数据填写标准模板 (fill a template from JSON data)")
    p.add_argument("id", help="模板编号或中文名称，如 project (template id or Chinese title)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--data", help="数据文件 .json（格式见下文）(data file)")
    src.add_argument("--from", dest="from_book", metavar="工作簿",
                     help="从已有的自评表工作簿（任一已支持的格式）读取后填入标准模板 (convert a workbook)")
    p.add_argument("-o", "--output", required=True, help="输出文件 .xlsx (output file)")
    p.add_argument("--profile", help="计分规则配置（默认：已安装模板包的模板和规则，否则 财预〔2020〕10号）(rule profile)")
    p.add_argument("--layout", metavar="表样.json",
                   help="本地区表样（见 jixiao template --help），按它生成模板再填写 (a province's table layout)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbook_templates.builder import load_spec, resolve_id
    from workbook_templates.fill import fill_template

    from .template import check_xlsx_output

    tid = resolve_id(args.id)
    check_xlsx_output(args.output)
    base, profile, origin = None, args.profile, ""
    template = tid
    if args.layout:                       # a province's form, named here: it wins over a pack's
        from workbook_templates.layout import load_layout

        template = load_layout(args.layout, template=args.id)
        origin = f"（表样 {template['layout']} {template['version']}）"
    elif not args.profile:                # an installed template pack's template and rules
        from addin.packs import active_pack

        pack, _ = active_pack()
        if pack is not None and tid in pack.templates:
            base, profile, origin = pack.templates[tid], pack.profile, f"（{pack.label}）"
    if args.from_book:
        from workbook_templates.reader import read_workbook

        data = read_workbook(args.from_book).in_wan().to_json()   # our templates are in 万元 (issue #12)
        path = fill_template(template, data, args.output, profile=profile, source=args.from_book, base=base)
        print(f"已将“{args.from_book}”按“{load_spec(template)['title']}”{origin}填写：{path}")
        _source_errors(args.from_book, args.profile)
        return 0
    from workbook_templates.fill_data import load_fill_data

    src = Path(args.data)
    data = load_fill_data(src)          # a regular file, valid JSON of the DESIGN.md shape (schema)
    path = fill_template(template, data, args.output, profile=profile, source=src, base=base)
    print(f"已按“{load_spec(template)['title']}”{origin}填写：{path}")
    return 0


def _source_errors(source: str, profile: str | None) -> None:
    """The errors the reviewer would raise on the source: the new template holds the values as read
    (a bare target takes the actual's unit), so a slip such as seed 004's 18 人 vs 18.74万人 is said
    here — it no longer shows in the filled template."""
    from addin.validate import read_evaluation, validate
    from workbook_templates.errors import ReadError

    try:
        errors = [f for f in validate(*read_evaluation(source, profile or None)) if f.severity == "error"]
    except ReadError as exc:                # the template is written; say why the source was not checked
        print(f"注意：原表未能校验（{exc}），请用 jixiao validate 核对原表")
        return
    if errors:
        print(f"注意：原表校验发现 {len(errors)} 个错误，已按读取结果填入模板（填好的模板中不一定再显示），请核对：")
        for f in errors:
            print(f"  {f.cell or '—'}（{f.rule}）：{f.message}")
