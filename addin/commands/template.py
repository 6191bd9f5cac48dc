"""`jixiao template`: list the official templates or write one as .xlsx (插入模板)."""

from __future__ import annotations

import argparse
from pathlib import Path

EXAMPLES = ("例：\n  jixiao template --list                       列出模板编号和名称\n"
            "  jixiao template project -o 项目自评表.xlsx   生成空白的项目支出绩效自评表\n"
            "  jixiao template --layout 某省项目表.json --profile 某省.json -o 自评表.xlsx\n"
            "                                               按本省表样和评分规则生成（表样格式见 docs/templates/README.md）\n"
            "  jixiao template --all 模板                    全部模板及填好的示例写入“模板”文件夹")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("template", epilog=EXAMPLES, description="标准模板：列出或生成五张标准模板（.xlsx，派生单元格为普通公式，不装加载项也能计算）。", help="模板：列出或生成标准模板 (list or build the official templates)")
    p.add_argument("id", nargs="?", help="模板编号或中文名称，如 project / 项目支出绩效自评表 (template id or Chinese title)")
    p.add_argument("-o", "--output", help="输出文件 .xlsx (output file)")
    p.add_argument("--list", action="store_true", help="列出全部模板：每行编号和中文名称 (list templates)")
    p.add_argument("--profile", help="计分规则：名称或 .json 文件，完整规则内嵌到模板（默认：已安装模板包的模板，否则 财预〔2020〕10号）"
                                     " (rule profile, embedded in the template)")
    p.add_argument("--layout", metavar="表样.json",
                   help="本地区表样：基于某张标准模板（extends）改动标题、栏目名称、表头项目、下拉选项、填表说明和指标行数的 JSON 文件，"
                        "完整表样内嵌到模板 (a province's table layout: a spec overlay JSON, embedded in the template)")
    p.add_argument("--all", metavar="目录", help="把全部模板（空表和示例填写）写入该目录 (write every template and a filled sample)")
    p.add_argument("--preview", action="store_true",
                   help="与 --all 同用：再用 LibreOffice 生成 PDF 和 PNG 预览 (also render PDF/PNG previews)")
    p.set_defaults(func=run)


def check_xlsx_output(output: str) -> None:
    """WriteError unless ``output`` names an .xlsx file (not a folder): templates are .xlsx."""
    from workbook_templates.errors import WriteError
    from workbook_templates.fileio import check_output_path

    check_output_path(output)        # a folder, a name too long, a missing folder: said before any work
    if not str(output).lower().endswith(".xlsx"):
        raise WriteError(f"输出文件应为 .xlsx：{output}")


def run(args: argparse.Namespace) -> int:
    from addin.packs import active_pack, write_template
    from workbook_templates.builder import load_spec, resolve_id, template_ids
    from workbook_templates.errors import ReadError

    if args.all:
        from workbook_templates.errors import WriteError
        from workbook_templates.fill import write_samples

        if Path(args.all).exists() and not Path(args.all).is_dir():
            raise WriteError(f"“{args.all}”是一个文件，不是文件夹：--all 后面写输出文件夹")

        paths = write_samples(args.all)
        for path in paths.values():
            print(f"已生成：{path}")
        if args.preview:
            from workbook_templates.builder import render_previews

            for png in render_previews(paths, args.all):
                print(f"预览：{png}")
        return 0
    pack, where = active_pack()
    if args.list or not (args.id or args.layout):
        for tid in template_ids():
            origin = f"\t（{pack.label}）" if pack is not None and tid in pack.templates else ""
            print(f"{tid}\t{load_spec(tid)['title']}{origin}")
        return 0
    if args.layout:
        from workbook_templates.layout import load_layout

        spec = load_layout(args.layout, template=args.id)
    else:
        spec = load_spec(resolve_id(args.id))
    if not args.output:
        raise ReadError("请用 -o 指定输出文件，例如：jixiao template project -o 自评表.xlsx")
    check_xlsx_output(args.output)
    path, origin = write_template(spec["id"], args.output, profile=args.profile,
                                  layout=spec if args.layout else None)
    print(f"已生成模板“{spec['title']}”（{origin}）：{path}")
    return 0
